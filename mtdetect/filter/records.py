"""One record: parse and check a JSONL line, scan its text, annotate it, and say where it goes
(kept, dropped with a reason, malformed with a reason, or a blank line), plus the counters."""

from __future__ import annotations

import base64
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Optional, Sequence

from mtdetect.filter.rules import FilterRules, decide, empty_summary, EMPTY_TEXT, reason_rule

ANNOTATION_KEY = "mtdetect"  # the key that holds the page summary in a written record
REASON_KEY = "reason"  # the key that holds the drop reason in a reject record
# ... unless the record has a "reason" of its own, which must survive: then ours goes here.
REASON_FALLBACK_KEY = "mtdetect_reason"


def _set_reason(record: dict, reason: str) -> None:
    record[REASON_FALLBACK_KEY if REASON_KEY in record else REASON_KEY] = reason

KEPT, DROPPED, MALFORMED, BLANK = "kept", "dropped", "malformed", "blank"


def evaluate_text(
    scanner,
    text: str,
    rules: FilterRules,
    *,
    html: bool = False,
    blocks: bool = False,
    label_only: bool = False,
) -> tuple[dict[str, Any], Optional[str]]:
    """Scan one document's text: (summary for the `mtdetect` key, drop reason or None).

    `scanner` is a `mtdetect.scan.Scanner`. With `blocks` the summary also holds the blocks.
    With `label_only` nothing is dropped (the reason is always None).
    """
    if not text.strip():
        return empty_summary(), None if label_only else EMPTY_TEXT
    report = scanner.scan_text(text, html=html)
    summary = report.summary_dict()
    if blocks:
        summary["blocks"] = [b.to_dict() for b in report.blocks]
    return summary, None if label_only else decide(summary, rules)


def text_problem(record: Any, text_field: str) -> Optional[str]:
    """Why a parsed JSON value cannot be scanned (malformed), or None."""
    if not isinstance(record, dict):
        return f"not a JSON object (a JSON {_json_type(record)})"
    if text_field not in record:
        return f"text field {text_field!r} missing"
    if not isinstance(record[text_field], str):
        return f"text field {text_field!r} is not a string (a JSON {_json_type(record[text_field])})"
    return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


# --------------------------------------------------------------------------- one line


@dataclass(frozen=True)
class FilterOptions:
    """Everything a worker needs to turn a line into an output line (picklable)."""

    rules: FilterRules = field(default_factory=FilterRules)
    text_field: str = "text"
    html: bool = False
    blocks: bool = False
    label_only: bool = False
    mt: bool = True
    model_dir: Optional[str] = None
    source: bool = True  # the source-language guess (about 2/3 of a scan's time with MT on)

    def make_scanner(self):
        from mtdetect.scan import Scanner

        return Scanner(mt=self.mt, model_dir=self.model_dir, source=self.source)


class Line(NamedTuple):
    """One input line: where it comes from (for messages and reject records) and its bytes
    without the line terminator."""

    source: str
    number: int  # 1-based
    raw: bytes


class Outcome(NamedTuple):
    status: str  # KEPT, DROPPED, MALFORMED or BLANK
    data: bytes  # the JSON line to write (kept: to the output; otherwise: to the rejects); b"" for BLANK
    message: Optional[str]  # MALFORMED: "source:line: reason"; DROPPED: the reason


def dumps_line(obj: Any) -> bytes:
    """One JSON line, UTF-8. Text with lone surrogates (legal in JSON escapes, not encodable as
    UTF-8) is written with ASCII escapes instead, so it survives the round trip unchanged."""
    try:
        return (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(obj) + "\n").encode("ascii")


def _malformed(line: Line, text: str, reason: str, keep_bytes: bool = False) -> Outcome:
    record = {"line": line.number, "source": line.source, "raw": text, REASON_KEY: reason}
    if keep_bytes:  # "raw" had to replace the bad bytes; the exact line survives in base64
        record["raw_base64"] = base64.b64encode(line.raw).decode("ascii")
    return Outcome(MALFORMED, dumps_line(record), f"{line.source}:{line.number}: {reason}")


def process_line(scanner, line: Line, options: FilterOptions) -> Outcome:
    """Parse, check, scan and judge one input line. Never raises for bad data: every line
    becomes exactly one Outcome."""
    try:
        text = line.raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return _malformed(line, line.raw.decode("utf-8", "replace"), f"invalid UTF-8 at byte {err.start}",
                          keep_bytes=True)
    if line.number == 1:
        text = text.lstrip("\ufeff")  # a UTF-8 byte-order mark written by some Windows tools
    if not text.strip():
        return Outcome(BLANK, b"", None)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as err:
        return _malformed(line, text, f"invalid JSON: {err.msg} at column {err.colno}")
    except (ValueError, RecursionError) as err:  # e.g. nesting deeper than the parser allows
        return _malformed(line, text, f"invalid JSON: {type(err).__name__}")
    problem = text_problem(record, options.text_field)
    if problem:
        return _malformed(line, text, problem)
    try:
        summary, reason = evaluate_text(
            scanner, record[options.text_field], options.rules,
            html=options.html, blocks=options.blocks, label_only=options.label_only,
        )
    except Exception as err:  # a scanner bug must cost one record, not the run, and not lose it
        reason = f"scan failed: {type(err).__name__}: {err}"
        _set_reason(record, reason)
        return Outcome(MALFORMED, dumps_line(record), f"{line.source}:{line.number}: {reason}")
    record[ANNOTATION_KEY] = summary
    if reason is None:
        return Outcome(KEPT, dumps_line(record), None)
    _set_reason(record, reason)
    return Outcome(DROPPED, dumps_line(record), reason)


def process_chunk(scanner, lines: Sequence[Line], options: FilterOptions) -> list[Outcome]:
    return [process_line(scanner, line, options) for line in lines]


# --------------------------------------------------------------------------- counters


@dataclass
class Counters:
    read: int = 0  # records (non-blank lines)
    kept: int = 0
    dropped: int = 0
    malformed: int = 0
    blank: int = 0
    by_rule: Counter = field(default_factory=Counter)  # dropped per rule: lang, foreign, mt_score, empty

    def add(self, outcome: Outcome) -> None:
        if outcome.status == BLANK:
            self.blank += 1
            return
        self.read += 1
        if outcome.status == KEPT:
            self.kept += 1
        elif outcome.status == DROPPED:
            self.dropped += 1
            self.by_rule[reason_rule(outcome.message or "")] += 1
        else:
            self.malformed += 1
