"""Extractors: quantities, dates, references, agencies, locations (mentions), then indicators (linking)."""
