"""`mtdetect filter`: annotate or drop JSONL records by language mix and MT score.

A thin layer over `mtdetect.filter`: it opens the files, shows progress, writes the lines the
pass produces, and prints the closing summary. The rules and formats live in that package,
shared with the datatrove and Spark integrations.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from typing import BinaryIO, Optional

import click

from mtdetect.filter import (
    ANNOTATION_KEY, BLANK, DEFAULT_CHUNK_SIZE, KEPT, MALFORMED, MAX_SCAN_CHARS, STDIN, Counters, FilterOptions,
    FilterRules, FilterRunner, ScannerLoadError, SignalStop, Stopped, close_output, iter_lines, open_output,
)
from mtdetect.mt.modes import DEFAULT_FILTER_MODE, MT_MODES

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_WORKER_DIED = 0, 1, 2, 3
# Stopped by a signal: 128 + its number, as shells report it.
EXIT_SIGINT, EXIT_SIGTERM = 128 + signal.SIGINT, 128 + signal.SIGTERM

FILTER_EPILOG = """\b
Examples:
  mtdetect filter crawl.jsonl.gz -o kept.jsonl --keep-lang en --max-mt 0.5 \\
      --max-foreign 0.2 --rejects dropped.jsonl --jobs 2
  cat docs.jsonl | mtdetect filter --label-only > annotated.jsonl
  # stopped (Ctrl-C, SIGTERM) after line 51200: go on from there, appending
  mtdetect filter crawl.jsonl.gz -o kept.jsonl ... --start-line 51200

\b
Output: each record as read (all its keys) plus "mtdetect": {lang, langs,
multilingual, mt_score, source_lang} (and "blocks" with --blocks; "truncated": true
when only the first --max-chars characters of the text were scanned), in input
order; --key names another key. A record that already has that key is not
overwritten: it is rejected as malformed. Every line written is strict JSON
(RFC 8259). A file name ending in .gz is written gzip-compressed.

