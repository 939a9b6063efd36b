"""Web pages: the article body only (trafilatura), then the site furniture it leaves (counters, share buttons,
image names, lists of other articles) removed by the patterns of ``corpus/html_furniture.yaml``; the property
table of legal-database pages (Số hiệu | Ngày ban hành | …) goes to the metadata hints."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import lxml.html
import trafilatura
import yaml

from corpus.encoding import DecodeError, decode_bytes
from corpus.formats import Extracted, Piece, ReadError, Warning_
from corpus.formats.html_text import has_prose, visible_text
from corpus.formats.txt import read_capped
from corpus.metadata import patterns

FURNITURE = Path(__file__).resolve().parents[1] / "html_furniture.yaml"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


@lru_cache
def furniture() -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
    data = yaml.safe_load(FURNITURE.read_text(encoding="utf-8"))
    drop = [re.compile(p, re.I) for p in data["drop_lines"]]
    cut = [re.compile(p, re.I) for p in data["cut_from"]]
    return drop, cut


def decode_html(data: bytes) -> tuple[str, str]:
    match = _META_CHARSET.search(data[:4096])
    if match:
        codec = match.group(1).decode("ascii", "ignore").lower()
        try:
            return data.decode(codec), codec
        except (LookupError, UnicodeDecodeError):
            pass
    decoded = decode_bytes(data)
    return decoded.text, decoded.encoding


def clean_lines(text: str) -> str:
    drop, cut = furniture()
    kept: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if any(p.match(stripped) for p in cut):
            break
        if stripped and any(p.match(stripped) for p in drop):
            continue
        kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def property_table(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """Label/value cell pairs of the page's tables whose label is a known property."""
    labels = patterns().properties
    found: dict[str, str] = {}
    for row in tree.iter("tr"):
        cells = [" ".join(c.text_content().split()) for c in row if c.tag in ("td", "th")]
        for i in range(len(cells) - 1):
            label = cells[i].rstrip(":").strip().lower()
            if label in labels and cells[i + 1] and labels[label] not in found:
                found[labels[label]] = cells[i + 1]
    return found


def extract(path: Path) -> Extracted:
    data, _ = read_capped(path)
    try:
        html, encoding = decode_html(data)
    except DecodeError as exc:
        raise ReadError(exc.code, exc.message) from exc
    out = Extracted(encoding=encoding)
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError) as exc:
        return _fallback(html, out, f"the page cannot be parsed ({exc})")
    out.hints.update(property_table(tree))
    body = trafilatura.extract(html, include_comments=False, include_tables=True, include_images=False,
                               include_links=False, favor_precision=True, deduplicate=True)
    meta = trafilatura.extract_metadata(html)
    title = (meta.title or "").strip() if meta else ""
    if meta is not None:
        if meta.date:
            out.hints["published_date"] = meta.date
        if meta.author:
            out.hints["author"] = meta.author
    text = clean_lines(body or "")
    if not text:
        return _fallback(html, out, "no article body was found")
    if title and not text.startswith(title):
        h1 = tree.xpath("//h1")
        heading = " ".join(h1[0].text_content().split()) if h1 else title
        text = f"{heading}\n\n{text}"
    if len(text) < 200:
        out.warnings.append(Warning_("html_short", "the page's body is very short; it may not be an article"))
    out.pieces.append(Piece(text))
    return out


def _fallback(html: str, out: Extracted, why: str) -> Extracted:
    """The page's visible prose when the article extractor finds none (a page nested too deep for libxml2, no
    article markup), with a warning; an error when even that is navigation only."""
    text = clean_lines(visible_text(html))
    if not text or not has_prose(text):
        raise ReadError("html_no_body", "the page has no article or document body (navigation only)")
    out.warnings.append(Warning_("html_fallback", f"{why}: the page's visible text is kept as a best effort"))
    out.pieces.append(Piece(text))
    return out
