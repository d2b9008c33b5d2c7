#!/usr/bin/env python
"""Benchmark `mtdetect scan` against the naive approach: langdetect called on every line.

Both run in the same process on the same pages: the five seed pages, copied `--copies` times with
each copy's lines made unique (a copy number appended), so no cache can answer from an earlier
copy. Reported: pages/s of CPU time of each and the speed-up ratio (goal: >= 30x), for the
default scan (MT and source-language guess on), `--no-source` and `--no-mt --no-source`, all in
the same run; every scanner's models are loaded before timing.

    taskset -c 0 python scripts/bench_scan.py [--copies 100] [--baseline-copies 10]

With `--html`: real HTML pages of html-eval (`$MTDETECT_CORPORA/html-eval`), `mtdetect scan
--no-mt` of each file (read, decode, parse, segment, trafilatura, language, content flag, the
source guess on English pages) against trafilatura's `extract()` alone (its defaults) on the same
files' bytes, in the same run; `--no-mt --no-source` too.

    taskset -c 0 python scripts/bench_scan.py --html [--pages 300] [--corpus DIR]
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
    warm = "<html><body><p>Warm-up page with an English sentence long enough for the source guess.</p></body></html>"
    scanners = {"mtdetect scan --no-mt": Scanner(mt=False),
                "mtdetect scan --no-mt --no-source": Scanner(mt=False, source=False)}
    for scanner in scanners.values():
        scanner.identifier.preload()  # fastText, py3langid: loaded before timing, like the others
        scanner.scan_text(warm, html=True)
    trafilatura.extract(paths[0].read_bytes())
    datas = [p.read_bytes() for p in paths]  # trafilatura gets bytes already read; mtdetect reads the file

    timings = {}
    errors = 0
    for name, scanner in scanners.items():
        t0, c0 = time.perf_counter(), time.process_time()
        errors = sum(1 for p in paths if not scanner.scan_file(p).ok)
        timings[name] = (time.perf_counter() - t0, time.process_time() - c0)
    t0, c0 = time.perf_counter(), time.process_time()
    for data in datas:
        trafilatura.extract(data)
    tr_wall, tr_cpu = time.perf_counter() - t0, time.process_time() - c0

    n = len(paths)
    print(f"{n} html-eval pages, {errors} errors in mtdetect's reports\n")
    print("| run | pages/s (wall) | pages/s (CPU) | vs trafilatura (CPU) |")
    print("|---|---:|---:|---:|")
    print(f"| trafilatura extract() | {n / tr_wall:.1f} | {n / tr_cpu:.1f} | 1.00x |")
    for name, (wall, cpu) in timings.items():
        print(f"| {name} | {n / wall:.1f} | {n / cpu:.1f} | {tr_cpu / cpu:.2f}x |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=100, help="copies of the 5 seeds for mtdetect")
    ap.add_argument("--baseline-copies", type=int, default=10, help="copies for the (slow) naive loop")
    ap.add_argument("--html", action="store_true", help="real HTML pages of html-eval vs trafilatura")
    ap.add_argument("--pages", type=int, default=300, help="with --html: first N pages by name (0: all)")
    ap.add_argument("--corpus", help="with --html: corpora directory (default $MTDETECT_CORPORA)")
    args = ap.parse_args()
    if args.html:
        bench_html(args.corpus, args.pages)
        return

    from mtdetect.scan import Scanner

    warm = ("Warm-up page with an English sentence long enough to be scored for MT.\n"
            "Вторая строка страницы, написанная по-русски.")
    t0 = time.process_time()
    runs = {"mtdetect scan (default: MT + source guess)": Scanner(),
            "mtdetect scan --no-source": Scanner(source=False),
            "mtdetect scan --no-mt --no-source": Scanner(mt=False, source=False)}
    # Everything loaded on first use (fastText, py3langid, the MT scorer's tables) is loaded here,
    # as the naive loop's warm-up below loads langdetect's profiles: only the loops are timed.
    for scanner in runs.values():
        scanner.identifier.preload()
        scanner.scan_text(warm)
    load = time.process_time() - t0

    pages = make_pages(args.copies)
    cpu = {}
    for name, scanner in runs.items():
        c0 = time.process_time()
        for i, page in enumerate(pages):
            scanner.scan_text(page, path=f"page{i}.txt")
        cpu[name] = len(pages) / (time.process_time() - c0)

    base_pages = make_pages(args.baseline_copies)
    naive(base_pages[:1])  # langdetect loads its profiles on first use; not part of the loop
    c0 = time.process_time()
    naive(base_pages)
    base_cpu = len(base_pages) / (time.process_time() - c0)

    print(f"seed pages x{args.copies} (lines made unique), one process, CPU time\n")
    print("| run | pages | pages/s (CPU) | vs naive |")
    print("|---|---:|---:|---:|")
    print(f"| naive langdetect per line | {len(base_pages)} | {base_cpu:.1f} | 1.0x |")
    for name, rate in cpu.items():
        print(f"| {name} | {len(pages)} | {rate:.1f} | {rate / base_cpu:.1f}x |")
    default = next(iter(cpu))
    print(f"\ngoal: scan of text pages >= 30x the naive loop: {cpu[default] / base_cpu:.1f}x (default), "
          f"{cpu['mtdetect scan --no-source'] / base_cpu:.1f}x (--no-source)")
    print(f"model load + warm-up of the three scanners: {load:.2f} s CPU")


if __name__ == "__main__":
    main()
