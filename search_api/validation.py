"""Checks on user parameters: anything wrong becomes a 4xx with a message (never a 500)."""

from __future__ import annotations

import calendar
import math
import re
from datetime import date
from typing import Annotated

from fastapi import HTTPException, Query

from search_api.provinces import canonical_province
from search_api.settings import Settings
from search_api.textutil import parse_query

MAX_WINDOW = 10_000  # page × size: deeper pages are refused (Elasticsearch's own default window)
MIN_YEAR, MAX_YEAR = 1800, 2200  # years and dates a filter may name (inside every engine's date range)
MAX_VALUE = 1e15  # figures a value filter may name

# the exact_facets parameter of both searches
ExactFacets = Annotated[bool, Query(description="count the facets over every match, however many (else a search of "
                                                "many matches counts them over a sample: see facet_sample)")]


def bad(message: str, status: int = 422) -> HTTPException:
    return HTTPException(status_code=status, detail=message)


def check_text(q: str | None, settings: Settings, name: str = "q") -> str | None:
    if q is None or not q.strip():
        return None
    if len(q) > settings.max_query_chars:
        raise bad(f"{name} is {len(q)} characters long; the limit is {settings.max_query_chars}")
    if parse_query(q).empty:
        raise bad(f"{name} contains no word to search for (letters or digits)")
    return q


def check_page(page: int, size: int, settings: Settings) -> None:
    if page < 1:
        raise bad("page starts at 1")
    if size < 1 or size > settings.max_page_size:
        raise bad(f"size must be between 1 and {settings.max_page_size}")
    if page * size > MAX_WINDOW:
        raise bad(f"page × size may not exceed {MAX_WINDOW}; narrow the search instead")


def check_province(name: str | None) -> str | None:
    if name is None or not name.strip():
        return None
    canon = canonical_province(name)
    if canon is None:
        raise bad(f"unknown province: {name[:100]!r}")
    return canon


def check_year(year: int | None, name: str) -> int | None:
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise bad(f"{name} must be a year between {MIN_YEAR} and {MAX_YEAR}, not {year}")
    return year


def check_value(value: float | None, name: str) -> float | None:
    if value is not None and not (math.isfinite(value) and abs(value) <= MAX_VALUE):
        raise bad(f"{name} must be a finite number of at most {MAX_VALUE:.0e} in size, not {value}")
    return value


def check_range(lo: float | date | None, hi: float | date | None, what: str) -> None:
    if lo is not None and hi is not None and lo > hi:
        raise bad(f"{what}: the lower bound {lo} is above the upper bound {hi}")


def parse_bound(value: str | None, name: str, upper: bool) -> date | None:
    """'2030' → 2030-01-01 (lower bound) or 2030-12-31 (upper bound); '2030-06' and '2030-06-30' too."""
    if value is None or not value.strip():
        return None
    v = value.strip()
    try:
        if re.fullmatch(r"\d{4}", v):
            found = date(int(v), 12, 31) if upper else date(int(v), 1, 1)
        elif m := re.fullmatch(r"(\d{4})-(\d{1,2})", v):
            y, mo = int(m.group(1)), int(m.group(2))
            if not 1 <= mo <= 12:
                raise ValueError(mo)
            last = calendar.monthrange(y, mo)[1]
            found = date(y, mo, last if upper else 1)
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            found = date.fromisoformat(v)
        else:
            raise ValueError(v)
    except ValueError:
        raise bad(f"{name} must be a year (2030), a month (2030-06) or a date (2030-12-31), not {v[:40]!r}") from None
    if not MIN_YEAR <= found.year <= MAX_YEAR:
        raise bad(f"{name} must fall between {MIN_YEAR} and {MAX_YEAR}, not {v[:40]!r}")
    return found


def check_name(value: str | None, name: str, limit: int = 300) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value) > limit:
        raise bad(f"{name} is longer than {limit} characters")
    return value.strip()
