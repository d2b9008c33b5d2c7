"""One record: parse and check a JSONL line, scan its text, annotate it, and say where it goes
(kept, dropped with a reason, malformed with a reason, or a blank line), plus the counters."""

from __future__ import annotations

import base64
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Optional, Sequence

from mtdetect.filter.rules import EMPTY_TEXT, FilterRules, decide, empty_summary, reason_rule
from mtdetect.mt.modes import DEFAULT_FILTER_MODE

ANNOTATION_KEY = "mtdetect"  # the default key that holds the page summary in a written record
REASON_KEY = "reason"  # the key that holds the drop reason in a reject record ...
# ... unless the record has a "reason" of its own, which must survive: then ours goes under
# "<annotation key>_reason" ("mtdetect_reason").

KEPT, DROPPED, MALFORMED, BLANK = "kept", "dropped", "malformed", "blank"

# What is scanned of one record's text: its first MAX_SCAN_CHARS characters (a long article is
# under 100,000). Memory and time grow with the text (a 5 MB record took 11-14 s and ~1 GB);
# a record cut to this gets "truncated": true in its annotation. The record itself is written whole.
MAX_SCAN_CHARS = 200_000
# Cut at a space or line break near the limit rather than inside a word.
_CUT_WINDOW = 1_000
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def scannable_text(text: str, max_chars: int = MAX_SCAN_CHARS) -> tuple[str, bool]:
    """(the text the models see, whether it was cut). Lone surrogates (legal in JSON escapes,
    not characters) become U+FFFD; text past `max_chars` is left out."""
    truncated = len(text) > max_chars
    if truncated:
        text = text[:max_chars]
        space = max(text.rfind(" ", max_chars - _CUT_WINDOW), text.rfind("\n", max_chars - _CUT_WINDOW))
        if space > 0:
            text = text[:space]
    return _LONE_SURROGATE.sub("\ufffd", text), truncated


def annotate(report, blocks: bool = False, truncated: bool = False) -> dict[str, Any]:
    """The summary written under the annotation key for a scanned page."""
    summary = report.summary_dict()
    if truncated:
        summary["truncated"] = True
    if blocks:
        summary["blocks"] = [b.to_dict() for b in report.blocks]
    return summary


def evaluate_text(
    scanner,
    text: str,
    rules: FilterRules,
    *,
    html: bool = False,
    blocks: bool = False,
    label_only: bool = False,
    max_chars: int = MAX_SCAN_CHARS,
) -> tuple[dict[str, Any], Optional[str]]:
    """Scan one document's text: (summary for the `mtdetect` key, drop reason or None).

    `scanner` is a `mtdetect.scan.Scanner`. With `blocks` the summary also holds the blocks.
    With `label_only` nothing is dropped (the reason is always None). Only the first
    `max_chars` characters are scanned (the summary then says "truncated": true).
    """
    if not text.strip():
        return empty_summary(), None if label_only else EMPTY_TEXT
    clean, truncated = scannable_text(text, max_chars)
    summary = annotate(scanner.scan_text(clean, html=html), blocks, truncated)
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
    mt_model: str = DEFAULT_FILTER_MODE  # fast | accurate | cascade (mtdetect.mt.modes)
    key: str = ANNOTATION_KEY  # the record key the summary is written under
    max_chars: int = MAX_SCAN_CHARS  # what is scanned of a record's text

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("the annotation key must not be empty")
        if self.max_chars < 1:
            raise ValueError("max_chars must be at least 1")

    @property
    def reason_key(self) -> str:
        """Where a reject's reason goes when the record has a "reason" of its own."""
        return f"{self.key}_reason"

    def make_scanner(self):
        from mtdetect.scan import Scanner

        return Scanner(mt=self.mt, model_dir=self.model_dir, source=self.source, mt_model=self.mt_model)


# The longest input line read whole (the same 20 MiB as a page for `mtdetect scan`); a longer
# one is rejected, with its first bytes (`mtdetect.filter.io`).
MAX_LINE_BYTES = 20 * 1024 * 1024


