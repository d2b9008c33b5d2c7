#!/usr/bin/env python
"""Content/boilerplate on the hand-labelled seed pages: jusText alone vs mtdetect.

jusText gets each non-empty line of a page as one <p> (crawler plain text has no markup) and
its English stoplist; mtdetect scans the file as usual. Labels: corpora/seeds/labels.json.

    python scripts/eval_boilerplate.py
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import justext

from mtdetect.document import CONTENT
from mtdetect.scan import Scanner

SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"


def main() -> None:
    labels = {k: v for k, v in json.loads((SEEDS / "labels.json").read_text()).items() if not k.startswith("_")}
    scanner = Scanner(mt=False)
    totals = {"jusText": [0, 0], "mtdetect": [0, 0]}
    n_content = n_boiler = 0
    rows = []
    for name, lab in sorted(labels.items()):
        content = set(lab["content_lines"])
        lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
        numbered = [i + 1 for i, line in enumerate(lines) if line.strip()]
        doc = "<html><body>" + "".join(f"<p>{html.escape(lines[i - 1])}</p>" for i in numbered) + "</body></html>"
        jt = {i: not p.is_boilerplate for i, p in zip(numbered, justext.justext(doc, justext.get_stoplist("English")))}
        ours = {b.line_start: b.kind == CONTENT for b in scanner.scan_file(SEEDS / name).blocks}
        c, b = len(content), len(numbered) - len(content)
        n_content += c
        n_boiler += b
        row = [name[:3], c, b]
        for system, kept in (("jusText", jt), ("mtdetect", ours)):
            keep = sum(1 for i in numbered if i in content and kept.get(i, False))
            drop = sum(1 for i in numbered if i not in content and not kept.get(i, True))
            totals[system][0] += keep
            totals[system][1] += drop
            row += [keep, drop]
        rows.append(row)
    print("| seed | article lines | boilerplate lines | jusText kept | jusText dropped | mtdetect kept | mtdetect dropped |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| " + " | ".join(map(str, r)) + " |")
    print(f"| all | {n_content} | {n_boiler} | {totals['jusText'][0]} | {totals['jusText'][1]} | "
          f"{totals['mtdetect'][0]} | {totals['mtdetect'][1]} |")


if __name__ == "__main__":
    main()
