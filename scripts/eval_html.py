#!/usr/bin/env python
"""Main content of real HTML pages: mtdetect vs trafilatura vs jusText on html-eval.

html-eval (`$MTDETECT_CORPORA/html-eval`, see its README) holds 949 real pages with snippets that
the main text must contain (`with`) and must not contain (`without`). trafilatura's own metric:
after collapsing whitespace, a `with` snippet found in the extracted text is a true positive
(missing: a false negative), a `without` snippet found is a false positive. Counts are pooled over
pages. For mtdetect the extracted text is the text of its `content` blocks (`scan --no-mt`, from
the file, so reading and decoding are part of it); trafilatura gets the page's bytes
(`extract()`, its defaults); jusText gets the bytes and its English stoplist.

Every system runs on the same pages in the same process; speed is pages per second of CPU time.
The page language of the per-language table is mtdetect's page `lang`. Pages are also split in
two halves by a hash of the file name ("tune": the half the thresholds were chosen on, "held":
the other half) so that a figure on data not tuned on can be reported.

    python scripts/eval_html.py [--corpus DIR] [--systems mtdetect,trafilatura,justext]
                                [--limit N] [--min-pages 20] [--details out.jsonl]
                                [--fallback-below N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYSTEMS = ("mtdetect", "trafilatura", "trafilatura-fast", "justext")


def corpus_dir(arg: str | None) -> Path:
    base = Path(arg or os.environ.get("MTDETECT_CORPORA", ROOT.parent / "shared" / "corpora"))
    return base / "html-eval" if (base / "html-eval").is_dir() else base


def half(name: str) -> str:
    """The split used for tuning: a stable hash of the file name, not its order."""
    return "tune" if hashlib.md5(name.encode("utf-8")).digest()[0] % 2 == 0 else "held"


def normalise(text: str) -> str:
    return " ".join(text.split())


def counts(text: str, item: dict) -> tuple[int, int, int, int]:
    """(tp, fn, fp, tn) of one page's extraction against its snippets."""
    text = normalise(text or "")
    tp = fn = fp = tn = 0
    for snippet in item.get("with") or []:
        if normalise(snippet) in text:
            tp += 1
        else:
            fn += 1
    for snippet in item.get("without") or []:
        if normalise(snippet) in text:
            fp += 1
        else:
            tn += 1
    return tp, fn, fp, tn