class Line(NamedTuple):
    """One input line: where it comes from (for messages and reject records) and its bytes
    without the line terminator. `overflow`: the line was longer than the reader's limit and
    `raw` holds only its first bytes (see `mtdetect.filter.io`)."""

    source: str
    number: int  # 1-based, within `source`
    raw: bytes
    overflow: bool = False


class Outcome(NamedTuple):
    status: str  # KEPT, DROPPED, MALFORMED or BLANK
    data: bytes  # the JSON line to write (kept: to the output; otherwise: to the rejects); b"" for BLANK
    message: Optional[str]  # MALFORMED: "source:line: reason"; DROPPED: the reason
    source: str = ""  # the line it comes from (for the stop summary)
    number: int = 0


class NotStrictJSON(ValueError):
    """A value that RFC 8259 JSON cannot hold (NaN, Infinity, a number out of double range)."""


def _no_constant(name: str):
    raise NotStrictJSON(f"{name} is not a JSON value (RFC 8259)")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if math.isinf(value):
        shown = literal if len(literal) <= 24 else literal[:20] + "..."
        raise NotStrictJSON(f"number {shown} is out of range")
    return value


def loads_strict(text: str) -> Any:
    """json.loads that refuses what strict parsers refuse: NaN, Infinity, -Infinity and numbers
    that overflow a double (1e400), so every line written is RFC 8259 JSON."""
    return json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)


