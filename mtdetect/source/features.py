"""Features of the source-language guess: hashed n-grams of English text with its topic masked.

Within one WMT year, the English translated from one language is a handful of news stories, so
raw words would teach the model topics ("Prague", "Bundestag"). The text is reduced to what a
translation carries over from its source: function words, frequent words, punctuation and the
*shape* of everything else (`Xx` for a capitalised rare word, `x` for a rare word, `XX` for an
acronym, the digit pattern of a number: `0.0.0`, `0,0`, `0`), then hashed into three blocks of
columns, each l2-normalised:

- `words`: masked word 1-3-grams ("the Xx of the Xx", ", which x");
- `chars`: character 3-4-grams of each masked word with its boundaries (" of ", "ich");
- `signals` (optional): what a translation leaves of its source that the mask hides: the
  ending of capitalised rare words (transliterated names: `-ov`, `-sky`, `-ko`, `-ng`), letters
  of other scripts and Latin letters with diacritics (`scr:CYRILLIC`, `dia:ř`), and source
  punctuation the English kept (`「`, `、`, `„`, `«`).

Everything is hashed with MurmurHash3 (`mmh3`) and numpy, a batch at a time: a token's masking
and hash are cached per process, n-grams are combined as 64-bit integers, no scikit-learn or
scipy at run time. `Featurizer.rows(texts)` returns (indptr, columns, values) in CSR layout.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Optional, Sequence

import numpy as np

from mtdetect.mt.normalize import normalize

WORD_BITS = 18
CHAR_BITS = 16
SIGNAL_BITS = 14
KEEP_WORDS = 3000  # the most frequent English words are kept as they are (wordfreq ranks)
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+(?:[.,:/-]\d+)*|[^\w\s]", re.UNICODE)
_DIGITS = re.compile(r"\d+")
# Punctuation of the source languages that normalisation would fold away (read on the raw text).
SOURCE_PUNCT = frozenset("「」『』、。《》【】〈〉・„«»‹›")
_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_CACHE_LIMIT = 500_000


def keep_words() -> list[str]:
    """The kept words, from wordfreq (training only: a model stores its own list)."""
    import wordfreq

    return list(wordfreq.top_n_list("en", KEEP_WORDS))


def _h64(s: str) -> int:
    import mmh3

    return mmh3.hash64(s, seed=0, signed=False)[0]


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser on uint64 arrays (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


_K = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))


class Featurizer:
    """Masking and hashing with a fixed list of kept words (stored with the model)."""

    def __init__(self, keep: Iterable[str], chars: bool = True, signals: bool = True, masked: bool = True,
                 names: bool = False):
        self.keep = frozenset(keep)
        self.names = names
        self.chars = chars
        self.signals = signals
        self.masked = masked
        self.n_words, self.n_chars, self.n_signals = 1 << WORD_BITS, 1 << CHAR_BITS, 1 << SIGNAL_BITS
        self.n_features = self.n_words + (self.n_chars if chars else 0) + (self.n_signals if signals else 0)
        self._tok: dict[str, tuple[int, tuple]] = {}  # raw token -> (masked id, signal ids)
        self._vocab: dict[str, int] = {}  # masked token or signal string -> id
        self._names: list[str] = []
        self._hash: list[int] = []
        self._char_cols: list[list[int]] = []
        self._arrays = None  # (hash uint64[V], char columns int64[V, L] padded with -1)

    # -- one token ---------------------------------------------------------------------------
    def mask_token(self, tok: str) -> str:
        low = tok.lower()
        if not self.masked:
            return tok
        if low in self.keep or not tok[0].isalnum():
            return low if tok[0].isupper() and low in self.keep else tok
        if tok[0].isdigit():
            return _DIGITS.sub("0", tok)
        if tok.isupper() and len(tok) > 1:
            return "XX"
        return "Xx" if tok[0].isupper() else "x"

    def _id(self, name: str) -> int:
        i = self._vocab.get(name)
        if i is None:
            i = self._vocab[name] = len(self._names)
            self._names.append(name)
            self._hash.append(_h64(name))
            if name.startswith("\x00"):  # a signal: no character n-grams
                self._char_cols.append([])
            else:
                padded = f" {name} "
                grams = {padded[i:i + n] for n in (3, 4) for i in range(len(padded) - n + 1)}
                self._char_cols.append(sorted(_h64("c" + g) % self.n_chars for g in grams))
            self._arrays = None
        return i

    def _token(self, tok: str) -> tuple[int, tuple]:
        hit = self._tok.get(tok)
        if hit is not None:
            return hit
        m = self.mask_token(tok)
        sig: tuple = ()
        if m == "Xx" and len(tok) >= 4:
            low = tok.lower()
            grams = [low[-3:]]
            if self.names:  # the letter patterns of a transliterated name: " ts", "shi", "zh"
                padded = f" {low} "
                grams += [padded[i:i + 3] for i in range(len(padded) - 2)]
            sig = tuple(self._id("\x00" + ("sfx:" if i == 0 else "nam:") + g) for i, g in enumerate(grams))
        hit = (self._id(m), sig)
        if len(self._tok) > _CACHE_LIMIT:
            self._tok.clear()
        self._tok[tok] = hit
        return hit

    def _raw_signals(self, text: str) -> list[int]:
        """Script remnants, diacritics and source punctuation of a non-ASCII text (each once)."""
        found = set()
        for ch in set(text):
            if ord(ch) < 128:
                continue
            if ch in SOURCE_PUNCT:
                found.add("\x00pun:" + ch)
            elif ch.isalpha():
                name = unicodedata.name(ch, "")
                script = name.split(" ")[0]
                if script == "LATIN":
                    found.add("\x00dia:" + ch.lower())
                elif script:
                    found.add("\x00scr:" + script)
        return [self._id(s) for s in sorted(found)]

    def tokens(self, text: str) -> list[str]:
        """The masked tokens of a text (what the word n-grams are made of)."""
        return [self._names[self._token(t)[0]] for t in _TOKEN.findall(normalize(text, digits=False))]

    # -- a batch -----------------------------------------------------------------------------
    def _vocab_arrays(self):
        if self._arrays is None:
            width = max([len(c) for c in self._char_cols] + [1])
            cc = np.full((len(self._char_cols), width), -1, dtype=np.int64)
            for i, c in enumerate(self._char_cols):
                cc[i, :len(c)] = c
            self._arrays = (np.array(self._hash, dtype=np.uint64), cc)
        return self._arrays

    def rows(self, texts: Sequence[str]):
        """CSR layout (indptr int64[n+1], columns int64[nnz], values float32[nnz]) of `texts`."""
        n = len(texts)
        tok_ids: list[int] = []
        sig_ids: list[int] = []
        tok_len = np.zeros(n, dtype=np.int64)
        sig_len = np.zeros(n, dtype=np.int64)
        for r, text in enumerate(texts):
            pairs = [self._token(t) for t in _TOKEN.findall(normalize(text, digits=False))]
            tok_ids.extend(p[0] for p in pairs)
            tok_len[r] = len(pairs)
            if self.signals:
                sigs = [i for p in pairs for i in p[1]]
                if not text.isascii():
                    sigs.extend(self._raw_signals(text))
                sig_ids.extend(sigs)
                sig_len[r] = len(sigs)
        hashes, char_cols = self._vocab_arrays()
        ids = np.asarray(tok_ids, dtype=np.int64)
        row = np.repeat(np.arange(n, dtype=np.int64), tok_len)
        h = hashes[ids]
        parts_r, parts_c = [], []
        # word n-grams, n = 1..3, never across two texts
        with np.errstate(over="ignore"):
            for k in (1, 2, 3):
                if len(h) < k:
                    continue
                key = np.uint64(k) * _K[2]
                for j in range(k):
                    key = key + h[j:len(h) - k + 1 + j] * _K[j]
                ok = row[:len(row) - k + 1] == row[k - 1:]
                parts_r.append(row[:len(row) - k + 1][ok])
                parts_c.append((_mix(key[ok]) % np.uint64(self.n_words)).astype(np.int64))
        blocks = [(np.concatenate(parts_r) if parts_r else np.zeros(0, np.int64),
                   np.concatenate(parts_c) if parts_c else np.zeros(0, np.int64), 0)]
        offset = self.n_words
        if self.chars:
            cc = char_cols[ids]
            ok = cc >= 0
            blocks.append((np.broadcast_to(row[:, None], cc.shape)[ok], cc[ok], offset))
            offset += self.n_chars
        if self.signals:
            sids = np.asarray(sig_ids, dtype=np.int64)
            srow = np.repeat(np.arange(n, dtype=np.int64), sig_len)
            blocks.append((srow, (hashes[sids] % np.uint64(self.n_signals)).astype(np.int64), offset))
        all_keys, all_vals = [], []
        for r, c, off in blocks:
            if len(r) == 0:
                continue
            keys, counts = np.unique(r * self.n_features + c + off, return_counts=True)
            vals = counts.astype(np.float64)
            rr = keys // self.n_features
            norm = np.sqrt(np.bincount(rr, weights=vals * vals, minlength=n))
            all_keys.append(keys)
            all_vals.append(vals / norm[rr])
        if not all_keys:
            return np.zeros(n + 1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
        keys = np.concatenate(all_keys)
        vals = np.concatenate(all_vals)
        order = np.argsort(keys, kind="stable")
        keys, vals = keys[order], vals[order]
        rr = keys // self.n_features
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rr, minlength=n), out=indptr[1:])
        return indptr, keys % self.n_features, vals.astype(np.float32)

    def matrix(self, texts: Sequence[str], chunk: int = 2000):
        """scipy CSR matrix of `texts` (training and evaluation; scoring does not need scipy)."""
        from scipy.sparse import csr_matrix, vstack

        parts = []
        for i in range(0, len(texts), chunk):  # bounded memory: char columns are tokens x 25
            indptr, cols, vals = self.rows(texts[i:i + chunk])
            parts.append(csr_matrix((vals, cols, indptr), shape=(len(indptr) - 1, self.n_features)))
        if not parts:
            return csr_matrix((0, self.n_features), dtype=np.float32)
        return vstack(parts, format="csr")

    def word_ngram_names(self, text: str) -> dict[int, str]:
        """Column -> readable masked word n-gram for the word features of one text (explanations)."""
        toks = self.tokens(text)
        hs = [_h64(t) for t in toks]
        out: dict[int, str] = {}
        with np.errstate(over="ignore"):
            for k in (1, 2, 3):
                for i in range(len(toks) - k + 1):
                    key = np.uint64(k) * _K[2]
                    for j in range(k):
                        key = key + np.uint64(hs[i + j]) * _K[j]
                    col = int(_mix(np.array([key], dtype=np.uint64))[0] % np.uint64(self.n_words))
                    out[col] = " ".join(toks[i:i + k])
        return out

    def signal_names(self, text: str) -> dict[int, str]:
        """Column -> readable signal (name ending, script, diacritic, punctuation) of one text."""
        if not self.signals:
            return {}
        out = {}
        ids = [i for t in _TOKEN.findall(normalize(text, digits=False)) for i in self._token(t)[1]]
        ids += self._raw_signals(text) if not text.isascii() else []
        base = self.n_words + (self.n_chars if self.chars else 0)
        for i in ids:
            out[base + self._hash[i] % self.n_signals] = self._names[i][1:]
        return out


def mask(text: str, keep: Optional[Iterable[str]] = None) -> str:
    """Normalised text with rare words replaced by their shape (see the module docstring)."""
    return " ".join(Featurizer(keep if keep is not None else keep_words(), chars=False, signals=False).tokens(text))
