"""THE place where blocks' languages are decided, a page (any list of blocks) at a time.

Per block, in Python: the letters are counted once per script (``scripts.py``), a script that
decides alone decides, and what the models will read is prepared. Then, for all the blocks of the
page together, as arrays of blocks × languages:

1. fastText lid.176 scores every block (one call each; its top TOP_K languages).
2. The scores are raised to a per-block evidence weight (tempered on blocks under
   EVIDENCE_LETTERS letters, where the models guess), multiplied by the prior over web languages
   and, for Cyrillic blocks, by the orthographic evidence (``orthography.py``), restricted to
   the languages the block's script writes, and normalised per block.
3. Blocks still unsure (under CONFIDENT, or Croatian/Serbian/Bosnian, which fastText cannot tell
   apart in Latin letters) get py3langid's opinion too; the experts are combined as a geometric
   mean (product of experts), so agreement raises confidence and disagreement lowers it.
   langdetect can be a third opinion for blocks still under STILL_UNSURE (off by default).

The confidence is the winner's share of the combined, prior-weighted scores. A language an expert
knows but did not rank gets FLOOR (it voted against it; the floor keeps one overconfident model
from vetoing alone); a language an expert does not know at all (fastText has no Hausa, py3langid
no Yakut) gets ABSTAIN times that expert's best score: it cannot veto it, nor vouch for it.
"""
from __future__ import annotations

import threading
from typing import Sequence

from mtdetect.langid import models, orthography
from mtdetect.langid.models import FLOOR, URL
from mtdetect.langid.scripts import (
    CODE, LANG_SCRIPTS, NON_LATIN_LANGS, SCRIPT_LANG, SHARED_SCRIPT_LANGS, dominant_script, drop_codes, nfc,
    script_counts, table,
)

# Languages mtdetect reports on. Everything else is still identified, but
# weighted down (see OTHER_WEIGHT).
MAIN_LANGS = ("en", "cs", "de", "fr", "ru", "uk", "ja", "zh", "bn", "hi")

# Prior weight of a language outside MAIN_LANGS relative to a main one.
# 0.25 means another language must be scored 4x higher than a main language to
# win: enough to stop short English/French lines drifting to Esperanto or
# Italian, not enough to hide a clearly Croatian or Kazakh paragraph.
# All main languages weigh the same: favouring English (the pages' usual
# language) fixes "Menu" but breaks "Suche", "Anmelden", "Connexion".
OTHER_WEIGHT = 0.25

# Blocks with fewer letters than this have their model evidence tempered
# (scores ** (letters / EVIDENCE_LETTERS)), shrinking toward the prior. Models
# trained on sentences are overconfident on "Update" or "Menu": fastText says
# Swedish and Esperanto. About four words of text is where they become reliable.
EVIDENCE_LETTERS = 20

# fastText posterior above which no second opinion is asked.
CONFIDENT = 0.90
# When is py3langid worth asking? Measured (scripts/eval_lid.py blocks plus 1-3 word fragments of
# them, tune and held-out halves, and the blocks of 120 html-eval pages): on blocks of fewer than
# 10 letters that fastText puts at 0.7-0.9 it changes no label for the better (tune +0, held-out
# +0 of 273; 8 % of its calls on HTML pages), but it lowers their confidence ("Kommentar" de
# 0.78 -> 0.39) below the page summary's voting bar (0.5), which is what keeps one-word menu
# items from voting: skipping it there made an html-eval page multilingual. Everywhere else it
# adds accuracy (short blocks under 0.5: +34 tune, +53 held-out). So it is asked on every block
# under CONFIDENT.
# Combined posterior under which langdetect is also asked (rare, it is slow).
STILL_UNSURE = 0.60
# What an expert contributes for a language it does not know.
ABSTAIN = 0.25

# Croatian, Serbian, Bosnian (and fastText's "sh", Serbo-Croatian) written in
# Latin letters are one language to fastText lid.176: its Serbian data is
# mostly Cyrillic, and it calls Latin-script Croatian "sr" or "sh". In Latin
# script it only tells us "one of these"; py3langid chooses among them.
BCMS = frozenset({"hr", "sr", "bs", "sh"})

_MAIN_SET = frozenset(MAIN_LANGS)
# Languages py3langid 0.4 knows and fastText lid.176 does not (in the label space from the start;
# a language a model names that is not in it is added then).
PY3_ONLY = frozenset("dz fo ha ig lg ln om rw se sn st xh zu".split())


