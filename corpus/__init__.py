"""Reading documents: one backend per format, one normalization, header metadata, sections, the data model."""

from corpus.model import Document, ErrorItem, Metadata, Section

__all__ = ["Document", "ErrorItem", "Metadata", "Section"]
