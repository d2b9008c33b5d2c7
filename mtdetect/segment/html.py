"""HTML pages into blocks, through lxml's HTML parser (libxml2: forgiving with broken markup,
and it records the source line of every element, which the report shows).

A block is the text of a block-level element without the text of the block-level elements
nested inside it (those are blocks of their own). `<br>` splits a block: sidebars often list
items as lines separated by `<br>`.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from mtdetect.document import Block

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li",
    "main", "menu", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody",
    "td", "tfoot", "th", "thead", "title", "tr", "ul", "select", "button", "label",
}
SKIP_TAGS = {"script", "style", "template", "svg", "math", "iframe", "object",
             "embed", "canvas", "head", "meta", "link", "input", "textarea"}
# Regions whose text is page furniture whatever it says; the boilerplate classifier reads this.
FURNITURE_TAGS = {"nav", "header", "footer", "aside", "form", "menu", "select", "button"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "title"}
# Inside an <article> or <main>, <header> holds the headline and <footer> the byline: not furniture.
ARTICLE_TAGS = {"article", "main"}
# Class and id words that name page furniture in the markup of most sites and CMS themes.
FURNITURE_WORDS = {
    "sidebar", "related", "comment", "comments", "breadcrumb", "breadcrumbs", "share", "sharing",
    "social", "widget", "newsletter", "subscribe", "promo", "advert", "advertisement", "ad", "ads",
    "banner", "cookie", "cookies", "popup", "menu", "navbar", "nav", "navigation", "footer",
    "masthead", "pagination", "pager", "tags", "trending", "recommended", "outbrain", "taboola",
}
# The wrappers of a whole page: a furniture word in their class ("single-post has-ads") says
# nothing about the article inside them.
NEVER_REGION_TAGS = {"html", "body"}


def _furniture_name(el, tag: str) -> str | None:
    """A furniture word that is a whole class token, id or role of the element itself.

    Whole tokens only: "ad" names an ad slot, but not "header-ad-wrapper", "load" or "shadow";
    words inside compound names matched the wrappers of whole articles on real sites.
    """
    if tag in NEVER_REGION_TAGS:
        return None
    names = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''}".lower().split()
    for name in names:
        if name in FURNITURE_WORDS:
            return name
    return None

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_WS = re.compile(r"\s+")


class _Run:
    """Text gathered for the block being built: pieces, how much of it sits in links, lines."""

    def __init__(self, tag: str, region: str | None, line: int):
        self.tag = tag
        self.region = region
        self.parts: list[str] = []
        self.link_chars = 0
        self.line_start = line
        self.line_end = line
        self.has_text = False

    def add(self, text: str | None, line: int, in_link: bool) -> None:
        if not text:
            return
        if not self.has_text:
            self.line_start = line + _leading_newlines(text)
        self.parts.append(text)
        stripped = text.strip()
        if stripped:
            self.has_text = True
            if in_link:
                self.link_chars += len(stripped)
            self.line_end = line + text.rstrip().count("\n")


def _leading_newlines(text: str) -> int:
    return text[: len(text) - len(text.lstrip())].count("\n")


# libxml2 stops nesting at 256 elements unless told otherwise, and then silently drops the rest
# of the page (old hand-written pages open a <div> or <font> per paragraph and never close it).
# `huge_tree` lifts that limit; elements nested deeper than MAX_DEPTH are then unwrapped (see
# `_flatten`), so neither this module's walk nor trafilatura recurses without bound.
_PARSER = lxml.html.HTMLParser(huge_tree=True)
MAX_DEPTH = 200


def _parse(text: str):
    text = _XML_DECL.sub("", text, count=1)
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    _flatten(root, MAX_DEPTH)
    return root


def _flatten(root, max_depth: int) -> None:
    """Flatten every element nested deeper than `max_depth`, in place (see `_flatten_into`).
    Linear in the size of the page."""
    # The elements exactly `max_depth` below the root (the root's depth is 0), found by libxml2.
    at_depth = root.getroottree().xpath("/" + "/".join(["*"] * (max_depth + 1)))
    for anchor in at_depth:
        if len(anchor) and anchor.tag not in SKIP_TAGS:
            _flatten_into(anchor)


class _Segment:
    """A block element being rebuilt as a child of the anchor (created on its first content)."""

    __slots__ = ("anchor", "source", "el")

    def __init__(self, anchor, source):
        self.anchor, self.source, self.el = anchor, source, None

    def target(self):
        if self.source is None:  # the anchor's own text, between lifted blocks
            return None
        if self.el is None:
            self.el = self.anchor.makeelement(self.source.tag, dict(self.source.attrib))
            if self.source.sourceline:
                self.el.sourceline = self.source.sourceline
            self.anchor.append(self.el)
        return self.el


def _append_text(parent, text) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _flatten_into(anchor) -> None:
    """Rebuild the content of `anchor` one level deep: each block element inside it (at any
    depth) becomes a child of its own (same tag and attributes) holding its text and inline
    markup, in document order, as if each had been closed before the next one opened; inline
    elements are unwrapped into their text, `<br>` kept; scripts, styles and comments are kept
    whole (never walked into)."""
    events = []
    walker = etree.iterwalk(anchor, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if el is anchor:
            continue
        events.append((event, el))
        if event == "start" and el.tag in SKIP_TAGS:
            walker.skip_subtree()
    for child in list(anchor):
        anchor.remove(child)
    stack = [_Segment(anchor, None)]
    current = stack[-1]

    def put(text=None, el=None):
        if not text and el is None:
            return
        parent = current.target()
        if parent is None:
            parent = anchor
        if el is not None:
            el.tail = None
            parent.append(el)
        _append_text(parent, text)

    for event, el in events:
        tail = el.tail
        if event in ("comment", "pi"):
            put(el=el)
            put(tail)
            continue
        tag = el.tag
        if event == "start":
            if tag in SKIP_TAGS:
                put(el=el)
            elif tag in BLOCK_TAGS:
                stack.append(_Segment(anchor, el))
                current = stack[-1]
                put(el.text)
            elif tag == "br":
                put(el=anchor.makeelement("br"))
            else:
                put(el.text)
        else:
            if tag in BLOCK_TAGS and tag not in SKIP_TAGS:
                stack.pop()
                # Text after a nested block is a new block of the enclosing one.
                current = _Segment(anchor, stack[-1].source) if stack[-1].source is not None else stack[0]
                stack[-1] = current
            put(tail)


def segment_html(text: str, main_content: bool = True) -> list[Block]:
    """Blocks of an HTML page; with `main_content`, each marked in or out of trafilatura's main
    text (`Block.main`), from the same parsed tree."""
    root = _parse(text)
    blocks: list[Block] = []
    if root is None:
        return blocks
    blocks = _blocks_of(root)
    if main_content and blocks:
        from mtdetect.segment.main_content import extract_segments, mark_main_text

        mark_main_text(blocks, extract_segments(root))
    return blocks


def _blocks_of(root) -> list[Block]:
    blocks: list[Block] = []

    def emit(run: _Run) -> None:
        joined = _WS.sub(" ", "".join(run.parts)).strip()
        if not joined:
            return
        tag = "h" if run.tag in HEADING_TAGS else ("li" if run.tag in {"li", "dt", "dd", "option"} else "p")
        blocks.append(
            Block(
                index=len(blocks),
                line_start=run.line_start,
                line_end=max(run.line_end, run.line_start),
                text=joined,
                tag=tag,
                link_density=min(1.0, run.link_chars / max(1, len(joined))),
                region=run.region,
            )
        )

    # Title text lives in <head>, which is otherwise skipped. It is a block (its language counts)
    # but page furniture: it repeats the headline with the site's name ("Headline | Site").
    title = root.find(".//title")
    if title is not None and title.text and title.text.strip():
        run = _Run("title", "head", title.sourceline or 1)
        run.add(title.text, title.sourceline or 1, False)
        emit(run)

    def region_of(el, tag: str, region: str | None, in_article: bool) -> str | None:
        if region is not None:
            return region
        if tag in FURNITURE_TAGS and not (in_article and tag in {"header", "footer"}):
            return tag
        return _furniture_name(el, tag)

    def walk(el, run: _Run, region: str | None, in_link: bool, in_article: bool = False) -> _Run:
        """Depth-first; returns the run that text after `el` (its tail) belongs to."""
        tag = el.tag if isinstance(el.tag, str) else ""
        line = el.sourceline or run.line_end
        if tag in SKIP_TAGS or not tag:  # comments and processing instructions have no str tag
            return run
        if tag == "br":
            emit(run)
            return _Run(run.tag, run.region, line)
        if tag in BLOCK_TAGS:
            emit(run)
            inner_region = region_of(el, tag, region, in_article)
            inner_article = in_article or tag in ARTICLE_TAGS
            inner = _Run(tag, inner_region, line)
            inner.add(el.text, line, in_link)
            for child in el:
                inner = walk(child, inner, inner_region, in_link, inner_article)
                _add_tail(inner, child, in_link)
            emit(inner)
            return _Run(run.tag, run.region, inner.line_end)
        link = in_link or tag == "a"
        run.add(el.text, line, link)
        for child in el:
            run = walk(child, run, region, link, in_article)
            _add_tail(run, child, link)
        return run

    body = root.find("body")
    start = body if body is not None else root
    final = walk(start, _Run("p", None, start.sourceline or 1), None, False)
    emit(final)
    for i, block in enumerate(blocks):
        block.index = i
    return blocks


def _add_tail(run: _Run, child, in_link: bool) -> None:
    tail = child.tail
    if tail:  # the line is only worth finding for text (whitespace between tags is most tails)
        run.add(tail, _tail_line(child, run) if tail.strip() else run.line_end, in_link)


def _tail_line(child, run: _Run) -> int:
    # lxml knows where an element starts, not where its tail text starts; the end of the
    # element's own text is the best estimate without re-lexing the source. The last
    # descendant's start line plus the newlines of its own text is that end, found without
    # joining the whole subtree's text for every child (quadratic on deep pages).
    line = child.sourceline or run.line_end
    if not isinstance(child.tag, str):
        return line
    last = child
    for last in child.iter():
        pass
    end = last.sourceline or line
    if last.text:
        end += last.text.count("\n")
    while last is not child and last is not None:  # tails between the last descendant and child
        if last.tail:
            end += last.tail.count("\n")
        last = last.getparent()
    return max(line, end)