# --------------------------------------------------------------------------- one block, in Python

def _model_text(text: str, script: str, counts: dict[str, int]) -> str:
    """What the statistical models see: URLs and e-mail addresses removed,
    whitespace folded (fastText refuses newlines), all-caps lowered (models are
    trained on mixed case; "ПОДПИСКА НА НОВОСТИ" is rarer than its lower case),
    and, in a block of a non-Latin script, the Latin-script words dropped
    (brand names, "r/Military", "#PRS_ORG#" say nothing about the language)."""
    if "://" in text or "www." in text or "@" in text:
        text = URL.sub(" ", text)
    text = " ".join(text.split())
    if script != "Latin" and counts.get("Latin"):
        tab = table()
        latin = CODE["Latin"]
        kept = [w for w in text.split(" ") if latin not in w.translate(tab)]
        text = " ".join(kept) or text
    if text.isupper():
        text = text.lower()
    return text


def analyse(text: str):
    """(letters, decided result or None, script, model text, scripts present) of one block. ``letters`` are the
    letters of its words (what the page's shares count); a block without letters, or whose only
    "words" are codes (base64, hashes: see scripts.drop_codes), is decided ``(None, 0.0)``."""
    text = drop_codes(nfc(text))
    counts = script_counts(text)
    letters = sum(counts.values())
    if not letters:
        return 0, (None, 0.0), None, None, None
    script = dominant_script(counts)
    # Writing systems that decide by themselves.
    if script == "Han":
        # Japanese writes kana in almost every sentence; Chinese never does
        # (apart from the odd borrowed の). Han alone is Chinese.
        han, kana = counts.get("Han", 0), counts.get("Kana", 0)
        if kana >= 2 or (kana and kana >= 0.1 * (han + kana)):
            return letters, ("ja", round(min(1.0, 0.9 + kana / (han + kana)), 4)), script, None, None
        return letters, ("zh", round(0.9 if han < 4 else 0.99, 4)), script, None, None
    if script in SCRIPT_LANG:
        return letters, (SCRIPT_LANG[script], round(counts[script] / letters, 4)), script, None, None
    return letters, None, script, _model_text(text, script, counts), frozenset(counts)


# --------------------------------------------------------------------------- the label space

class _Space:
    """Every language any expert can name, one column each, with the per-language vectors
    (prior, which expert knows it, which script writes it, name order for ties). Grows when a
    model names a language not seen before (another model version); rebuilt then."""

    def __init__(self, labels):
        import numpy as np

        self.np = np
        self.labels = sorted(labels)
        self.index = {lang: i for i, lang in enumerate(self.labels)}
        self._derive()

    def _derive(self):
        np = self.np
        labels = self.labels
        self.name_rank = np.argsort(np.argsort(np.array(labels, dtype=object)))
        self.prior = np.array([1.0 if l in _MAIN_SET else OTHER_WEIGHT for l in labels])
        self.main = np.array([l in _MAIN_SET for l in labels])
        self.non_latin = np.array([l in NON_LATIN_LANGS for l in labels])
        self._known: dict[frozenset, object] = {}
        self._cand: dict[str, object] = {}
        self._slots: dict = {}
        self._table = None
        self._alpha = {lang: self.index[lang] for lang in orthography.ALPHABETS if lang in self.index}

    def add(self, langs: set) -> None:
        new = langs.difference(self.index)
        if new:
            self.labels = sorted(set(self.labels) | new)
            self.index = {lang: i for i, lang in enumerate(self.labels)}
            self._derive()

    def known(self, langs: frozenset):
        mask = self._known.get(langs)
        if mask is None:
            mask = self._known[langs] = self.np.array([l in langs for l in self.labels])
        return mask

    def candidate_key(self, script: str, present: frozenset):
        """What decides a block's candidate languages (see :meth:`candidates`)."""
        return script if script in SHARED_SCRIPT_LANGS else present

    def candidate_rows(self, keys: list):
        """The candidate masks of blocks with these keys, one row each."""
        slots = self._slots
        table = self._table
        if table is None or not all(k in slots for k in keys):
            with _SPACE_LOCK:
                for key in keys:
                    if key not in slots:
                        slots[key] = len(slots)
                rows = [None] * len(slots)
                for key, i in slots.items():
                    rows[i] = self.candidates(key if isinstance(key, str) else "", key)
                table = self._table = self.np.stack(rows)
        return table[[slots[k] for k in keys]]

    def candidates(self, script: str, present: frozenset):
        """Languages a block written in ``script`` (with letters of the scripts ``present``) may
        be given: for a script shared by a family of languages (Cyrillic, Arabic, Devanagari,
        Bengali), that family, as the models were always restricted; otherwise the languages of
        the scripts present (Latin: every language not in NON_LATIN_LANGS)."""
        key = script if script in SHARED_SCRIPT_LANGS else present
        mask = self._cand.get(key)
        if mask is None:
            if script in SHARED_SCRIPT_LANGS:
                langs = SHARED_SCRIPT_LANGS[script]
                mask = self.np.array([l in langs for l in self.labels])
            else:
                langs = frozenset().union(*(LANG_SCRIPTS.get(s, ()) for s in present))
                mask = self.np.array([l in langs for l in self.labels])
                if "Latin" in present:
                    mask |= ~self.non_latin
            self._cand[key] = mask
        return mask


