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
