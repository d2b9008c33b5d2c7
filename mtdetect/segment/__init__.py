"""Pages into blocks: `text` for crawler plain text, `html` for HTML, `boilerplate` for the
content/boilerplate flag."""

from __future__ import annotations

from mtdetect.document import Block
from mtdetect.segment.html import segment_html
from mtdetect.segment.text import segment_text


def segment(text: str, is_html: bool) -> list[Block]:
    return segment_html(text) if is_html else segment_text(text)


__all__ = ["segment", "segment_html", "segment_text"]
