"""The filter rules and the decision: why a page with a given summary is dropped, or None.

One implementation, three front ends: `mtdetect filter` (the CLI), the datatrove step
(`mtdetect.integrations.datatrove`) and the Spark function (`mtdetect.integrations.spark`)
all call `evaluate_text` and `decide` from here, so a document gets the same annotation and
the same verdict whichever engine runs it.

The rules (`FilterRules`), checked in this order; the first that fails is the drop reason:

- ``keep_langs``: the page's main language must be one of them. A page with no letters has
  no main language (``lang`` null) and is dropped by this rule: ``"lang null not in [en]"``.
- ``max_foreign``: the *foreign share* must not exceed it. The foreign share is the share of
  the page's letters that are in none of the kept languages, i.e. ``1 - sum(langs[l] for l in
  keep_langs)``; without ``keep_langs`` the main language is the one kept, so it is
  ``1 - langs[lang]``. Computed from the rounded shares of `PageReport.summary_dict()` and
  rounded to 4 decimals; a page without letters has a foreign share of 0.
- ``max_mt``: the page's ``mt_score`` must not exceed it. Pages without a score (no English
  block long enough to judge, or MT scoring off) pass.
- ``drop_source_langs``: the page's guessed source language (``source_lang.lang``) must not be
  one of them (``"source_lang ru in [ru]"``). Pages without a guess pass.

Comparisons are strict (``>``): a page exactly at a threshold is kept. A record whose text is
empty or only whitespace is dropped with reason ``"empty text"`` before any rule (in
label-only mode it is kept, annotated with the empty summary).

Malformed input (not dropped by a rule, but unusable): a line that is not UTF-8, not JSON, not
a JSON object, or whose text field is missing or not a string. Blank lines (empty or only
whitespace) carry no record: they are skipped and only counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Sequence

from mtdetect.document import PageReport


@dataclass(frozen=True)
class FilterRules:
    keep_langs: tuple[str, ...] = ()
    max_mt: Optional[float] = None
    max_foreign: Optional[float] = None
    drop_source_langs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("keep_langs", "drop_source_langs"):
            langs = getattr(self, name)
            if isinstance(langs, str):
                langs = (langs,)
            # Deduplicated, order kept: the order shows up in the reason text.
            object.__setattr__(self, name, tuple(dict.fromkeys(l.strip() for l in langs if l.strip())))
        for name in ("max_mt", "max_foreign"):
            value = getattr(self, name)
            if value is not None and not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, not {value}")

    @property
    def active(self) -> bool:
        """True when at least one rule is set (otherwise nothing can be dropped)."""
        return (bool(self.keep_langs) or self.max_mt is not None or self.max_foreign is not None
                or bool(self.drop_source_langs))


def empty_summary() -> dict[str, Any]:
    """The summary of a page without text (the same fields as any other page)."""
    return PageReport(path="<empty>").summary_dict()


def foreign_share(summary: dict[str, Any], keep_langs: Sequence[str] = ()) -> float:
    """Share of the page's letters in none of `keep_langs` (or, without them, not in the main
    language). 0.0 for a page without letters."""
    langs = summary.get("langs") or {}
    if not langs:
        return 0.0
    home = set(keep_langs) if keep_langs else {summary.get("lang")}
    return round(max(0.0, 1.0 - sum(share for lang, share in langs.items() if lang in home)), 4)


def decide(summary: dict[str, Any], rules: FilterRules) -> Optional[str]:
    """The reason to drop a page with this summary, or None to keep it.

    Reasons start with the rule's name (`lang`, `foreign`, `mt_score`), see `reason_rule`.
    """
    if rules.keep_langs:
        lang = summary.get("lang")
        if lang not in rules.keep_langs:
            return f"lang {lang or 'null'} not in [{', '.join(rules.keep_langs)}]"
    if rules.max_foreign is not None:
        share = foreign_share(summary, rules.keep_langs)
        if share > rules.max_foreign:
            return f"foreign {share} > {rules.max_foreign}"
    if rules.max_mt is not None:
        score = summary.get("mt_score")
        if score is not None and score > rules.max_mt:
            return f"mt_score {score} > {rules.max_mt}"
    if rules.drop_source_langs:
        guess = (summary.get("source_lang") or {}).get("lang")
        if guess is not None and guess in rules.drop_source_langs:
            return f"source_lang {guess} in [{', '.join(rules.drop_source_langs)}]"
    return None


EMPTY_TEXT = "empty text"


def reason_rule(reason: str) -> str:
    """The rule a reason comes from: 'lang', 'foreign', 'mt_score', 'source_lang' or 'empty'. A short, bounded
    key for statistics (the full reason holds numbers and would make one key per value)."""
    return reason.split(" ", 1)[0]
