"""Search backends, the FastAPI app, the web pages and the CLI."""
