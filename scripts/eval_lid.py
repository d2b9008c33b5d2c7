"""Accuracy and speed of block language identification on the shared WMT blocks.

Compares mtdetect's identifier with langdetect alone (seeded), fastText lid.176
alone, py3langid and lingua (when installed; they are dev-only comparisons).

    python scripts/eval_lid.py \
        [--corpus DIR] [--limit N] [--lingua-limit N] [--markdown FILE]

Accuracy per bucket (short / sentence / three) is the macro average over the
ten main languages; the other languages are reported apart, pooled over buckets.
``fragment`` is a diagnostic bucket made from the sentence blocks: their first 1-3 words
(Chinese and Japanese: 2-6 characters), seeded — closer to menu items and buttons than any WMT
block. Blocks are split in two halves by a CRC32 of their text: ``tune`` (where thresholds such
as when py3langid is asked were chosen) and ``held`` (never looked at while choosing); both are
printed, and all blocks together.
Speed is blocks per second of this process's CPU time (``time.process_time``),
so that other jobs on the machine do not distort the comparison; every system
runs over the same blocks in the same process.
"""
from __future__ import annotations

import gzip
import json
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable, Sequence

import click
from rich.console import Console
from rich.table import Table

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from mtdetect.langid import MAIN_LANGS, LanguageIdentifier  # noqa: E402

BUCKETS = ("short", "sentence", "three", "fragment")
SPLITS = ("all", "tune", "held")
OTHER_LANGS = ("hr", "is", "ha", "liv", "sah", "xh", "zu")
CORPUS_FILE = Path("lid") / "wmt21_22_blocks.jsonl.gz"


def default_corpus_dir() -> Path:
    env = os.environ.get("MTDETECT_CORPORA")
    return Path(env) if env else (PROJECT.parent / "shared" / "corpora")


def load_blocks(corpus_dir: Path, limit: int | None = None, seed: int = 0) -> list[dict]:
    """Blocks of the shared LID corpus; ``limit`` takes a seeded random sample
    (stratified by nothing: every block equally likely)."""
    path = Path(corpus_dir) / CORPUS_FILE
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    if limit and limit < len(rows):
        rows = random.Random(seed).sample(rows, limit)
    return rows


def add_fragments(rows: list[dict], seed: int = 5) -> list[dict]:
    """The first 1-3 words of every sentence block (zh/ja: 2-6 characters), as bucket
    ``fragment``."""
    rng = random.Random(seed)
    out = []
    for r in rows:
        if r["bucket"] != "sentence":
            continue
        if r["lang"] in ("zh", "ja"):
            text = r["text"][: rng.randint(2, 6)]
        else:
            text = " ".join(r["text"].split()[: rng.randint(1, 3)])
        out.append({"text": text, "lang": r["lang"], "bucket": "fragment"})
    return rows + out


def split_of(text: str) -> str:
    import zlib

    return "held" if zlib.crc32(text.encode("utf-8")) % 2 else "tune"


# --------------------------------------------------------------------------- systems

Batch = Callable[[Sequence[str]], list]


def mtdetect_system() -> Batch:
    from mtdetect import langid

    ident = LanguageIdentifier(preload=True)

    def run(texts: Sequence[str]) -> list:
        langid.clear_cache()  # time the work, not the memo of a previous run
        return [lang for lang, _ in ident.identify(texts)]

    return run


def langdetect_system() -> Batch:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def one(text: str) -> str | None:
        try:
            return detect(text)[:2]  # zh-cn / zh-tw -> zh
        except LangDetectException:
            return None

    one("warm up: load the profiles")
    return lambda texts: [one(t) for t in texts]


def fasttext_system() -> Batch:
    from mtdetect.langid.models import fasttext

    model = fasttext()

    def one(text: str) -> str | None:
        labels, _ = model.predict(" ".join(text.split()), k=1)
        return labels[0][9:] if labels else None

    return lambda texts: [one(t) for t in texts]


def py3langid_system() -> Batch:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier as Py3

    model = Py3.from_model_file(MODEL_FILE)
    return lambda texts: [model.classify(t)[0] for t in texts]


def lingua_system() -> Batch:
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

    def one(text: str) -> str | None:
        lang = detector.detect_language_of(text)
        return lang.iso_code_639_1.name.lower() if lang else None

    return lambda texts: [one(t) for t in texts]


# --------------------------------------------------------------------------- scoring


def score(rows: list[dict], preds: list) -> dict:
    hits: dict = defaultdict(lambda: [0, 0])
    for row, pred in zip(rows, preds):
        for split in ("all", split_of(row["text"])):
            keys = [(split, row["lang"], row["bucket"])]
            if row["bucket"] != "fragment":  # other languages: pooled over the WMT buckets
                keys.append((split, row["lang"], "*"))
            for key in keys:
                hits[key][1] += 1
                hits[key][0] += pred == row["lang"]

    def acc(split: str, lang: str, bucket: str) -> float | None:
        ok, n = hits.get((split, lang, bucket), (0, 0))
        return ok / n if n else None

    out = {}
    for split in SPLITS:
        for bucket in BUCKETS:
            accs = [a for lang in MAIN_LANGS if (a := acc(split, lang, bucket)) is not None]
            out[(split, bucket)] = sum(accs) / len(accs) if accs else None
    for lang in OTHER_LANGS:
        out[lang] = acc("all", lang, "*")
    for bucket in BUCKETS:
        out[bucket] = out[("all", bucket)]
    return out


