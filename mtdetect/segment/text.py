"""Plain-text pages (as a crawler extracted them) into blocks.

A crawler writes one block per line (paragraphs, list items, sidebar lines), sometimes with blank
lines between paragraphs, sometimes hard-wrapped at a fixed width. No library knows this
convention, so it is written here: a block is a line, or several lines of one hard-wrapped
paragraph joined.
"""

from __future__ import annotations

import re

from mtdetect.document import Block

# "- item", "* item", "• item", "1. item", "1) item", "» item"
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣»>]+|\d{1,3}[.)])\s+")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")
_SENTENCE_END = re.compile(r"[.!?:;…»\"'”’)\]]\s*$")

# A text whose longest line exceeds this was not hard-wrapped: every line is its own block.
_MAX_WRAP_WIDTH = 110


def _wrap_width(lines: list[str]) -> int:
    longest = max((len(line.rstrip()) for line in lines), default=0)
    return longest if longest <= _MAX_WRAP_WIDTH else 0


def _continues(prev: str, line: str, width: int) -> bool:
    """Does `line` continue the hard-wrapped paragraph that `prev` belongs to?"""
    if not width or _BULLET.match(line) or _MD_HEADING.match(line):
        return False
    if line[:1].isspace() and not prev[:1].isspace():
        return False  # an indented line after a flush one starts something new
    # A wrapped line was broken because the next word did not fit: it is near the width.
    if len(prev.rstrip()) < 0.6 * width:
        return False
    first = line.lstrip()[:1]
    return not _SENTENCE_END.search(prev) or first.islower()


def segment_text(text: str) -> list[Block]:
    lines = text.splitlines()
    width = _wrap_width(lines)
    blocks: list[Block] = []
    current: list[str] = []
    start = 0

    def flush(end: int) -> None:
        if not current:
            return
        first = current[0]
        tag = "p"
        if _BULLET.match(first):
            tag = "li"
            current[0] = _BULLET.sub("", first, count=1)
        elif _MD_HEADING.match(first):
            tag = "h"
            current[0] = _MD_HEADING.sub("", first, count=1)
        joined = " ".join(part.strip() for part in current)
        joined = re.sub(r"\s+", " ", joined).strip()
        if joined:
            blocks.append(Block(index=len(blocks), line_start=start + 1, line_end=end + 1, text=joined, tag=tag))
        current.clear()

    for i, line in enumerate(lines):
        if not line.strip():
            flush(i - 1)
            continue
        if current and _continues(current[-1], line, width):
            current.append(line)
            continue
        flush(i - 1)
        current.append(line)
        start = i
    flush(len(lines) - 1)
    return blocks
