"""The filtering pass for data pipelines: annotate JSONL records with their page summary and
drop them by language mix and MT score.

One implementation, three front ends: `mtdetect filter` (the CLI), the datatrove step
(`mtdetect.integrations.datatrove`) and the Spark function (`mtdetect.integrations.spark`)
all call `evaluate_text` and `decide` from here, so a document gets the same annotation and
the same verdict whichever engine runs it.

One module per job:

- `rules`: `FilterRules` and `decide` (why a page is dropped; the rules are documented there)
- `records`: one JSONL line to one `Outcome` (parse, check, scan, annotate), `Counters`
- `runner`: `FilterRunner`, the worker pool (input order, bounded memory, stops cleanly)
- `io`: reading the input lines (plain or gzip, files or stdin, bounded line length)
"""

from mtdetect.filter.io import STDIN, close_output, iter_lines, open_output
from mtdetect.filter.records import (
    ANNOTATION_KEY, BLANK, DROPPED, KEPT, MALFORMED, MAX_SCAN_CHARS, REASON_KEY, Counters,
    FilterOptions, Line, NotStrictJSON, Outcome, dumps_line, evaluate_text, loads_strict, process_chunk,
    process_line, scannable_text, text_problem,
)
from mtdetect.filter.rules import EMPTY_TEXT, FilterRules, decide, empty_summary, foreign_share, reason_rule
from mtdetect.filter.runner import (
    CHUNKS_PER_JOB, DEFAULT_CHUNK_SIZE, FilterRunner, ScannerLoadError, SignalStop, Stopped, run_filter,
)

__all__ = [
    "ANNOTATION_KEY", "BLANK", "CHUNKS_PER_JOB", "Counters", "DEFAULT_CHUNK_SIZE", "DROPPED", "EMPTY_TEXT",
    "FilterOptions", "FilterRules", "FilterRunner", "KEPT", "Line", "MALFORMED", "Outcome",
    "MAX_SCAN_CHARS", "REASON_KEY", "STDIN", "ScannerLoadError", "SignalStop", "Stopped", "decide", "dumps_line",
    "empty_summary", "evaluate_text", "foreign_share", "close_output", "iter_lines", "open_output", "loads_strict", "NotStrictJSON", "scannable_text", "process_chunk", "process_line",
    "reason_rule", "run_filter", "text_problem",
]