def run(name: str, make: Callable[[], Batch], rows: list[dict], console: Console) -> dict:
    try:
        system = make()
    except ImportError as exc:
        console.print(f"[yellow]{name}: not installed ({exc.name}); skipped[/]")
        return {}
    texts = [r["text"] for r in rows]
    cpu, wall = time.process_time(), time.perf_counter()
    preds = system(texts)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    result = score(rows, preds)
    result.update(name=name, n=len(rows), bps=len(rows) / max(cpu, 1e-9),
                  wall_bps=len(rows) / max(wall, 1e-9))
    console.print(f"{name}: {len(rows)} blocks, {result['bps']:.0f} blocks/s (CPU), "
                  f"{result['wall_bps']:.0f} blocks/s (wall)")
    return result


def pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.2f}"


def header() -> list[str]:
    return (["system", "blocks"] + [f"{b} %" for b in BUCKETS]
            + [f"held {b} %" for b in BUCKETS[:3]]
            + ["blocks/s", "× langdetect"] + [f"{l} %" for l in OTHER_LANGS])


def cells(r: dict, ld_bps: float | None) -> list[str]:
    ratio = f"{r['bps'] / ld_bps:.1f}" if ld_bps else "–"
    return ([r["name"], str(r["n"])] + [pct(r[b]) for b in BUCKETS]
            + [pct(r[("held", b)]) for b in BUCKETS[:3]]
            + [f"{r['bps']:.0f}", ratio] + [pct(r[l]) for l in OTHER_LANGS])


def markdown(results: list[dict], ld_bps: float | None, note: str) -> str:
    head = header()
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|"]
    lines += ["| " + " | ".join(cells(r, ld_bps)) + " |" for r in results]
    return "\n".join(lines) + "\n\n" + note + "\n"


@click.command()
@click.option("--corpus", "corpus_dir", type=click.Path(path_type=Path), default=None,
              help="Corpora directory (default: $MTDETECT_CORPORA or ../shared/corpora).")
@click.option("--limit", type=int, default=None, help="Seeded random sample of N blocks.")
@click.option("--lingua-limit", type=int, default=3000,
              help="lingua is slow and loads ~1 GB: it gets a sample of at most N blocks "
                   "(0: skip lingua).")
@click.option("--markdown", "markdown_path", type=click.Path(path_type=Path), default=None,
              help="Also write the table as Markdown to this file ('-' for stdout).")
@click.option("--systems", default="mtdetect,langdetect,fasttext,py3langid,lingua",
              help="Comma-separated subset of systems to run.")
def main(corpus_dir: Path | None, limit: int | None, lingua_limit: int,
         markdown_path: Path | None, systems: str) -> None:
    console = Console(width=160)
    corpus_dir = corpus_dir or default_corpus_dir()
    rows = add_fragments(load_blocks(corpus_dir, limit))
    wanted = set(systems.split(","))
    makers = [("mtdetect", mtdetect_system), ("langdetect (seeded)", langdetect_system),
              ("fastText lid.176", fasttext_system), ("py3langid", py3langid_system)]
    results = [run(name, make, rows, console) for name, make in makers
               if name.split()[0].lower() in wanted]
    if "lingua" in wanted and lingua_limit:
        sample = rows if len(rows) <= lingua_limit else random.Random(1).sample(rows, lingua_limit)
        results.append(run("lingua (high accuracy)", lingua_system, sample, console))
        if len(sample) < len(rows) and "mtdetect" in wanted:
            # The same sample for mtdetect, so that lingua is compared like for like.
            results.append(run("mtdetect (lingua's sample)", mtdetect_system, sample, console))
    results = [r for r in results if r]

    ld_bps = next((r["bps"] for r in results if r["name"].startswith("langdetect")), None)
    table = Table(title=f"Block language ID on {CORPUS_FILE} "
                        f"(macro over {' '.join(MAIN_LANGS)}; others pooled over buckets)")
    for i, col in enumerate(header()):
        table.add_column(col, justify="left" if i == 0 else "right")
    for r in results:
        table.add_row(*cells(r, ld_bps))
    console.print(table)

    note = (f"Accuracy in %: `short`/`sentence`/`three` = macro average over "
            f"{', '.join(MAIN_LANGS)}; `fragment` = the first 1-3 words of the sentence blocks; "
            f"`held` = the held-out half of the blocks (CRC32 of the text); "
            f"{', '.join(OTHER_LANGS)} pooled over short/sentence/three. blocks/s = CPU time of one process, same blocks for all systems "
            f"(lingua on a seeded sample of {lingua_limit} when the corpus is larger).")
    if markdown_path is not None:
        text = markdown(results, ld_bps, note)
        if str(markdown_path) == "-":
            click.echo(text)
        else:
            markdown_path.write_text(text, encoding="utf-8")
            console.print(f"Markdown table written to {markdown_path}")


if __name__ == "__main__":
    main()
