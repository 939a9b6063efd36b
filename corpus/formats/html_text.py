"""Best-effort text of a web page that the article extractor could not read (a page nested deeper than libxml2
parses, a page without article markup): a streaming parse (no depth limit) that keeps the visible text, drops
scripts, styles and the navigation furniture (nav, header, footer, aside, forms), and breaks lines at blocks."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP = frozenset({"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "select",
                   "button", "iframe", "svg", "head", "title"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "wbr"})
_BLOCK = frozenset({"p", "div", "section", "article", "main", "li", "ul", "ol", "table", "tr", "td", "th", "h1",
                    "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt", "dl", "figure", "figcaption",
                    "br", "hr", "tbody", "thead", "center", "body"})
# a line of running text, not a menu entry: several words and a sentence's length
_PROSE = re.compile(r"^(?=.{60,})(?:\S+\s+){7,}\S+")


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag in _BLOCK and not self.skip:
                self.parts.append("\n")
            return
        if self.skip or tag in _SKIP:
            self.skip.append(tag)
            return
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.skip:
            # close up to the matching tag (HTML in the wild leaves tags unclosed)
            if tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's visible text outside its navigation furniture, one block per line."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def has_prose(text: str) -> bool:
    """True when some line reads as running text rather than a list of links."""
    return any(_PROSE.match(line) for line in text.split("\n"))
