"""Speed of mtdetect's block language identifier relative to langdetect alone and
fastText lid.176 alone, measured in the same run on the same blocks.

    taskset -c 0 python scripts/bench_lid.py \
        [--corpus DIR] [--limit N] [--main-only] [--repeat R]

Absolute blocks/s depend on what else the (shared, 2-core) machine is doing;
the ratios are the stable numbers. Times are this process's CPU time, best of
``--repeat`` runs for each system, systems interleaved.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "scripts"))

from eval_lid import default_corpus_dir, fasttext_system, langdetect_system, load_blocks  # noqa: E402
from mtdetect import langid  # noqa: E402
from mtdetect.langid import MAIN_LANGS, LanguageIdentifier  # noqa: E402


@click.command()
@click.option("--corpus", "corpus_dir", type=click.Path(path_type=Path), default=None)
@click.option("--limit", type=int, default=2000, help="Seeded sample of N blocks.")
@click.option("--main-only", is_flag=True,
              help="Only blocks of the ten main languages (closer to real pages).")
@click.option("--repeat", type=int, default=3)
def main(corpus_dir: Path | None, limit: int, main_only: bool, repeat: int) -> None:
    rows = load_blocks(corpus_dir or default_corpus_dir())
    if main_only:
        rows = [r for r in rows if r["lang"] in MAIN_LANGS]
    import random

    rows = random.Random(0).sample(rows, min(limit, len(rows)))
    texts = [r["text"] for r in rows]

    ident = LanguageIdentifier(preload=True)

    def mtdetect_uncached(batch):
        # The memo of short blocks would make every repeat after the first free.
        langid.clear_cache()
        return ident.identify(batch)

    systems = {
        "mtdetect": mtdetect_uncached,
        "langdetect alone": langdetect_system(),
        "fastText lid.176 alone": fasttext_system(),
    }
    best = {name: float("inf") for name in systems}
    for _ in range(repeat):
        for name, run in systems.items():
            t = time.process_time()
            run(texts)
            best[name] = min(best[name], time.process_time() - t)

    bps = {name: len(texts) / max(t, 1e-9) for name, t in best.items()}
    table = Table(title=f"{len(texts)} blocks ({'main languages' if main_only else 'all languages'})")
    for col in ("system", "blocks/s (CPU)", "× langdetect", "÷ fastText"):
        table.add_column(col, justify="left" if col == "system" else "right")
    for name, v in bps.items():
        table.add_row(name, f"{v:.0f}", f"{v / bps['langdetect alone']:.1f}",
                      f"{v / bps['fastText lid.176 alone']:.2f}")
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
