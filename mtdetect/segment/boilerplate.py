"""Content or boilerplate, per block.

jusText's algorithm does the core of the work, called as a library: context-free classes from
length, stopword density and link density (`classify_paragraphs`), then the neighbour pass that
settles short and near-good blocks by their surroundings (`revise_paragraph_classification`).

What is added here, because jusText cannot know it:
- the stoplist follows each block's own language, so a Russian article is judged by Russian
  stopwords and a Russian sidebar on an English page is not "good" by accident;
- crawler plain text has no links or tags, so page furniture is recognised from what it says
  (prompts, credits, "Read more »", dates and counters) and from its shape (runs of list items
  that read as headlines, teasers cut off with "...");
- HTML regions (<nav>, <header>, <footer>, <aside>, <form>) are furniture whatever they say.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Sequence

import justext
from justext.core import (
    MAX_LINK_DENSITY_DEFAULT, STOPWORDS_HIGH_DEFAULT, STOPWORDS_LOW_DEFAULT,
    revise_paragraph_classification,
)
from justext.paragraph import Paragraph

from mtdetect.document import BOILERPLATE, CONTENT, Block

# Regions that are furniture whatever they say: the <title>, and the HTML5 elements made for it.
# Class and id words ("comments", "sidebar") are not enough here: this path runs on the pages
# trafilatura could not read, where the whole text often sits in such a wrapper.
REGION_TAGS = {"head", "nav", "header", "footer", "aside", "form", "menu", "select", "button"}

# ISO 639-1 -> jusText stoplist name, for the languages a block can be identified as.
_STOPLISTS = {
    "af": "Afrikaans", "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian", "bg": "Bulgarian",
    "bn": "Bengali", "bs": "Bosnian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish",
    "de": "German", "el": "Greek", "en": "English", "eo": "Esperanto", "es": "Spanish",
    "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French",
    "ga": "Irish", "gl": "Galician", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian", "is": "Icelandic",
    "it": "Italian", "ka": "Georgian", "kk": "Kazakh", "kn": "Kannada", "ko": "Korean",
    "ky": "Kyrgyz", "la": "Latin", "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian",
    "ml": "Malayalam", "mr": "Marathi", "ms": "Malay", "ne": "Nepali", "nl": "Dutch",
    "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian",
    "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tl": "Tagalog",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese",
    "yo": "Yoruba",
}

# Prompts, credits and labels that are furniture in any page. Anchored and short on purpose:
# they must not match an article sentence that merely mentions "comment" or "subscribe".
_FURNITURE = re.compile(
    r"""^(?:
        read\ more|continue\ reading|more\ news|see\ also|related(?:\ news|\ articles|\ posts)?
      | most\ (?:read|popular|viewed|shared)|you\ may\ also\ like|similar\ news.*|trending.*
      | click\ to\ comment|leave\ a\ (?:reply|comment).*|(?:post\ a\ |add\ a\ )?comments?
      | your\ email\ address\ will\ not\ be\ published.*|do\ you\ want\ to\ leave\ a\ comment.*
      | share(?:\ this)?(?:\ on\ \w+)?|subscribe.*|sign\ (?:in|up)|log\ ?in|log\ ?out|register
      | connect\ with\ us|follow\ us.*|hi,\ what\ are\ you\ looking\ for\??|search.*|menu|home
      | advertisement|sponsored.*|(?:file\ )?photo:.*|image(?:\ source)?:.*|source:.*
      | \(?(?:writing|reporting|editing|additional\ reporting)\ by\ .*
      | published:.*|updated:.*|posted\ (?:on|by).*
      | all\ rights\ reserved.*|the\ rights\ to\ this\ material.*|the\ material\ is\ placed\ by.*
      | privacy\ policy|terms\ of\ (?:use|service)|cookie.*|contact\ us|about\ us
      | читать\ далее.*|подробнее.*|войти|подписка.*|комментари[йи].*|поделиться.*
      | weiterlesen.*|mehr\ zum\ thema.*|lire\ la\ suite.*|en\ savoir\ plus.*
    )\W*$""",
    re.I | re.X,
)
_READ_MORE = re.compile(r"^(?:read|see|view|continue|learn)\s+(?:more|full|the\s+full)\b.*$|^more\W*$", re.I)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|&copy|copyright\s+\d{4}", re.I)
# Teasers in "related news" lists are cut mid-sentence.
_TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*(?:»|\[?more\]?)?\s*$")
_SENTENCE_END = re.compile(r"[.!?…:;]['\"”’»)]*\s*$")
_LETTER = re.compile(r"[^\W\d_]")

LENGTH_LOW = 70
LENGTH_HIGH = 150


class _BlockParagraph(Paragraph):
    """A Block in the shape jusText's classifier reads (dom path, text, characters in links)."""

    def __init__(self, block: Block):
        self.block = block
        heading = block.tag == "h"
        self.dom_path = "body.h1" if heading else f"body.{block.tag or 'p'}"
        self.xpath = "/" + self.dom_path.replace(".", "/")
        self.text_nodes = [block.text]
        self.chars_count_in_links = int(round(block.link_density * len(block.text)))
        self.tags_count = 0
        self.class_type = ""

    @property
    def text(self) -> str:  # the block text is already whitespace-normalised
        return self.block.text


def _classify_paragraphs(paragraphs: Sequence[_BlockParagraph], stoplist: frozenset) -> None:
    """jusText's context-free pass (`justext.core.classify_paragraphs` with LENGTH_LOW and
    LENGTH_HIGH, its other defaults), the same decisions, computed once per paragraph: jusText
    re-lowercases the stoplist on every call and splits each paragraph's text three times."""
    for p in paragraphs:
        text = p.text
        length = len(text)
        # jusText: word.lower() for word in text.split(); lowercasing never makes whitespace
        words = text.lower().split()
        stopword_density = sum(map(stoplist.__contains__, words)) / len(words) if words else 0
        link_density = p.chars_count_in_links / length if length else 0
        p.heading = p.is_heading
        if link_density > MAX_LINK_DENSITY_DEFAULT:
            p.cf_class = "bad"
        elif "\xa9" in text or "&copy" in text:
            p.cf_class = "bad"
        elif "select" in p.dom_path:
            p.cf_class = "bad"
        elif length < LENGTH_LOW:
            p.cf_class = "bad" if p.chars_count_in_links > 0 else "short"
        elif stopword_density >= STOPWORDS_HIGH_DEFAULT:
            p.cf_class = "good" if length > LENGTH_HIGH else "neargood"
        elif stopword_density >= STOPWORDS_LOW_DEFAULT:
            p.cf_class = "neargood"
        else:
            p.cf_class = "bad"


@lru_cache(maxsize=None)
def stoplist_for(lang: Optional[str]) -> Optional[frozenset]:
    name = _STOPLISTS.get(lang or "en")
    if name is None:
        return None
    return frozenset(w.lower() for w in justext.get_stoplist(name))


def _forced_bad(block: Block) -> bool:
    """Furniture recognised from what a block says or where it sits, before any scoring."""
    text = block.text.strip()
    if block.region in REGION_TAGS:
        return True
    if not _LETTER.search(text):
        return True  # counters, dates, times, bare numbers
    if _FURNITURE.match(text) or _COPYRIGHT.search(text):
        return True
    if _TRUNCATED.search(text):
        return True
    return False


def _isolated_label(blocks: Sequence[Block], forced: Sequence[bool], i: int) -> bool:
    """A short furniture block with no furniture on either side (sidebars and lists are runs)."""
    return (len(blocks[i].text) < LENGTH_LOW
            and (i == 0 or not forced[i - 1])
            and (i + 1 == len(blocks) or not forced[i + 1]))


def _is_title_like(block: Block) -> bool:
    """A headline: a few words of text that do not end a sentence."""
    words = block.text.split()
    return 4 <= len(words) <= 25 and not _SENTENCE_END.search(block.text) and not _forced_bad(block)


def _article_title(paragraphs: Sequence[_BlockParagraph], window: int = 6) -> Optional[int]:
    """The headline of the article: the last title-like block shortly before the first good one.

    Plain text carries no <h1>, and headlines have few stopwords, so jusText drops them; but a
    news page puts its headline just above the body, with at most captions, dates and counters
    in between.
    """
    first_good = next((i for i, p in enumerate(paragraphs) if p.class_type == "good"), None)
    if first_good is None or paragraphs[first_good].block.tag == "h":
        return None  # no article, or its headline (an HTML heading) is already kept
    for i in range(first_good - 1, max(-1, first_good - 1 - window), -1):
        block = paragraphs[i].block
        if _is_title_like(block):
            return i
    return None


def _headline_list_items(blocks: Sequence[Block]) -> set[int]:
    """List items that form a list of headlines: runs of 3+ items, most without a full stop.

    Article bullet points are sentences; "related news" and "Most Read" lists are titles.
    """
    marked: set[int] = set()
    run: list[int] = []

    def close() -> None:
        if len(run) >= 3:
            titles = [i for i in run if not _SENTENCE_END.search(blocks[i].text)]
            if len(titles) >= 0.6 * len(run):
                marked.update(run)
        run.clear()

    for i, block in enumerate(blocks):
        if block.tag == "li":
            run.append(i)
        else:
            close()
    close()
    return marked


def classify_blocks(blocks: Sequence[Block]) -> None:
    """Set `kind` on every block. Blocks should carry their language already (see langid)."""
    if not blocks:
        return
    if _trafilatura_sure(blocks):
        _classify_from_main_text(blocks)
        return
    _classify_with_justext(blocks)


def _trafilatura_sure(blocks: Sequence[Block]) -> bool:
    """trafilatura found a main text of some length: below it (a footer line, a caption), the
    page is a listing, a guestbook or a page it could not read, and jusText decides."""
    main = sum(len(b.text) for b in blocks if b.main)
    return main >= SHORT_MAIN_CHARS


# Signals of mtdetect's own on top of trafilatura's verdict; each measured on html-eval
# (scripts/eval_html.py), see the README.
USE_HEADLINE = True
USE_FURNITURE_TEXT = True
USE_LINK_ONLY = True
HEADLINE_WINDOW = 4
# Main text shorter than this (characters) is trafilatura unsure.
SHORT_MAIN_CHARS = 200
LINK_ONLY_DENSITY = 0.9


def _headline_before_main(blocks: Sequence[Block]) -> Optional[int]:
    """The article's headline: the last HTML heading shortly before the first main-text block.

    trafilatura moves the title into its metadata and often leaves the <h1> out of the text;
    the headline belongs to the article (its language counts, `relate` aligns it).
    """
    first = next((i for i, b in enumerate(blocks) if b.main), None)
    if first is None or blocks[first].tag == "h":
        return None
    for i in range(first - 1, max(-1, first - 1 - HEADLINE_WINDOW), -1):
        if blocks[i].tag == "h" and blocks[i].region != "head" and blocks[i].region is None:
            return i
    return None


def _furniture_in_main(block: Block) -> bool:
    """What trafilatura keeps but is furniture by what it says: an inline "Advertisement" slot,
    a copyright line, a paragraph that is nothing but a link (a teaser to another story)."""
    text = block.text.strip()
    if USE_FURNITURE_TEXT and (_FURNITURE.match(text) or _COPYRIGHT.search(text)):
        return True
    if USE_LINK_ONLY and block.tag != "h" and block.link_density >= LINK_ONLY_DENSITY:
        return True
    return False


def _classify_from_main_text(blocks: Sequence[Block]) -> None:
    """HTML pages where trafilatura found a main text: its verdict decides, corrected by the
    signals above."""
    for b in blocks:
        b.kind = CONTENT if b.main and not _furniture_in_main(b) else BOILERPLATE
    if USE_HEADLINE:
        title = _headline_before_main(blocks)
        if title is not None:
            blocks[title].kind = CONTENT


def _classify_with_justext(blocks: Sequence[Block]) -> None:
    """Plain text, and HTML pages trafilatura finds no main text in: jusText plus the rules."""
    paragraphs = [_BlockParagraph(b) for b in blocks]
    headline_items = _headline_list_items(blocks)

    # Context-free pass, one jusText call per stoplist so each block is judged in its language.
    by_lang: dict[Optional[str], list[_BlockParagraph]] = {}
    for p in paragraphs:
        by_lang.setdefault(p.block.lang, []).append(p)
    for lang, group in by_lang.items():
        stoplist = stoplist_for(lang)
        if stoplist is not None:
            _classify_paragraphs(group, stoplist)
        else:
            # No stoplist (e.g. Chinese, Japanese: no spaces between words): length alone.
            for p in group:
                p.heading = p.is_heading
                size = len(p.text) * (3 if lang in {"zh", "ja", "ko"} else 1)
                p.cf_class = "short" if size < LENGTH_LOW else "neargood"

    forced = [_forced_bad(b) or i in headline_items for i, b in enumerate(blocks)]
    for i, p in enumerate(paragraphs):
        # A teaser in a list of teasers: followed by its "Read more" link, preceded by furniture
        # (the previous teaser's link, or the list's heading). The last paragraph of an article
        # followed by a stray "Read more" is not one.
        teaser = (
            i + 1 < len(blocks)
            and bool(_READ_MORE.match(blocks[i + 1].text))
            and (i == 0 or forced[i - 1])
        )
        if forced[i] and _isolated_label(blocks, forced, i):
            # A lone short label between article paragraphs ("Advertisement", an inline ad
            # slot, "Share") is furniture, but it says nothing about its neighbours: it stays
            # jusText's "short" for the neighbour pass, so the paragraph after it is not dropped
            # for sitting next to it, and is set bad afterwards.
            p.cf_class = "short"
        elif forced[i] or teaser:
            p.cf_class = "bad"

    revise_paragraph_classification(paragraphs)
    for i, p in enumerate(paragraphs):
        if forced[i]:
            p.class_type = "bad"
    title = _article_title(paragraphs)
    if title is not None:
        paragraphs[title].class_type = "good"
    for p in paragraphs:
        p.block.kind = BOILERPLATE if p.is_boilerplate else CONTENT
