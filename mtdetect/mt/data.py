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
