"""The agencies' language data, loaded once."""

from __future__ import annotations

from pathlib import Path

import yaml

_HERE = Path(__file__).resolve().parent


def _load(name: str) -> dict:
    return yaml.safe_load((_HERE / f"{name}.yaml").read_text(encoding="utf-8"))


GAZETTEER: dict = _load("gazetteer")
ROLES: dict = _load("roles")
PROVINCES: list[str] = _load("provinces")["provinces"]