def prf(c) -> tuple[float, float, float]:
    tp, fn, fp = c[0], c[1], c[2]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def make_runners(systems):
    runners = {}
    if "mtdetect" in systems:
        from mtdetect.document import CONTENT
        from mtdetect.scan import Scanner

        scanner = Scanner(mt=False)
        scanner.scan_text("<html><body><p>Warm-up page with an English sentence.</p></body></html>", html=True)

        def run_mtdetect(path: Path, data: bytes):
            report = scanner.scan_file(path)
            if report.error:
                return "", {"error": report.error}
            text = "\n".join(b.text for b in report.blocks if b.kind == CONTENT)
            return text, {"lang": report.lang}

        runners["mtdetect"] = run_mtdetect
    if "trafilatura" in systems or "trafilatura-fast" in systems:
        import trafilatura

        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
        if "trafilatura" in systems:
            runners["trafilatura"] = lambda path, data: (trafilatura.extract(data) or "", {})
        if "trafilatura-fast" in systems:
            runners["trafilatura-fast"] = lambda path, data: (trafilatura.extract(data, fast=True) or "", {})
    if "justext" in systems:
        import justext

        stoplist = justext.get_stoplist("English")

        def run_justext(path: Path, data: bytes):
            try:
                paragraphs = justext.justext(data, stoplist)
            except Exception as err:  # jusText raises on pages lxml cannot parse
                return "", {"error": str(err)}
            return "\n".join(p.text for p in paragraphs if not p.is_boilerplate), {}

        runners["justext"] = run_justext
    return runners


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="corpora directory (default $MTDETECT_CORPORA or ../shared/corpora)")
    ap.add_argument("--systems", default="mtdetect,trafilatura,justext",
                    help=f"comma-separated, from {','.join(SYSTEMS)}")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages (sorted by file name)")
    ap.add_argument("--min-pages", type=int, default=20, help="languages with at least this many pages")
    ap.add_argument("--details", help="write one JSON line per page and system (counts, errors)")
    ap.add_argument("--fallback-below", type=int, default=None,
                    help="mtdetect: trafilatura's fallbacks (fast=False) when its fast extraction has "
                         "fewer characters than this (0: never; default: FALLBACK_BELOW_CHARS)")
    args = ap.parse_args()

    systems = [s for s in args.systems.split(",") if s]
    for s in systems:
        if s not in SYSTEMS:
            ap.error(f"unknown system {s!r}")
    base = corpus_dir(args.corpus)
    evaldata = json.loads((base / "evaldata.json").read_text(encoding="utf-8"))
    items = sorted(evaldata.values(), key=lambda it: it["file"])
    if args.limit:
        items = items[: args.limit]
    if args.fallback_below is not None:
        from mtdetect.segment import main_content

        main_content.FALLBACK_BELOW_CHARS = args.fallback_below
    runners = make_runners(systems)

    total = {s: [0, 0, 0, 0] for s in systems}
    by_lang = {s: defaultdict(lambda: [0, 0, 0, 0]) for s in systems}
    by_half = {s: defaultdict(lambda: [0, 0, 0, 0]) for s in systems}
    cpu = {s: 0.0 for s in systems}
    errors = {s: 0 for s in systems}
    lang_pages: dict = defaultdict(int)
    details = open(args.details, "w", encoding="utf-8") if args.details else None
    for item in items:
        path = base / "pages" / item["file"]
        data = path.read_bytes()
        page_lang = None
        results = {}
        for s in systems:
            c0 = time.process_time()
            text, info = runners[s](path, data)
            cpu[s] += time.process_time() - c0
            if "error" in info:
                errors[s] += 1
            if s == "mtdetect":
                page_lang = info.get("lang")
            results[s] = (counts(text, item), info)
        lang_pages[page_lang] += 1
        for s, (c, info) in results.items():
            for acc in (total[s], by_lang[s][page_lang], by_half[s][half(item["file"])]):
                for k in range(4):
                    acc[k] += c[k]
            if details:
                details.write(json.dumps({"file": item["file"], "system": s, "lang": page_lang,
                                          "half": half(item["file"]), "tp": c[0], "fn": c[1],
                                          "fp": c[2], "tn": c[3], **info}, ensure_ascii=False) + "\n")
    if details:
        details.close()

    n = len(items)
    print(f"html-eval: {n} pages, {sum(len(i.get('with') or []) for i in items)} `with` snippets, "
          f"{sum(len(i.get('without') or []) for i in items)} `without` snippets\n")
    print("| system | precision | recall | F1 | pages/s (CPU) | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for s in systems:
        p, r, f = prf(total[s])
        print(f"| {s} | {p:.3f} | {r:.3f} | {f:.3f} | {n / max(cpu[s], 1e-9):.1f} | {errors[s]} |")
    if "mtdetect" in systems and len(systems) > 1:
        for s in systems:
            if s != "mtdetect":
                print(f"\nmtdetect speed vs {s}: {cpu[s] / max(cpu['mtdetect'], 1e-9):.2f}x")

    print("\nF1 by half (tune: thresholds chosen on it; held: not looked at while tuning)\n")
    print("| system | " + " | ".join(f"{h} P / R / F1" for h in ("tune", "held")) + " |")
    print("|---|---:|---:|")
    for s in systems:
        cells = []
        for h in ("tune", "held"):
            p, r, f = prf(by_half[s][h])
            cells.append(f"{p:.3f} / {r:.3f} / **{f:.3f}**")
        print(f"| {s} | " + " | ".join(cells) + " |")

    if "mtdetect" in systems:
        langs = sorted((l for l, k in lang_pages.items() if k >= args.min_pages),
                       key=lambda l: (-lang_pages[l], str(l)))
        print(f"\nF1 by page language (mtdetect's page `lang`, languages with >= {args.min_pages} pages)\n")
        print("| lang | pages | " + " | ".join(systems) + " |")
        print("|---|---:|" + "---:|" * len(systems))
        for lang in langs:
            cells = [f"{prf(by_lang[s][lang])[2]:.3f}" for s in systems]
            print(f"| {lang} | {lang_pages[lang]} | " + " | ".join(cells) + " |")
        rest = [l for l in lang_pages if l not in langs]
        if rest:
            merged = {s: [sum(by_lang[s][l][k] for l in rest) for k in range(4)] for s in systems}
            cells = [f"{prf(merged[s])[2]:.3f}" for s in systems]
            print(f"| other ({len(rest)}) | {sum(lang_pages[l] for l in rest)} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
