"""Plain text files in any of the encodings of :mod:`corpus.encoding`."""

from __future__ import annotations

import os
from pathlib import Path

from corpus.encoding import DecodeError, decode_bytes
from corpus.formats import Extracted, Piece, ReadError, Warning_

MAX_BYTES = int(os.environ.get("CHITIEU_READ_MAX_BYTES", 20 * 1024 * 1024))


def read_capped(path: Path, max_bytes: int = MAX_BYTES) -> tuple[bytes, int]:
    """The first ``max_bytes`` of the file (never the whole of a huge file) and the file's size."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        return fh.read(max_bytes), size


def extract(path: Path) -> Extracted:
    data, size = read_capped(path)
    out = Extracted(separator="")
    if size > len(data):
        # cut at the last line break so no line (or multi-byte character) is split
        cut = data.rfind(b"\n")
        if cut > len(data) // 2:
            data = data[: cut + 1]
        out.warnings.append(Warning_("truncated", f"the file has {size} bytes; only the first {len(data)} were read"))
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        raise ReadError(exc.code, exc.message) from exc
    out.encoding = decoded.encoding
    if decoded.warning == "unknown_encoding":
        out.warnings.append(Warning_("unknown_encoding",
                                     f"the encoding could not be told for sure; read as {decoded.encoding}"))
    elif decoded.warning:
        out.warnings.append(Warning_(decoded.warning, f"some bytes are not valid {decoded.encoding}"))
    out.pieces.append(Piece(decoded.text.replace("\r\n", "\n").replace("\r", "\n")))
    return out
