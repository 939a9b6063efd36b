"""dates: not built yet (see issue 3). Returns no mention until its rules land."""

from __future__ import annotations

from extractors.context import Context


def extract(text: str, ctx: Context) -> list:
    return []