\b
Rules (checked in this order; a page exactly at a threshold is kept):
  --keep-lang     the page's main language is one of these (a page without letters
                  has none and is dropped)
  --max-foreign   share of letters in none of the kept languages (without
                  --keep-lang: not in the page's main language) is at most this
  --max-mt        the page's MT score is at most this (pages without one pass)
  --drop-source-lang  the page is not guessed to be translated from this language
                      (cs, de, ja, ru, zh, or other)
Records with empty text are dropped ("empty text") unless --label-only.

\b
With --rejects nothing is lost: every record goes to the output or the rejects.
  dropped record:  the record + "mtdetect" + "reason" (e.g. "mt_score 0.83 > 0.5";
                   "mtdetect_reason" if the record has a "reason" of its own)
  malformed line:  {"line": N, "source": file, "raw": the line, "reason": ...}
                   (not UTF-8, invalid JSON, NaN/Infinity/out-of-range numbers,
                   not an object, text field missing or not a string, the
                   annotation key already present, a line over 20 MiB: "raw"
                   then holds its first 1,024 bytes; in a pipe the rest of that
                   input is not read)
                   A line that is not UTF-8 also keeps its exact bytes in
                   "raw_base64".
Without --rejects, dropped records are counted and malformed lines named on
stderr (file:line: reason). Blank lines carry no record: skipped and counted.
A closing summary on stderr: read, kept, dropped, malformed, documents/s.

\b
Stopping: on Ctrl-C (SIGINT) or SIGTERM the record in hand is dropped, both
files are flushed and closed (gzip included) after the last whole line, the
summary names the last input line accounted for, and the command prints the
--start-line N that continues the run; the resumed run appends to -o and
--rejects, and the two runs together write what one run would have.

\b
Exit codes:
  0    every line was read and processed
  1    malformed lines were met, or an input file was missing or unreadable
       (the other records and files are still processed)
  2    usage error (bad options, MT model that cannot be loaded)
  3    a worker process died (killed, out of memory): stopped early, resumable
  130  stopped by SIGINT (Ctrl-C), resumable
  143  stopped by SIGTERM, resumable"""


def _open_output(path: Optional[str], append: bool = False) -> tuple[BinaryIO, bool]:
    try:
        return open_output(path, append)
    except OSError as err:
        raise click.UsageError(f"cannot write {path}: {err.strerror or err}")


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


@click.command(epilog=FILTER_EPILOG)
@click.argument("paths", nargs=-1)
@click.option("-o", "--output", default=None, metavar="PATH",
              help="Where the kept (or annotated) records go (default: stdout).")
@click.option("--rejects", default=None, metavar="PATH",
              help="Where dropped and malformed records go, each with a \"reason\".")
@click.option("--keep-lang", "keep_langs", multiple=True, metavar="LANG",
              help="Keep pages whose main language is LANG (ISO 639-1; repeatable).")
@click.option("--max-mt", type=click.FloatRange(0, 1), default=None,
              help="Drop pages with an MT score above this.")
@click.option("--max-foreign", type=click.FloatRange(0, 1), default=None,
              help="Drop pages with a larger share of letters outside the kept languages.")
@click.option("--drop-source-lang", "drop_source_langs", multiple=True, metavar="LANG",
              help="Drop pages guessed to be translated from LANG (cs, de, ja, ru, zh, or 'other' for a "
                   "language outside the model's set; repeatable).")
@click.option("--label-only", is_flag=True, help="Annotate every record, drop nothing.")
@click.option("--text-field", default="text", show_default=True, help="The key that holds the text.")
@click.option("--key", "key", default=ANNOTATION_KEY, show_default=True,
              help="The key the annotation is written under (a record that has it already is rejected).")
@click.option("--html", is_flag=True, help="The text field holds HTML (default: plain text).")
@click.option("--blocks", is_flag=True, help="Also write the blocks under mtdetect.blocks.")
@click.option("--no-mt", is_flag=True, help="Skip the machine-translation scores (faster).")
@click.option("--mt-model", type=click.Choice(MT_MODES), default=DEFAULT_FILTER_MODE, show_default=True,
              help="fast: n-gram scorer; accurate: n-gram + encoder stacked; cascade: encoder only on "
                   "pages the fast scorer leaves unsure.")
@click.option("--no-source", is_flag=True,
              help="Skip the source-language guess (about 3x faster with MT on; source_lang is null).")
@click.option("--model", "model_dir", type=click.Path(file_okay=False), default=None,
              help="MT model directory (default: the model shipped with mtdetect).")
@click.option("--max-chars", type=click.IntRange(min=1), default=MAX_SCAN_CHARS, show_default=True,
              help="Scan at most this many characters of a record's text (memory and time stay "
                   "bounded); a longer one is marked \"truncated\": true.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes (0: one per CPU). The output is the same for any value.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=DEFAULT_CHUNK_SIZE, show_default=True,
              help="Records per task sent to a worker.")
@click.option("--start-line", type=click.IntRange(min=0), default=0, show_default=True, metavar="N",
              help="Resume a stopped run: skip the first N input lines (the number its summary "
                   "printed) and append to -o and --rejects.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: when stderr is a terminal).")
def filter_command(paths, output, rejects, keep_langs, max_mt, max_foreign, drop_source_langs, label_only, text_field,
                   key, html, blocks, no_mt, mt_model, no_source, model_dir, max_chars, jobs, chunk_size, start_line,
                   progress):
    """Annotate JSONL records with their languages and MT score; keep or drop them by rule.

    PATHS are JSONL files (plain or gzip) or '-' for stdin (the default).
    """
    rules = FilterRules(keep_langs=tuple(keep_langs), max_mt=max_mt, max_foreign=max_foreign,
                        drop_source_langs=tuple(drop_source_langs))
    if label_only and rules.active:
        raise click.UsageError("--label-only drops nothing: leave out --keep-lang/--max-mt/--max-foreign/--drop-source-lang")
    if not label_only and not rules.active:
        raise click.UsageError("give a rule (--keep-lang, --max-mt, --max-foreign, --drop-source-lang) or --label-only")
    if no_mt and max_mt is not None:
        raise click.UsageError("--max-mt needs the MT scores; drop --no-mt")
    if no_source and drop_source_langs:
        raise click.UsageError("--drop-source-lang needs the source-language guess; drop --no-source")
    if not key.strip():
        raise click.UsageError("--key must not be empty")
    if key == text_field:
        raise click.UsageError("--key and --text-field must differ")
    paths = list(paths) or [STDIN]
    if paths.count(STDIN) > 1:
        raise click.UsageError("stdin ('-') can be read only once")
    for out in (output, rejects):
        if out not in (None, STDIN) and any(p != STDIN and _same_file(p, out) for p in paths):
            raise click.UsageError(f"{out} is also an input: it would be overwritten")
    if output and rejects and output != STDIN and _same_file(output, rejects):
        raise click.UsageError("--output and --rejects must be different files")
    if rejects == STDIN:
        raise click.UsageError("--rejects needs a file name")
    jobs = jobs or os.cpu_count() or 1

    options = FilterOptions(rules=rules, text_field=text_field, html=html, blocks=blocks,
                            label_only=label_only, mt=not no_mt, model_dir=model_dir, source=not no_source,
                            mt_model=mt_model, key=key, max_chars=max_chars)
    input_errors = 0

    def on_input_error(where: str, message: str) -> None:
        nonlocal input_errors
        input_errors += 1
        click.echo(f"mtdetect: {where}: {message}", err=True)

    counters = Counters()
    position = _Position(start_line)
    started = time.monotonic()
    stopped_by: Optional[int] = None
    worker_died = False
    with SignalStop() as stop:
        runner = FilterRunner(options, jobs=jobs, chunk_size=chunk_size)
        try:
            try:
                # The runner (and its worker processes) first, before the progress bar's thread.
                with stop.interruptible():
                    runner.__enter__()
                out, close_out = _open_output(output, append=start_line > 0)
                try:
                    rej, close_rej = _open_output(rejects, append=start_line > 0) if rejects else (None, False)
                except BaseException:
                    close_output(out, close_out)  # a whole (empty) gzip member, not a bare header
                    raise
                try:
                    lines = iter_lines(paths, on_input_error, start_line=start_line)
                    _drain(runner, lines, out, rej, counters, position, progress, stop)
                finally:
                    # One consistent point: every outcome up to `position` is in these files.
                    for handle, close in ((out, close_out), (rej, close_rej)):
                        if handle is not None:
                            close_output(handle, close)
            except BaseException:
                runner.close(abandon=True)  # workers killed now, not after their chunks
                raise
            runner.close()
        except Stopped as err:
            stopped_by = err.signum
        except ScannerLoadError as err:
            raise click.UsageError(f"cannot load the scanner: {err}")
        except BrokenProcessPool:
            if stop.signum is not None:  # the signal reached the workers too (a process group)
                stopped_by = stop.signum
            else:
                worker_died = True
                click.echo("mtdetect: a worker process died (killed, or out of memory?): stopped", err=True)
        except BrokenPipeError:
            # The reader of stdout went away (`| head`): stop quietly, and keep Python from
            # complaining again when it flushes stdout at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_SOME_FAILED)

    elapsed = time.monotonic() - started
    _summary(counters, elapsed, jobs)
    if stopped_by is not None or worker_died:
        what = f"stopped by {signal.Signals(stopped_by).name}" if stopped_by is not None else "stopped early"
        click.echo(f"mtdetect filter: {what}: {position.describe()}; resume with --start-line {position.lines}",
                   err=True)
        code = (EXIT_SIGINT if stopped_by == signal.SIGINT else EXIT_SIGTERM) if stopped_by is not None \
            else EXIT_WORKER_DIED
        if runner.abandoned and not _in_tests():
            # The files are closed and the summary written; the pool's helper threads may be
            # blocked on a pipe of a killed worker, and the interpreter would join them at exit
            # forever. Leave now.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        sys.exit(code)
    sys.exit(EXIT_SOME_FAILED if counters.malformed or input_errors else EXIT_OK)


def _in_tests() -> bool:
    """Under click's CliRunner (tests), which swaps stdout, the command must return rather than
    end the process."""
    return sys.stdout is not sys.__stdout__


class _Position:
    """How far the written files reach: input lines accounted for (the whole run's count, the
    lines skipped by --start-line included) and the last of them."""

    def __init__(self, start_line: int):
        self.lines = start_line
        self.source: Optional[str] = None
        self.number = 0

    def advance(self, source: str, number: int) -> None:
        self.lines += 1
        self.source, self.number = source, number

    def describe(self) -> str:
        if self.lines == 0:
            return "no input line was written"
        where = f" ({self.source}:{self.number})" if self.source is not None else ""
        return (f"input lines 1-{self.lines:,}{where} are accounted for (in the output, the rejects "
                f"or blank), none after")


def _drain(runner: FilterRunner, lines, out: BinaryIO, rej: Optional[BinaryIO], counters: Counters,
           position: _Position, progress: Optional[bool], stop: SignalStop) -> None:
    from tqdm import tqdm

    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(unit=" docs", file=sys.stderr, disable=not show, dynamic_ncols=True, mininterval=0.5,
              desc="filtering") as bar:
        outcomes = runner.run(lines)
        while True:
            # Reading, waiting for a worker, scanning: a signal here drops what is in hand.
            with stop.interruptible():
                outcome = next(outcomes, None)
            if outcome is None:
                break
            # Writing: never cut by a signal (it is acted on at the next interruptible()).
            if outcome.status == KEPT:
                out.write(outcome.data)
            elif outcome.status != BLANK:
                if rej is not None:
                    rej.write(outcome.data)
                elif outcome.status == MALFORMED:
                    # Written through tqdm so the message does not tear the bar.
                    tqdm.write(f"mtdetect: {outcome.message}", file=sys.stderr)
            counters.add(outcome)
            position.advance(outcome.source, outcome.number)
            if outcome.status != BLANK:
                bar.update(1)


def _summary(c: Counters, elapsed: float, jobs: int) -> None:
    rate = c.read / elapsed if elapsed > 0 else 0.0
    line = (f"mtdetect filter: read {c.read:,}, kept {c.kept:,}, dropped {c.dropped:,}, "
            f"malformed {c.malformed:,}")
    if c.blank:
        line += f", blank lines skipped {c.blank:,}"
    line += f"; {rate:,.1f} documents/s ({elapsed:.1f} s, {jobs} job{'s' if jobs > 1 else ''})"
    click.echo(line, err=True)
    if c.by_rule:
        rules = ", ".join(f"{rule} {n:,}" for rule, n in sorted(c.by_rule.items()))
        click.echo(f"mtdetect filter: dropped by rule: {rules}", err=True)
