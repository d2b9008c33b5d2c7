#!/usr/bin/env python
"""Benchmark `mtdetect scan` against the naive approach: langdetect called on every line.

Both run in the same process on the same pages: the five seed pages, copied `--copies` times with
each copy's lines made unique (a copy number appended), so no cache can answer from an earlier
copy. Reported: pages/s of each and the speed-up ratio (goal: >= 30x with the MT scorer on).

    python scripts/bench_scan.py [--copies 20] [--baseline-copies 2] [--no-mt]

With `--html`: real HTML pages of html-eval (`$MTDETECT_CORPORA/html-eval`), `mtdetect scan
--no-mt` of each file (read, decode, parse, segment, trafilatura, language, content flag) against
trafilatura's `extract()` alone (its defaults) on the same files' bytes, in the same run.

    python scripts/bench_scan.py --html [--pages 300] [--corpus DIR]
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


def bench_html(corpus: str | None, n_pages: int) -> None:
    import json
    import logging
    import os

    import trafilatura

    from mtdetect.scan import Scanner

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    base = Path(corpus or os.environ.get("MTDETECT_CORPORA", ROOT.parent / "shared" / "corpora")) / "html-eval"
    files = sorted(it["file"] for it in json.loads((base / "evaldata.json").read_text(encoding="utf-8")).values())
    paths = [base / "pages" / f for f in files[: n_pages or None]]
    scanner = Scanner(mt=False)
    scanner.scan_text("<html><body><p>Warm-up page with an English sentence.</p></body></html>", html=True)
    trafilatura.extract(paths[0].read_bytes())
    datas = [p.read_bytes() for p in paths]  # trafilatura gets bytes already read; mtdetect reads the file

    t0, c0 = time.perf_counter(), time.process_time()
    errors = sum(1 for p in paths if not scanner.scan_file(p).ok)
    ours_wall, ours_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    for data in datas:
        trafilatura.extract(data)
    tr_wall, tr_cpu = time.perf_counter() - t0, time.process_time() - c0

    n = len(paths)
    print(f"{n} html-eval pages, {errors} errors in mtdetect's reports\n")
    print("| run | pages/s (wall) | pages/s (CPU) | vs trafilatura (CPU) |")
    print("|---|---:|---:|---:|")
    print(f"| trafilatura extract() | {n / tr_wall:.1f} | {n / tr_cpu:.1f} | 1.00x |")
    print(f"| mtdetect scan --no-mt | {n / ours_wall:.1f} | {n / ours_cpu:.1f} | {tr_cpu / ours_cpu:.2f}x |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=20, help="copies of the 5 seeds for mtdetect")
    ap.add_argument("--baseline-copies", type=int, default=2, help="copies for the (slow) naive loop")
    ap.add_argument("--no-mt", action="store_true", help="scan without the MT scorer")
    ap.add_argument("--html", action="store_true", help="real HTML pages of html-eval vs trafilatura")
    ap.add_argument("--pages", type=int, default=300, help="with --html: first N pages by name (0: all)")
    ap.add_argument("--corpus", help="with --html: corpora directory (default $MTDETECT_CORPORA)")
    args = ap.parse_args()
    if args.html:
        bench_html(args.corpus, args.pages)
        return

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

    # The source-language guess's share of the scan: the same pages without it, same run.
    plain = Scanner(mt=not args.no_mt, source=False)
    plain.scan_text("Warm-up page with an English sentence long enough to be scored for MT.")
    t0, c0 = time.perf_counter(), time.process_time()
    for i, page in enumerate(pages):
        plain.scan_text(page, path=f"page{i}.txt")
    no_source_cpu = len(pages) / (time.process_time() - c0)

    mt = "off" if args.no_mt else "on"
    # CPU time next to wall time: on a shared machine the wall-clock ratio moves with the load.
    print("| run | pages | pages/s (wall) | vs naive | pages/s (CPU) | vs naive |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| naive langdetect per line | {len(base_pages)} | {base:.1f} | 1.0x | {base_cpu:.1f} | 1.0x |")
    print(f"| mtdetect scan (MT {mt}) | {len(pages)} | {ours:.1f} | {ours / base:.1f}x "
          f"| {ours_cpu:.1f} | {ours_cpu / base_cpu:.1f}x |")
    print(f"| mtdetect scan (MT {mt}, no source guess) | {len(pages)} | - | - "
          f"| {no_source_cpu:.1f} | {no_source_cpu / base_cpu:.1f}x |")
    print(f"\nsource-language guess adds {no_source_cpu / ours_cpu - 1:+.0%} to the scan time (CPU)")
    print(f"model load + warm-up: {load:.2f} s")


if __name__ == "__main__":
    main()
