"""Reading the labelled WMT English corpora (never copied into the project; read from a path)."""

from __future__ import annotations

import gzip
import io
import json
import os
import zlib
from pathlib import Path
from typing import Iterable, Optional

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def default_corpus_dir() -> Path:
    """`$MTDETECT_CORPORA`, else ../shared/corpora relative to the project root."""
    env = os.environ.get("MTDETECT_CORPORA")
    return Path(env) if env else (PROJECT_ROOT.parent / "shared" / "corpora")


def corpus_files(corpus: Optional[str | Path], years: Iterable[int]) -> list[Path]:
    """Resolve `--corpus` (a directory holding wmt-en-mt/wmtYY.jsonl.gz, that subdirectory, or a
    single file) into the list of files for `years`."""
    base = Path(corpus) if corpus else default_corpus_dir()
    if base.is_file():
        return [base]
    out = []
    for y in years:
        name = f"wmt{int(y) % 100:02d}.jsonl.gz"
        for cand in (base / "wmt-en-mt" / name, base / name):
            if cand.exists():
                out.append(cand)
                break
        else:
            raise FileNotFoundError(f"no {name} under {base}")
    return out


def read_jsonl(path: str | Path) -> list[dict]:
    path = Path(path)
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    rows = []
    for line in io.StringIO(raw.decode("utf-8")):
        line = line.strip()
        if line:
            rows.append(json.loads(line))
    return rows


def load_rows(files: Iterable[str | Path], max_docs: Optional[int] = None) -> list[dict]:
    """All rows of `files` in file order; with `max_docs`, only the first N documents (in a
    stable hash order, so the subset mixes languages and systems and is reproducible)."""
    rows: list[dict] = []
    for f in files:
        rows.extend(read_jsonl(f))
    if max_docs is not None:
        docs = sorted({r["doc"] for r in rows}, key=lambda d: (zlib.crc32(d.encode()), d))
        keep = set(docs[:max_docs])
        rows = [r for r in rows if r["doc"] in keep]
    return rows


def doc_fold(doc: str, k: int, seed: int = 0) -> int:
    """Deterministic fold of a document (all its versions land in the same fold)."""
    return zlib.crc32(f"{seed}:{doc}".encode()) % k


# --- English written in English: the human side as the web has it --------------------------
# Fixed document splits: the held-out part is never trained on, so the false-alarm figures of
# the shipped model are measured on documents it did not see.
def native_split(doc: str) -> str:
    """'train' for 4/5 of native-en documents, 'heldout' for the rest (by a hash of the id)."""
    return "heldout" if zlib.crc32(f"native:{doc}".encode()) % 5 == 0 else "train"


def web_split(doc: str) -> str:
    """'train' for half of the html-eval English pages, 'heldout' for the other half."""
    return "heldout" if zlib.crc32(f"web:{doc}".encode()) % 2 == 1 else "train"


def load_native(corpus: Optional[str | Path] = None, split: Optional[str] = "train") -> list[dict]:
    """native-en rows (BBC News, WMT25 English sources), tagged `corpus: native-en`; `split`
    'train', 'heldout' or None for all."""
    base = Path(corpus) if corpus else default_corpus_dir()
    path = base / "native-en" / "native_en.jsonl.gz"
    rows = []
    for r in read_jsonl(path):
        if split is None or native_split(r["doc"]) == split:
            rows.append({**r, "corpus": "native-en"})
    return rows


def load_web_english(corpus: Optional[str | Path] = None, split: Optional[str] = "train",
                     min_words: int = 5) -> list[dict]:
    """Main text of the English pages of html-eval, one row per paragraph, tagged
    `corpus: html-eval` (doc = the page). The main text is trafilatura's extraction (precision
    mode) and a page counts as English when mtdetect's identifier says so of its whole text."""
    import trafilatura

    from mtdetect.langid import identify
    from mtdetect.read import ReadError, read_page

    base = (Path(corpus) if corpus else default_corpus_dir()) / "html-eval"
    evaldata = json.loads((base / "evaldata.json").read_text(encoding="utf-8"))
    rows: list[dict] = []
    for url in sorted(evaldata):
        name = evaldata[url]["file"]
        doc = f"html:{name}"
        if split is not None and web_split(doc) != split:
            continue
        try:
            page = read_page(base / "pages" / name, html=True)
        except ReadError:
            continue
        text = trafilatura.extract(page.text, favor_precision=True) or ""
        paras = [p.strip() for p in text.split("\n") if len(p.split()) >= min_words]
        if not paras or identify([" ".join(paras)[:5000]])[0][0] != "en":
            continue
        for i, para in enumerate(paras):
            rows.append({"id": f"{doc}.{i}", "text": para, "label": "human", "origin": "original-english",
                         "system": "web", "src_lang": "en", "doc": doc, "domain": "web",
                         "corpus": "html-eval"})
    return rows


