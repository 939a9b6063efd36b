"""The one data model that passes through ingest → extract → index → API.

Each stage only adds to a :class:`Document`. Offsets always index ``Document.text`` (the text after the
single normalization at ingest), and ``text[m.start:m.end] == m.text`` holds for every mention.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Grain = Literal["day", "week", "month", "quarter", "year", "period", "deadline"]
Comparator = Literal["gt", "gte", "lt", "lte", "approx"]
Change = Literal["up", "down"]
Role = Literal["lead", "support", "assignee", "issuer", "mentioned"]
PlaceLevel = Literal["country", "region", "province", "district", "commune", "village"]
IndicatorKind = Literal["target", "reported", "baseline"]
Severity = Literal["error", "warning"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- normalized values of mentions
class QuantityValue(_Model):
    value: float | int | None
    unit: str | None = None
    denominator: float | int | None = None
    comparator: Comparator | None = None
    value_max: float | int | None = None
    change: Change | None = None


class DateValue(_Model):
    start: str | None = Field(None, description="ISO date, inclusive; null for an open start (deadlines)")
    end: str | None = Field(None, description="ISO date, inclusive")
    grain: Grain


class ReferenceValue(_Model):
    number: str
    doc_type: str | None = None
    date: str | None = None
    issuer: str | None = None


class AgencyValue(_Model):
    name: str
    canonical: str
    role: Role = "mentioned"
    level: str | None = Field(None, description="national, province, district, commune")


class LocationValue(_Model):
    name: str
    level: PlaceLevel
    province: str | None = None
    code: str | None = Field(None, description="administrative code of the unit as named")
    current_name: str | None = Field(None, description="the unit it belongs to today (after the 2025 reorganization)")
    current_code: str | None = None


class _MentionBase(_Model):
    start: int
    end: int
    text: str


class QuantityMention(_MentionBase):
    kind: Literal["quantity"] = "quantity"
    normalized: QuantityValue


class DateMention(_MentionBase):
    kind: Literal["date"] = "date"
    normalized: DateValue


class ReferenceMention(_MentionBase):
    kind: Literal["reference"] = "reference"
    normalized: ReferenceValue


class AgencyMention(_MentionBase):
    kind: Literal["agency"] = "agency"
    normalized: AgencyValue


class LocationMention(_MentionBase):
    kind: Literal["location"] = "location"
    normalized: LocationValue


Mention = Annotated[
    QuantityMention | DateMention | ReferenceMention | AgencyMention | LocationMention,
    Field(discriminator="kind"),
]
MentionKind = Literal["quantity", "date", "reference", "agency", "location"]


# ---------------------------------------------------------------- indicators
class Period(_Model):
    start: str | None = None
    end: str | None = None
    grain: Grain | None = None
    text: str | None = None


class IndicatorPlace(_Model):
    name: str
    level: PlaceLevel | None = None


class IndicatorAgency(_Model):
    canonical: str
    role: Role = "mentioned"


class Indicator(_Model):
    kind: IndicatorKind
    value: float | int | None = None  # None for a qualitative target; stored records may omit it
    unit: str | None = None
    denominator: float | int | None = None
    comparator: Comparator | None = None
    value_max: float | int | None = None
    change: Change | None = None
    subject: str | None = None
    metric: str = "other"
    period: Period | None = None
    location: IndicatorPlace | None = None
    agencies: list[IndicatorAgency] = Field(default_factory=list)
    start: int
    end: int
    text: str
    sentence: str = ""
    source: Literal["text", "table"] = "text"


# ---------------------------------------------------------------- document
class Section(_Model):
    label: str = Field(description="the numbering as written: 'I.', '1.', 'a)', 'Điều 1.'")
    title: str
    level: int
    start: int
    end: int
    children: list[Section] = Field(default_factory=list)


class Metadata(_Model):
    number: str | None = None
    doc_type: str | None = None
    title: str | None = None
    issuer: str | None = None
    place: str | None = None
    issued_date: str | None = None
    effective_date: str | None = None
    signer: str | None = None
    signer_title: str | None = None
    province: str | None = None
    field: str | None = None
    recipients: list[str] = Field(default_factory=list)
    published_date: str | None = None
    author: str | None = None


class ErrorItem(_Model):
    stage: Literal["read", "normalize", "metadata", "extract", "link", "index"]
    code: str = Field(description="short machine code, e.g. 'empty', 'binary', 'pdf_broken', 'unknown_encoding'")
    message: str
    severity: Severity = "error"


class Table(_Model):
    """A table kept as rows of cell strings; ``page`` for PDFs."""

    rows: list[list[str]]
    page: int | None = None
    start: int | None = Field(None, description="offset in Document.text where the table's text begins")
    end: int | None = None


class Block(_Model):
    """A span of Document.text with where it came from (a PDF page, a DOCX paragraph)."""

    start: int
    end: int
    page: int | None = None


class Document(_Model):
    id: str = ""
    source: str = ""
    format: str | None = None
    encoding: str | None = None
    text: str = ""
    metadata: Metadata = Field(default_factory=Metadata)
    sections: list[Section] = Field(default_factory=list)
    blocks: list[Block] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    errors: list[ErrorItem] = Field(default_factory=list)

    @staticmethod
    def id_for(text: str, source: str = "") -> str:
        """Document id = hash of the normalized text (of the source path when there is no text)."""
        payload = text if text else f"empty:{source}"
        return "sha256-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def mentions_of(self, kind: str) -> list:
        return [m for m in self.mentions if m.kind == kind]

    @property
    def ok(self) -> bool:
        return not any(e.severity == "error" for e in self.errors)


Section.model_rebuild()