def dumps_line(obj: Any) -> bytes:
    """One strict JSON line (no NaN or Infinity: ValueError), UTF-8. Text with lone surrogates
    (legal in JSON escapes, not encodable as UTF-8) is written with ASCII escapes instead, so it
    survives the round trip unchanged."""
    try:
        return (json.dumps(obj, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(obj, allow_nan=False) + "\n").encode("ascii")


def _malformed(line: Line, text: str, reason: str, keep_bytes: bool = False) -> Outcome:
    record = {"line": line.number, "source": line.source, "raw": text, REASON_KEY: reason}
    if keep_bytes:  # "raw" had to replace the bad bytes; the exact line survives in base64
        record["raw_base64"] = base64.b64encode(line.raw).decode("ascii")
    return Outcome(MALFORMED, dumps_line(record), f"{line.source}:{line.number}: {reason}",
                   line.source, line.number)


def _reject(line: Line, text: str, record: dict, status: str, reason: str, options: FilterOptions) -> Outcome:
    """A dropped (or failed) record with its reason under "reason", or "<key>_reason" when the
    record has a "reason" of its own; when it has both, the line is written as a malformed one
    ({"line", "source", "raw", "reason"}), so no key of the record is overwritten."""
    for name in (REASON_KEY, options.reason_key):
        if name not in record:
            record[name] = reason
            try:
                data = dumps_line(record)
            except ValueError:  # a NaN in the annotation: keep the line as read
                break
            message = reason if status == DROPPED else f"{line.source}:{line.number}: {reason}"
            return Outcome(status, data, message, line.source, line.number)
    outcome = _malformed(line, text, reason)
    return outcome._replace(status=status, message=reason if status == DROPPED else outcome.message)


class _Parsed(NamedTuple):
    line: Line
    text: str
    record: dict


def parse_line(line: Line, options: FilterOptions):
    """A line's record ready to scan (`_Parsed`), or its final Outcome when it is blank or
    malformed. Never raises for bad data."""
    if line.overflow:
        return _malformed(line, line.raw.decode("utf-8", "replace"),
                          f"line over the {MAX_LINE_BYTES // (1024 * 1024)} MiB limit (raw: its first bytes only)")
    try:
        text = line.raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return _malformed(line, line.raw.decode("utf-8", "replace"), f"invalid UTF-8 at byte {err.start}",
                          keep_bytes=True)
    if line.number == 1:
        text = text.lstrip("\ufeff")  # a UTF-8 byte-order mark written by some Windows tools
    if not text.strip():
        return Outcome(BLANK, b"", None, line.source, line.number)
    try:
        record = loads_strict(text)
    except json.JSONDecodeError as err:
        # Some of json's messages end in "at" already ("Unterminated string starting at").
        where = "column" if err.msg.endswith(" at") else "at column"
        return _malformed(line, text, f"invalid JSON: {err.msg} {where} {err.colno}")
    except NotStrictJSON as err:
        return _malformed(line, text, f"invalid JSON: {err}")
    except (ValueError, RecursionError) as err:  # e.g. nesting deeper than the parser allows
        return _malformed(line, text, f"invalid JSON: {type(err).__name__}")
    problem = text_problem(record, options.text_field)
    if problem:
        return _malformed(line, text, problem)
    if options.key in record:
        return _malformed(line, text, f"key {options.key!r} already in the record (choose another with --key)")
    return _Parsed(line, text, record)


def _judge(parsed: _Parsed, summary: dict, options: FilterOptions, empty: bool = False) -> Outcome:
    line, text, record = parsed
    if options.label_only:
        reason = None
    else:
        reason = EMPTY_TEXT if empty else decide(summary, options.rules)
    record[options.key] = summary
    if reason is None:
        try:
            return Outcome(KEPT, dumps_line(record), None, line.source, line.number)
        except ValueError:
            del record[options.key]
            return _reject(line, text, record, MALFORMED, "annotation is not strict JSON", options)
    return _reject(line, text, record, DROPPED, reason, options)


def _failed(parsed: _Parsed, err: BaseException, options: FilterOptions) -> Outcome:
    # Short and deterministic: the exception's type only (its text may hold the whole input or
    # a memory address, and would differ between runs).
    return _reject(parsed.line, parsed.text, parsed.record, MALFORMED, f"scan failed: {type(err).__name__}",
                   options)


def _scan_one(scanner, parsed: _Parsed, options: FilterOptions) -> Outcome:
    text = parsed.record[options.text_field]
    try:
        if not text.strip():
            return _judge(parsed, empty_summary(), options, empty=True)
        clean, truncated = scannable_text(text, options.max_chars)
        summary = annotate(scanner.scan_text(clean, html=options.html), options.blocks, truncated)
    except Exception as err:  # a scanner bug must cost one record, not the run, and not lose it
        return _failed(parsed, err, options)
    return _judge(parsed, summary, options)


def process_line(scanner, line: Line, options: FilterOptions) -> Outcome:
    """Parse, check, scan and judge one input line. Never raises for bad data: every line
    becomes exactly one Outcome."""
    parsed = parse_line(line, options)
    if isinstance(parsed, Outcome):
        return parsed
    return _scan_one(scanner, parsed, options)


def process_chunk(scanner, lines: Sequence[Line], options: FilterOptions) -> list[Outcome]:
    """The outcomes of `lines`, in order. When the scanner scores a batch at once
    (`scan_texts`), the chunk's texts go to it together; if that fails, each record is scanned
    alone, so one bad record costs only itself."""
    parsed = [parse_line(line, options) for line in lines]
    batch = getattr(scanner, "scan_texts", None)
    todo = [i for i, p in enumerate(parsed) if isinstance(p, _Parsed)
            and p.record[options.text_field].strip()]
    if batch is not None and len(todo) > 1:
        cut = [scannable_text(parsed[i].record[options.text_field], options.max_chars) for i in todo]
        try:
            reports = batch([c[0] for c in cut], html=options.html)
            if len(reports) != len(todo):
                raise RuntimeError("scan_texts returned a report count unlike its input")
        except Exception:
            reports = None
        if reports is not None:
            for i, (_, truncated), report in zip(todo, cut, reports):
                parsed[i] = _judge(parsed[i], annotate(report, options.blocks, truncated), options)
    return [p if isinstance(p, Outcome) else _scan_one(scanner, p, options) for p in parsed]


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