# --- the classes a training set is balanced over ----------------------------------------------
# MT is half the mass; the human half is split between WMT's human translations, WMT's original
# English and English written natively (BBC and WMT25 sources, html-eval's English main text,
# native-web's training sites), so no group's share depends on how many rows it happens to have.
GROUP_SHARES = {"mt": 0.5, "human-translation": 0.2, "original-english": 0.15, "native": 0.15}
NATIVE_CORPORA = ("native-en", "html-eval", "native-web")


def human_group(row: dict) -> str:
    """'mt', 'human-translation', 'original-english' (WMT) or 'native' (the native corpora)."""
    if row["label"] == "mt":
        return "mt"
    if row.get("corpus") in NATIVE_CORPORA:
        return "native"
    return "human-translation" if row["origin"] == "human-translation" else "original-english"


def share_probabilities(groups, shares: Optional[dict] = None):
    """Per-item probability that gives each group (a label per item) its share of the mass; a
    missing group's share goes to the others. Rows for training, pages for calibration."""
    import numpy as np

    shares = dict(shares or GROUP_SHARES)
    g = np.asarray(groups)
    present = {k: v for k, v in shares.items() if (g == k).any()}
    total = sum(present.values())
    p = np.zeros(len(g))
    for k, v in present.items():
        m = g == k
        p[m] = v / total / m.sum()
    return p


def group_probabilities(rows, shares: Optional[dict] = None):
    """`share_probabilities` of rows by `human_group`, summing to 1."""
    p = share_probabilities([human_group(r) for r in rows], shares)
    return p / p.sum()


def training_rows(corpus: Optional[str | Path], years: Iterable[int], native: bool = True,
                  exclude_fold: Optional[int] = None) -> list[dict]:
    """WMT rows of `years` (without the documents of `exclude_fold` of 10, kept for page
    calibration) and, with `native`, the training splits of native-en, html-eval English and
    native-web."""
    rows = load_rows(corpus_files(corpus, years))
    if exclude_fold is not None:
        rows = [r for r in rows if doc_fold(r["doc"], 10) != exclude_fold]
    if native:
        rows += load_native(corpus, "train") + load_web_english(corpus, "train") + load_native_web(corpus, "train")
    return rows


# --- real web pages: the development sets ---------------------------------------------------
def site_split(site: str) -> str:
    """'train' for half of the native-web sites, 'dev' for the other half (by a hash of the
    site, so no site is on both sides)."""
    return "train" if zlib.crc32(f"site:{site}".encode()) % 2 == 0 else "dev"


def _jsonl_under(corpus: Optional[str | Path], rel: str) -> list[dict]:
    base = Path(corpus) if corpus else default_corpus_dir()
    return read_jsonl(base / rel)


def load_native_web_pages(corpus: Optional[str | Path] = None, split: Optional[str] = "dev") -> list[dict]:
    """native-web pages (plain text with menus, all written in English); `split` 'train', 'dev'
    or None for all."""
    rows = _jsonl_under(corpus, "native-web/native_web_dev.jsonl")
    return [r for r in rows if split is None or site_split(r["site"]) == split]


def load_native_web(corpus: Optional[str | Path] = None, split: Optional[str] = "train",
                    min_words: int = 8) -> list[dict]:
    """The lines of native-web pages with at least `min_words` words (paragraphs, not menu
    items), one row each in the fields of wmt-en-mt, tagged `corpus: native-web`."""
    rows = []
    for page in load_native_web_pages(corpus, split):
        doc = f"nw:{page['url']}"
        for i, line in enumerate(page["text"].split("\n")):
            line = line.strip().lstrip("-*• ").strip()
            if len(line.split()) >= min_words:
                rows.append({"id": f"{doc}.{i}", "text": line, "label": "human", "origin": "original-english",
                             "system": "web", "src_lang": "en", "doc": doc, "domain": page["kind"],
                             "corpus": "native-web"})
    return rows


def load_realweb_pages(corpus: Optional[str | Path] = None) -> list[dict]:
    """realweb-dev: real English pages labelled `mt` or `human` from evidence (dev only: never
    trained on)."""
    return _jsonl_under(corpus, "realweb-dev/realweb_dev.jsonl")