_SPACE: _Space | None = None
_SPACE_LOCK = threading.Lock()


def _space() -> _Space:
    global _SPACE
    if _SPACE is None:
        with _SPACE_LOCK:
            if _SPACE is None:
                langs = set(models.fasttext_labels()) | models.LANGDETECT_LABELS | _MAIN_SET
                langs |= NON_LATIN_LANGS | set(SCRIPT_LANG.values()) | PY3_ONLY
                for s in SHARED_SCRIPT_LANGS.values():
                    langs |= s
                _SPACE = _Space(langs)
    return _SPACE


# --------------------------------------------------------------------------- a page, as arrays

def _pool_bcms(scores: dict[str, float]) -> dict[str, float]:
    if BCMS.isdisjoint(scores):
        return scores
    pooled = sum(scores.get(l, 0.0) for l in BCMS)
    if pooled < FLOOR:
        return scores
    scores = {l: p for l, p in scores.items() if l not in BCMS}
    for l in ("hr", "sr", "bs"):
        scores[l] = pooled / 3
    return scores


class _Expert:
    """One model's opinion on some blocks: a blocks × languages matrix (FLOOR where it knows a
    language but did not rank it, ABSTAIN × its best where it does not know it; a block it could
    not read at all, ``None``, gets ABSTAIN everywhere) and which languages it listed."""

    def __init__(self, space: _Space, keys: list[int], rows: list, known: frozenset):
        self.keys, self.rows, self.known = keys, rows, known
        self.pos = {k: j for j, k in enumerate(keys)}
        space.add(set().union(*(r for r in rows if r)))
        self.build(space)

    def build(self, space: _Space) -> None:
        np = space.np
        rows = self.rows
        self.width = len(space.labels)
        neutral = np.array([ABSTAIN * max(r.values(), default=1.0) if r is not None else ABSTAIN
                            for r in rows])
        matrix = np.where(space.known(self.known)[None, :], FLOOR, neutral[:, None])
        listed = np.zeros(matrix.shape, dtype=bool)
        idx = space.index
        ri, ci, vals = [], [], []
        for i, r in enumerate(rows):
            if r is None:
                matrix[i] = ABSTAIN
            elif r:
                ri += [i] * len(r)
                ci += map(idx.__getitem__, r)
                vals += r.values()
        if ri:
            matrix[ri, ci] = vals
            listed[ri, ci] = True
        self.matrix, self.listed = matrix, listed

    def take(self, sel: list[int]):
        if len(sel) == len(self.keys):  # sel is always a prefix-free subset in key order
            return self.matrix, self.listed
        j = [self.pos[k] for k in sel]
        return self.matrix[j], self.listed[j]


def _combine(space: _Space, mats: list, listed, cand, restrict, weight, pen_rows, pen_letters,
             pen_words):
    """Product of experts with prior and orthography; returns (best column, confidence) per row."""
    np = space.np
    power = (weight / len(mats))[:, None]
    s = space.prior[None, :] * mats[0] ** power
    for mat in mats[1:]:
        s = s * mat ** power
    if pen_rows is not None and len(pen_rows):
        s[pen_rows] *= pen_letters
        s[pen_rows] *= pen_words
    allowed = listed & cand
    empty = ~allowed.any(axis=1)
    if empty.any():  # the models know none of the script's languages: trust the script
        fb = cand[empty]
        fb_main = fb & space.main[None, :]
        allowed[empty] = np.where(fb_main.any(axis=1)[:, None], fb_main, fb)
    # The winner is always a language of the block's script. For scripts shared by one family
    # (Cyrillic, Arabic, Devanagari, Bengali) the confidence is its share among that family;
    # for Latin (and scripts without a family) among all the languages the models named, as
    # before the script rule: a Latin line that fastText reads as Ukrainian stays unsure.
    norm = np.where(restrict[:, None], allowed, listed | allowed)
    s = np.where(norm, s, 0.0)
    total = s.sum(axis=1)
    total[total == 0] = 1.0
    p = s / total[:, None]
    p = np.where(allowed, p, -1.0)
    top = p.max(axis=1)
    # Ties broken by name so that the result never depends on the order of the languages.
    best = np.where(p == top[:, None], space.name_rank[None, :], -1).argmax(axis=1)
    return best, top


