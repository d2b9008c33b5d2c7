"""The data that travels through mtdetect: a page split into blocks, and the page's report.

Every stage fills in its own fields: `segment` creates blocks (text, lines, kind),
`langid` sets `lang`/`lang_score`, `mt` sets `mt_score`, `source` sets `source_lang`, `summary` sets the page fields.
`to_dict()` is the JSON contract that other tools read; keep its keys stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

CONTENT = "content"
BOILERPLATE = "boilerplate"


@dataclass
class Block:
    index: int
    line_start: int
    line_end: int
    text: str
    kind: str = CONTENT
    lang: Optional[str] = None
    lang_score: float = 0.0
    mt_score: Optional[float] = None
    source_lang: Optional[dict] = None  # {"lang", "score"}: what the English was translated from
    # Hints from the segmenter that the boilerplate classifier uses; not part of the JSON contract.
    tag: Optional[str] = None  # HTML tag, or "li"/"h"/"p" guessed from plain text
    link_density: float = 0.0
    region: Optional[str] = None  # enclosing <nav>/<header>/<footer>/<aside>/<form>, if any
    main: Optional[bool] = None  # HTML: inside trafilatura's main text (None: it found none)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "text": self.text,
            "kind": self.kind,
            "lang": self.lang,
            "lang_score": round(self.lang_score, 4),
            "mt_score": None if self.mt_score is None else round(self.mt_score, 4),
            "source_lang": self.source_lang,
        }


@dataclass
class PageReport:
    path: str
    blocks: list[Block] = field(default_factory=list)
    lang: Optional[str] = None
    langs: dict[str, float] = field(default_factory=dict)
    multilingual: bool = False
    mt_score: Optional[float] = None
    source_lang: Optional[dict] = None  # {"lang", "score", "scores"}; "en" = written in English
    error: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def summary_dict(self) -> dict[str, Any]:
        """The page fields without the blocks (what `mtdetect filter` attaches to a record)."""
        return {
            "lang": self.lang,
            "langs": {k: round(v, 4) for k, v in self.langs.items()},
            "multilingual": self.multilingual,
            "mt_score": None if self.mt_score is None else round(self.mt_score, 4),
            "source_lang": self.source_lang,
        }

    def to_dict(self, blocks: bool = True) -> dict[str, Any]:
        if self.error is not None:
            return {"path": self.path, "error": self.error}
        out: dict[str, Any] = {"path": self.path, **self.summary_dict()}
        if blocks:
            out["blocks"] = [b.to_dict() for b in self.blocks]
        return out
