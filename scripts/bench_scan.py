#!/usr/bin/env python
"""Benchmark `mtdetect scan` against the naive approach: langdetect called on every line.

Both run in the same process on the same pages: the five seed pages, copied `--copies` times with
each copy's lines made unique (a copy number appended), so no cache can answer from an earlier
copy. Reported: pages/s of each and the speed-up ratio (goal: >= 30x with the MT scorer on).

    python scripts/bench_scan.py [--copies 20] [--baseline-copies 2] [--no-mt]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_pages(copies: int) -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpora" / "seeds").glob("*.txt"))]
    pages = []
    for c in range(copies):
        for text in seeds:
            pages.append("\n".join(f"{line} {c}" if line.strip() else line for line in text.splitlines()))
    return pages


def naive(pages: list[str]) -> None:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    for page in pages:
        for line in page.splitlines():
            if line.strip():
                try:
                    detect_langs(line)
                except LangDetectException:
                    pass


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=20, help="copies of the 5 seeds for mtdetect")
    ap.add_argument("--baseline-copies", type=int, default=2, help="copies for the (slow) naive loop")
    ap.add_argument("--no-mt", action="store_true", help="scan without the MT scorer")
    args = ap.parse_args()

    from mtdetect.scan import Scanner

    t0 = time.perf_counter()
    scanner = Scanner(mt=not args.no_mt)
    # The warm-up loads everything loaded on first use (fastText, py3langid, the MT scorer's word
    # ranks), as the naive loop's warm-up below loads langdetect's profiles: only the loops are timed.
    scanner.scan_text("Warm-up page with an English sentence long enough to be scored for MT.\n"
                      "Вторая строка страницы, написанная по-русски.")
    load = time.perf_counter() - t0

    pages = make_pages(args.copies)
    t0, c0 = time.perf_counter(), time.process_time()
    for i, page in enumerate(pages):
        scanner.scan_text(page, path=f"page{i}.txt")
    ours = len(pages) / (time.perf_counter() - t0)
    ours_cpu = len(pages) / (time.process_time() - c0)

    base_pages = make_pages(args.baseline_copies)
    naive(base_pages[:1])  # langdetect loads its profiles on first use; not part of the loop
    t0, c0 = time.perf_counter(), time.process_time()
    naive(base_pages)
    base = len(base_pages) / (time.perf_counter() - t0)
    base_cpu = len(base_pages) / (time.process_time() - c0)

    mt = "off" if args.no_mt else "on"
    # CPU time next to wall time: on a shared machine the wall-clock ratio moves with the load.
    print("| run | pages | pages/s (wall) | vs naive | pages/s (CPU) | vs naive |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| naive langdetect per line | {len(base_pages)} | {base:.1f} | 1.0x | {base_cpu:.1f} | 1.0x |")
    print(f"| mtdetect scan (MT {mt}) | {len(pages)} | {ours:.1f} | {ours / base:.1f}x "
          f"| {ours_cpu:.1f} | {ours_cpu / base_cpu:.1f}x |")
    print(f"\nmodel load + warm-up: {load:.2f} s")


if __name__ == "__main__":
    main()
