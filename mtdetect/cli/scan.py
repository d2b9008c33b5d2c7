"""`mtdetect scan`: per-file reports for a person (tables) or a program (JSON, JSONL)."""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from mtdetect.document import PageReport
from mtdetect.read import InputError, iter_input_files
from mtdetect.report import FORMATS, explain_page, print_tables, write_json, write_jsonl
from mtdetect.mt.modes import DEFAULT_SCAN_MODE, MT_MODES
from mtdetect.scan import Scanner

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2

SCAN_EPILOG = """\b
Examples:
  mtdetect scan corpora/seeds/
  mtdetect scan page.html --blocks
  mtdetect scan corpora/seeds/ --format json
  mtdetect scan crawl/ --report report.html
  cat page.txt | mtdetect scan -

\b
Exit codes:
  0  every file was read and scanned
  1  some files could not be read (missing, empty, binary, undecodable, too large);
     one line each on stderr, the other files are still scanned
  2  usage error"""


def _err(console: Console, path: str, message: str) -> None:
    console.print(f"mtdetect: {path}: {message}", style="red", highlight=False, soft_wrap=True)


@click.command(epilog=SCAN_EPILOG)
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table for people; json (a list of page reports) or jsonl (one per line) for programs.")
@click.option("--blocks", is_flag=True, help="Table format: one row per block instead of one row per file.")
@click.option("--explain", is_flag=True,
              help="With --blocks: the features that pushed each English block toward MT or human, "
                   "and toward the language it was guessed to be translated from.")
@click.option("--html/--text", "html", default=None,
              help="Force HTML or plain-text parsing (default: by extension and content).")
@click.option("--no-mt", is_flag=True, help="Skip the machine-translation scores (faster).")
@click.option("--no-source", is_flag=True, help="Skip the source-language guess.")
@click.option("--mt-model", type=click.Choice(MT_MODES), default=DEFAULT_SCAN_MODE, show_default=True,
              help="fast: the n-gram scorer; accurate: n-gram and encoder stacked on every page; cascade: "
                   "the encoder only on pages the fast scorer leaves unsure.")
@click.option("--model", "model_dir", type=click.Path(file_okay=False), default=None,
              help="n-gram MT model directory (default: the model shipped with mtdetect).")
@click.option("--report", "report_file", type=click.Path(dir_okay=False), default=None,
              help="Also write a self-contained HTML review report (overview, histogram, every block "
                   "with its language, MT score and evidence) to this file; opens offline in a browser.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: when stderr is a terminal).")
def scan_command(paths, fmt, blocks, explain, html, no_mt, no_source, mt_model, model_dir, report_file, progress):
    """Split pages into blocks, find each block's language and MT score, report per file.

    PATHS are files, directories (searched recursively, in sorted order) or '-' for stdin.
    """
    stderr = Console(stderr=True, highlight=False)
    if explain and no_mt:
        raise click.UsageError("--explain needs the MT scores; drop --no-mt")
    try:
        scanner = Scanner(mt=not no_mt, model_dir=model_dir, source=not no_source, mt_model=mt_model)
    except (OSError, ValueError) as err:
        raise click.UsageError(f"cannot load the MT model: {err}")

    review = None
    if report_file is not None:
        from mtdetect.review import ReviewReport, pages, unwritable

        if unwritable(report_file):  # fail before scanning, not after
            raise click.UsageError(f"cannot write the report {report_file}: {unwritable(report_file)}")
        review = ReviewReport(scanner)
    items = list(iter_input_files(paths))
    show_progress = stderr.is_terminal if progress is None else progress
    reports = []
    failed = 0
    with Progress(TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=stderr, disable=not show_progress, transient=True) as bar:
        task = bar.add_task("scan", total=len(items))
        for item in items:
            if isinstance(item, InputError):
                report = PageReport(path=item.path, error=item.error)
            else:
                report = scanner.scan_file(item, html=html)
            if report.error is not None:
                failed += 1
                _err(stderr, report.path, report.error)
            if fmt == "jsonl":  # stream: results show as they come, memory stays flat on a big crawl
                write_jsonl([report], sys.stdout)
            else:
                reports.append(report)
            if review is not None:
                review.add(report)
            bar.advance(task)

    if fmt == "json":
        write_json(reports, sys.stdout)
    elif fmt == "table":
        explanations = _explanations(scanner, reports) if explain else None
        # Piped or captured output gets a readable width instead of rich's 80-column default.
        out = Console(highlight=False) if sys.stdout.isatty() else Console(width=150, highlight=False)
        print_tables(reports, out, blocks=blocks or explain, explanations=explanations)
    if review is not None:  # written whole at the end (a temporary file renamed), never half
        try:
            review.write(report_file)
            left = f", {review.n_left_out} left out (limit {review.max_pages})" if review.n_left_out else ""
            stderr.print(f"mtdetect: report written to {report_file} ({pages(review.n_pages)}{left})")
        except OSError as err:
            failed += 1
            _err(stderr, report_file, f"cannot write the report: {err.strerror or err}")
    sys.exit(EXIT_SOME_FAILED if failed else EXIT_OK)


def _explanations(scanner: Scanner, reports) -> dict:
    return {r.path: explain_page(scanner, r) for r in reports if r.error is None}