def _ask_py3(lang: str, conf: float) -> bool:
    """Is py3langid's opinion worth asking for a block fastText decided ``lang`` at ``conf``?"""
    return conf < CONFIDENT or lang in BCMS


def decide_batch(texts: Sequence[str], *, use_py3langid: bool = True,
                 use_langdetect: bool = False) -> list[tuple]:
    """[(lang, confidence, letters)] per text (see the module docstring)."""
    out: list = [None] * len(texts)
    rows, scripts, cand_keys, model_texts, weights = [], [], [], [], []
    space = _space()
    for i, text in enumerate(texts):
        letters, decided, script, model_text, present = analyse(text)
        if decided is not None:
            out[i] = (decided[0], decided[1], letters)
        else:
            rows.append(i)
            scripts.append(script)
            cand_keys.append(space.candidate_key(script, present))
            model_texts.append(model_text)
            weights.append((letters, min(1.0, letters / EVIDENCE_LETTERS)))
    if not rows:
        return out

    np = space.np
    n = len(rows)
    ft_rows = []
    for script, mt in zip(scripts, model_texts):
        scores = models.ft_scores(mt)
        ft_rows.append(_pool_bcms(scores) if script == "Latin" else scores)
    experts = [_Expert(space, list(range(n)), ft_rows, models.fasttext_labels())]
    penalties: dict[int, tuple[dict, dict]] = {}

    def run(sel: list[int]) -> None:
        """Combine the experts so far for the model rows ``sel`` (in increasing order)."""
        width = len(space.labels)
        for e in experts:
            if e.width != width:  # a model named a language not seen before: rebuild
                e.build(space)
        taken = [e.take(sel) for e in experts]
        listed = taken[0][1]
        for _, l in taken[1:]:
            listed = listed | l
        cand = space.candidate_rows([cand_keys[k] for k in sel])
        restrict = np.array([scripts[k] in SHARED_SCRIPT_LANGS for k in sel])
        weight = np.array([weights[k][1] for k in sel])
        pen_rows = [j for j, k in enumerate(sel) if scripts[k] == "Cyrillic"]
        pl = pw = None
        if pen_rows:
            pl = np.ones((len(pen_rows), width))
            pw = np.ones((len(pen_rows), width))
            index = space.index
            for r, j in enumerate(pen_rows):
                k = sel[j]
                if k not in penalties:
                    penalties[k] = (orthography.letter_penalties(model_texts[k]),
                                    orthography.word_penalties(model_texts[k]))
                letters, words = penalties[k]
                for lang, f in letters.items():
                    pl[r, index[lang]] = f
                for lang, f in words.items():
                    pw[r, index[lang]] = f
        best, conf = _combine(space, [m for m, _ in taken], listed, cand, restrict, weight,
                              pen_rows, pl, pw)
        labels = space.labels
        result.update({k: (labels[b], c) for k, b, c in zip(sel, best.tolist(), conf.tolist())})

    result: dict[int, tuple[str, float]] = {}
    run(list(range(n)))

    if use_py3langid and models.py3_available():
        unsure = [k for k in range(n) if _ask_py3(*result[k])]
        if unsure:
            experts.append(_Expert(space, unsure, [models.py3_scores(model_texts[k]) for k in unsure],
                                   models.py3_labels()))
            run(unsure)
            if use_langdetect:
                still = [k for k in unsure if result[k][1] < STILL_UNSURE]
                if still:
                    experts.append(_Expert(space, still,
                                           [models.langdetect_scores(model_texts[k]) for k in still],
                                           models.LANGDETECT_LABELS))
                    run(still)
    for k, i in enumerate(rows):
        lang, c = result[k]
        out[i] = (lang, round(c, 4), weights[k][0])
    return out
