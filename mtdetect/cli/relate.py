"""`mtdetect relate`: copies, excerpts and paraphrases of one text across pages."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.table import Table

from mtdetect.read import InputError, iter_input_files
from mtdetect.relate import RelateConfig, Relation, relate_pages

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
FORMATS = ("table", "json", "jsonl")

RELATE_EPILOG = """\b
Examples:
  mtdetect relate corpora/seeds/
  mtdetect relate crawl/ --format jsonl > pairs.jsonl

\b
Relations (only English content blocks take part; boilerplate is ignored):
  copy        the same words, each page essentially the other
  excerpt     the same words, covering only part of at least one page
  paraphrase  the same sentences in the same order, reworded (high chrF, lower BLEU)
Unrelated pages produce no pair. "aligned" lists [block_a, block_b] index pairs of the
scan report; "coverage" is the share of each page's English content that aligned.

\b
Exit codes:
  0  every file was read
  1  some files could not be read; one line each on stderr, the others are still related
  2  usage error"""


def _table(relations: list[Relation], console: Console) -> None:
    table = Table(title=f"{len(relations)} related page pair(s)", show_lines=False)
    table.add_column("a", overflow="fold")
    table.add_column("b", overflow="fold")
    table.add_column("relation")
    table.add_column("chrF", justify="right")
    table.add_column("BLEU", justify="right")
    table.add_column("coverage a/b", justify="right")
    table.add_column("aligned blocks", justify="right")
    colour = {"copy": "red", "excerpt": "yellow", "paraphrase": "cyan"}
    for r in relations:
        table.add_row(r.a, r.b, f"[{colour[r.relation]}]{r.relation}[/]", f"{r.chrf:.1f}", f"{r.bleu:.1f}",
                      f"{r.coverage_a:.2f}/{r.coverage_b:.2f}", str(len(r.aligned)))
    console.print(table)


@click.command(epilog=RELATE_EPILOG)
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table for people; json (a list of pairs) or jsonl (one pair per line) for programs.")
@click.option("--min-chrf", type=click.FloatRange(0, 100), default=RelateConfig.min_chrf, show_default=True,
              help="Lowest chrF (0-100) of the aligned text for a pair to be reported.")
@click.option("--html/--text", "html", default=None,
              help="Force HTML or plain-text parsing (default: by extension and content).")
def relate_command(paths, fmt, min_chrf, html):
    """Find pages that copy, excerpt or paraphrase each other.

    PATHS are files or directories (searched recursively, in sorted order).
    """
    from mtdetect.scan import Scanner  # loads language-ID models: only once arguments are valid

    stderr = Console(stderr=True, highlight=False)
    scanner = Scanner(mt=False)  # relate needs blocks, kinds and languages, not MT scores
    reports = []
    failed = 0
    for item in iter_input_files(paths):
        if isinstance(item, InputError):
            path, error = item.path, item.error
        else:
            report = scanner.scan_file(item, html=html)
            path, error = report.path, report.error
            if error is None:
                reports.append(report)
        if error is not None:
            failed += 1
            stderr.print(f"mtdetect: {path}: {error}", style="red", highlight=False, soft_wrap=True)

    relations = relate_pages(reports, RelateConfig(min_chrf=min_chrf))
    if fmt == "json":
        json.dump([r.to_dict() for r in relations], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif fmt == "jsonl":
        for r in relations:
            sys.stdout.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
    else:
        out = Console(highlight=False) if sys.stdout.isatty() else Console(width=150, highlight=False)
        _table(relations, out)
    sys.exit(EXIT_SOME_FAILED if failed else EXIT_OK)
