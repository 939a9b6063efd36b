"""The web pages of the search application (server-rendered, Vietnamese interface)."""

from search_api.web.router import router

__all__ = ["router"]
