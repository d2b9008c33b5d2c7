"""The filter pass when things go wrong: stopped by a signal and resumed, workers whose parent
dies, odd JSON, lone surrogates, a clashing key, huge records and lines, endless input, deep
HTML. Fast: a fake scanner stands in for the models except where a model's behaviour is the
point (lone surrogates, HTML). `scripts/check_reliability.py` runs the same cases at scale with
the real models and real signals at random moments."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtdetect.cli.filter import filter_command
from mtdetect.document import Block, PageReport
from mtdetect.filter import (
    KEPT, MALFORMED, FilterOptions, FilterRules, Line, evaluate_text, iter_lines, process_chunk,
    process_line,
)

ROOT = Path(__file__).resolve().parent.parent


class FakeScanner:
    """A page's language from its first word ("fr ..." is French, anything else English), MT
    score 0.1. Like fastText, it refuses text with lone surrogates. Text "STOP <n>" sends
    `signum` to `target` the first time it is seen (a marker file makes that once per test,
    across worker processes)."""

    def __init__(self, target=None, signum=None, marker=None):
        self.target, self.signum, self.marker = target, signum, marker
        self.seen: list[str] = []

    def scan_text(self, text, path="<text>", html=None):
        self.seen.append(text)
        text.encode("utf-8")  # UnicodeEncodeError on a lone surrogate, as the models fail
        if text.startswith("STOP") and self.marker is not None:
            try:
                os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL))
                os.kill(self.target, self.signum)
                time.sleep(5)  # the signal arrives while this record is in hand (not a timing test)
            except FileExistsError:
                pass
        lang = "fr" if text.startswith("fr ") else "en"
        block = Block(index=0, line_start=1, line_end=1, text=text, lang=lang, lang_score=0.9, mt_score=0.1)
        return PageReport(path=path, blocks=[block], lang=lang, langs={lang: 1.0}, mt_score=0.1)


def run_cli(args):
    return CliRunner().invoke(filter_command, [str(a) for a in args], catch_exceptions=False)


def strict_loads(line: str):
    def refuse(name):
        raise ValueError(f"not strict JSON: {name}")

    return json.loads(line, parse_constant=refuse)


def line(raw: bytes, number=2) -> Line:
    return Line("in.jsonl", number, raw)


# --------------------------------------------------------------------------- rows 2 and 3: stop, resume


def _stream(tmp_path, n=300) -> Path:
    """n lines: English and French records, blanks and malformed lines, one "STOP" record."""
    rows = []
    for i in range(n):
        if i % 37 == 5:
            rows.append("")
        elif i % 41 == 7:
            rows.append("{broken json")
        elif i == n // 2:
            rows.append(json.dumps({"id": i, "text": "STOP here"}))
        else:
            rows.append(json.dumps({"id": i, "text": f"{'fr' if i % 3 == 0 else 'en'} text number {i}"}))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(rows) + "\n", "utf-8")
    return path


def _gunzip(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())  # every member, and a truncated one raises


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_a_signal_stops_cleanly_and_resume_gives_the_uninterrupted_output(tmp_path, monkeypatch, jobs, signum,
                                                                            suffix):
    src = _stream(tmp_path)
    marker = tmp_path / "signalled"
    main = os.getpid()
    monkeypatch.setattr(FilterOptions, "make_scanner", lambda self: FakeScanner(main, signum, str(marker)))
    common = ["--keep-lang", "en", "--jobs", jobs, "--chunk-size", "8"]
    out, rej = tmp_path / f"out{suffix}", tmp_path / f"rej{suffix}"

    r = run_cli([src, "-o", out, "--rejects", rej, *common])
    assert marker.exists()
    assert r.exit_code == 128 + signum, r.stderr
    assert "Traceback" not in r.stderr
    name = signal.Signals(signum).name
    match = re.search(rf"stopped by {name}: input lines 1-([\d,]+) .* resume with --start-line (\d+)", r.stderr)
    assert match, r.stderr
    done = int(match.group(2))
    assert int(match.group(1).replace(",", "")) == done
    total = len(src.read_text("utf-8").splitlines())
    assert 0 < done < total
    read = _gunzip if suffix.endswith(".gz") else Path.read_bytes
    part_out, part_rej = read(out), read(rej)
    # Whole lines only, and exactly the input lines 1..done: each id once, none after.
    ids = [json.loads(l)["id"] for l in (part_out + part_rej).decode().splitlines() if '"id"' in l]
    assert len(ids) == len(set(ids))
    src_ids = [json.loads(l)["id"] for l in src.read_text("utf-8").splitlines()[:done] if l.startswith('{"id"')]
    assert sorted(ids) == sorted(src_ids)

    r2 = run_cli([src, "-o", out, "--rejects", rej, *common, "--start-line", done])
    assert r2.exit_code == 1, r2.stderr  # the malformed lines after `done`
    full_out, full_rej = tmp_path / f"full_out{suffix}", tmp_path / f"full_rej{suffix}"
    r3 = run_cli([src, "-o", full_out, "--rejects", full_rej, *common])  # marker exists: no signal
    assert r3.exit_code == 1
    assert read(out) == read(full_out)
    assert read(rej) == read(full_rej)
    for text in (read(out), read(rej)):
        for l in text.decode().splitlines():
            strict_loads(l)


def test_start_line_counts_lines_across_files_blank_lines_included(tmp_path, monkeypatch):
    monkeypatch.setattr(FilterOptions, "make_scanner", lambda self: FakeScanner())
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text('{"id": 1, "text": "en a"}\n\n{"id": 2, "text": "fr b"}\n', "utf-8")
    b.write_text('{"id": 3, "text": "en c"}\n{"id": 4, "text": "en d"}\n', "utf-8")
    full = tmp_path / "full.jsonl"
    assert run_cli([a, b, "-o", full, "--keep-lang", "en"]).exit_code == 0
    for n in range(0, 6):
        out = tmp_path / f"out{n}.jsonl"
        out.write_bytes(b"".join(l + b"\n" for l in full.read_bytes().splitlines()
                                 if json.loads(l)["id"] <= {0: 0, 1: 1, 2: 1, 3: 1, 4: 3, 5: 4}[n]))
        assert run_cli([a, b, "-o", out, "--keep-lang", "en", "--start-line", n]).exit_code == 0
        assert out.read_bytes() == full.read_bytes(), n


# --------------------------------------------------------------------------- row 1: workers end with the parent

_ORPHAN_SCRIPT = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    sys.path.insert(0, {tests!r})
    from test_filter_reliability import FakeScanner
    from mtdetect.filter import FilterOptions, FilterRunner, FilterRules
    FilterOptions.make_scanner = lambda self: FakeScanner()
    runner = FilterRunner(FilterOptions(rules=FilterRules(keep_langs=("en",))), jobs=2).__enter__()
    print(" ".join(str(p) for p in runner._pool._processes), flush=True)
    time.sleep(600)
""")


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_workers_end_when_their_parent_dies(signum):
    """Not even SIGKILL of the parent leaves a worker behind."""
    script = _ORPHAN_SCRIPT.format(root=str(ROOT), tests=str(ROOT / "tests"))
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(p) for p in parent.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(p) for p in workers)
        os.kill(parent.pid, signum)
        parent.wait(timeout=60)
        deadline = time.monotonic() + 60  # a bound on waiting, not a measured time
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(p) for p in workers)
    finally:
        if parent.poll() is None:
            parent.kill()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


# --------------------------------------------------------------------------- row 4: lone surrogates, reasons


def test_lone_surrogates_are_replaced_before_the_models_see_the_text():
    scanner = FakeScanner()
    out = process_line(scanner, line(b'{"id": 1, "text": "caf\\ud800 au lait"}'),
                       FilterOptions(rules=FilterRules(keep_langs=("en",))))
    assert out.status == KEPT
    assert scanner.seen == ["caf\ufffd au lait"]
    assert '"caf\\ud800 au lait"' in out.data.decode("ascii")  # the record itself is written as read


def test_lone_surrogates_with_the_real_identifier():
    from mtdetect.scan import Scanner

    scanner = Scanner(mt=False, source=False)
    summary, reason = evaluate_text(scanner, "The weather is fine today \ud800 and \udfff tomorrow.", FilterRules())
    assert summary["lang"] == "en" and reason is None


def test_a_failing_scan_gives_a_short_deterministic_reason():
    class Broken:
        def scan_text(self, text, path="<text>", html=None):
            raise TypeError(f"predict(): incompatible arguments: {text} at {object()!r}")

    outs = [process_line(Broken(), line(b'{"text": "' + b"long text " * 100 + b'"}'), FilterOptions())
            for _ in range(2)]
    assert outs[0] == outs[1]
    assert outs[0].status == MALFORMED
    assert json.loads(outs[0].data)["reason"] == "scan failed: TypeError"


def test_json_error_message_has_no_doubled_word():
    out = process_line(FakeScanner(), line(b'{"text": "unterminated'), FilterOptions())
    reason = json.loads(out.data)["reason"]
    assert reason == "invalid JSON: Unterminated string starting at column 10"


# --------------------------------------------------------------------------- row 5: strict JSON


@pytest.mark.parametrize("value, reason", [
    ("NaN", "invalid JSON: NaN is not a JSON value (RFC 8259)"),
    ("Infinity", "invalid JSON: Infinity is not a JSON value (RFC 8259)"),
    ("-Infinity", "invalid JSON: -Infinity is not a JSON value (RFC 8259)"),
    ("1e400", "invalid JSON: number 1e400 is out of range"),
    ("-1E+999", "invalid JSON: number -1E+999 is out of range"),
])
def test_values_strict_json_cannot_hold_are_rejected_and_kept_verbatim(value, reason):
    raw = f'{{"id": 1, "score": {value}, "text": "en page"}}'.encode()
    out = process_line(FakeScanner(), line(raw), FilterOptions())
    assert out.status == MALFORMED
    rec = strict_loads(out.data.decode())
    assert rec["reason"] == reason and rec["raw"] == raw.decode()


def test_ordinary_numbers_pass_and_every_output_line_is_strict_json(tmp_path, monkeypatch):
    monkeypatch.setattr(FilterOptions, "make_scanner", lambda self: FakeScanner())
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "x": 1.5e300, "y": -0.0, "z": 12345678901234567890, "text": "en a"}\n'
                   '{"id": 2, "x": NaN, "text": "en b"}\n{"id": 3, "x": 1e400, "text": "en c"}\n', "utf-8")
    out, rej = tmp_path / "out.jsonl", tmp_path / "rej.jsonl"
    r = run_cli([src, "-o", out, "--rejects", rej, "--label-only"])
    assert r.exit_code == 1
    kept = [strict_loads(l) for l in out.read_text("utf-8").splitlines()]
    assert [k["id"] for k in kept] == [1] and kept[0]["z"] == 12345678901234567890 and kept[0]["x"] == 1.5e300
    assert len([strict_loads(l) for l in rej.read_text("utf-8").splitlines()]) == 2


# --------------------------------------------------------------------------- row 6: the annotation key


def test_a_record_that_has_the_annotation_key_is_rejected_not_overwritten():
    raw = b'{"id": 1, "mtdetect": {"theirs": true}, "text": "en page"}'
    out = process_line(FakeScanner(), line(raw), FilterOptions())
    assert out.status == MALFORMED
    rec = json.loads(out.data)
    assert rec["raw"] == raw.decode()
    assert rec["reason"] == "key 'mtdetect' already in the record (choose another with --key)"
    # Under another key it is annotated, and its own key is untouched.
    out = process_line(FakeScanner(), line(raw), FilterOptions(key="lid"))
    rec = json.loads(out.data)
    assert out.status == KEPT and rec["mtdetect"] == {"theirs": True} and rec["lid"]["lang"] == "en"


def test_key_option_and_reason_keys_never_overwrite(tmp_path, monkeypatch):
    monkeypatch.setattr(FilterOptions, "make_scanner", lambda self: FakeScanner())
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "reason": "r", "lid_reason": "s", "text": "fr page"}\n'
                   '{"id": 2, "reason": "r", "text": "fr page"}\n', "utf-8")
    out, rej = tmp_path / "out.jsonl", tmp_path / "rej.jsonl"
    assert run_cli([src, "-o", out, "--rejects", rej, "--keep-lang", "en", "--key", "lid"]).exit_code == 0
    first, second = [json.loads(l) for l in rej.read_text("utf-8").splitlines()]
    # Both reason keys taken: the line is kept as read, the reason beside it.
    assert first["reason"] == "lang fr not in [en]" and json.loads(first["raw"])["lid_reason"] == "s"
    assert second["reason"] == "r" and second["lid_reason"] == "lang fr not in [en]" and second["lid"]["lang"] == "fr"
    assert run_cli([src, "--keep-lang", "en", "--key", "text"]).exit_code == 2
    assert "--mt-model [fast|accurate|cascade]" in run_cli(["--help"]).stdout


# --------------------------------------------------------------------------- row 10: bounded scan


def test_a_huge_record_is_scanned_only_up_to_max_chars_and_says_so():
    scanner = FakeScanner()
    text = "word " * 50_000  # 250,000 characters
    raw = json.dumps({"id": 1, "text": text}).encode()
    out = process_line(scanner, line(raw), FilterOptions(max_chars=1000))
    rec = json.loads(out.data)
    assert out.status == KEPT and rec["text"] == text  # the record is written whole
    assert rec["mtdetect"]["truncated"] is True
    assert len(scanner.seen[0]) <= 1000 and scanner.seen[0].endswith("word")
    small = json.loads(process_line(scanner, line(b'{"text": "en short"}'), FilterOptions()).data)
    assert "truncated" not in small["mtdetect"]


def test_batch_scoring_is_used_and_a_failing_batch_falls_back_per_record():
    class Batch(FakeScanner):
        batches = 0

        def scan_texts(self, texts, html=None):
            Batch.batches += 1
            if any("bad" in t for t in texts):
                raise RuntimeError("one bad record")
            return [self.scan_text(t) for t in texts]

    lines = [line(json.dumps({"id": i, "text": f"en {i}"}).encode(), i + 1) for i in range(4)]
    outs = process_chunk(Batch(), lines, FilterOptions())
    assert Batch.batches == 1 and [o.status for o in outs] == [KEPT] * 4
    assert outs == [process_line(FakeScanner(), l, FilterOptions()) for l in lines]
    bad = lines[:2] + [line(b'{"id": 9, "text": "en bad"}', 3)]
    outs = process_chunk(Batch(), bad, FilterOptions())
    assert [o.status for o in outs] == [KEPT] * 3  # scanned one by one after the batch failed


# --------------------------------------------------------------------------- row 9: endless input


class Endless(io.RawIOBase):
    """A pipe that never ends and never has a newline (/dev/zero, or `yes` without newlines)."""

    def __init__(self):
        self.given = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = len(buffer)
        buffer[:n] = b"\0" * n
        self.given += n
        return n


def test_filter_reader_reads_a_bounded_amount_of_an_endless_pipe():
    errors = []
    stream = Endless()
    lines = list(iter_lines(["-"], lambda w, m: errors.append((w, m)), stdin=stream, max_line_bytes=1 << 16))
    assert len(lines) == 1 and lines[0].overflow and len(lines[0].raw) <= 1024
    assert stream.given < 1 << 20
    assert errors and "rest of this input is not read" in errors[0][1]
    out = process_line(FakeScanner(), lines[0], FilterOptions())
    assert out.status == MALFORMED and "limit" in json.loads(out.data)["reason"]


def test_filter_reader_skips_a_too_long_line_of_a_file_and_goes_on(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"text": "a"}\n' + b"x" * 5000 + b'\n{"text": "b"}\n')
    errors = []
    lines = list(iter_lines([str(path)], lambda w, m: errors.append(m), max_line_bytes=1000))
    assert [(l.number, l.overflow) for l in lines] == [(1, False), (2, True), (3, False)]
    assert lines[2].raw == b'{"text": "b"}' and not errors


def test_scan_refuses_dev_zero_and_an_endless_pipe_after_20_mib():
    from mtdetect.read import MAX_FILE_BYTES, ReadError, read_limited, read_page

    with pytest.raises(ReadError, match="over the 20 MiB limit"):
        read_page("/dev/zero")
    stream = Endless()
    with pytest.raises(ReadError, match="over the 20 MiB limit"):
        read_limited(io.BufferedReader(stream))
    assert stream.given <= MAX_FILE_BYTES + 1 + io.DEFAULT_BUFFER_SIZE


def test_scan_cli_on_dev_zero_exits_1_with_one_line():
    from mtdetect.cli.scan import scan_command

    r = CliRunner().invoke(scan_command, ["/dev/zero", "--no-mt", "--no-source", "--format", "jsonl"])
    assert r.exit_code == 1
    assert "over the 20 MiB limit" in r.stderr and "Traceback" not in r.stderr


# --------------------------------------------------------------------------- row 8: deep HTML


@pytest.mark.parametrize("tag", ["div", "font", "span", "blockquote"])
def test_html_nested_1000_deep_loses_no_text(tag):
    from mtdetect.segment.html import segment_html

    html = "<html><body>" + "".join(f"<{tag}><p>Paragraph {i} of a long story.</p>\n" for i in range(1000))
    blocks = segment_html(html + "</body></html>")
    texts = [b.text for b in blocks]
    assert texts == [f"Paragraph {i} of a long story." for i in range(1000)]
    assert [b.line_start for b in blocks] == list(range(1, 1001))
    assert all(b.main for b in blocks)  # trafilatura sees the whole tree too


def test_html_article_inside_300_nested_divs_and_text_around_deep_blocks():
    from mtdetect.segment.html import segment_html

    html = "<html><body>" + "<div>" * 300 + "<p>The article is here.</p>" + "</div>" * 300 + "</body></html>"
    assert [b.text for b in segment_html(html)] == ["The article is here."]
    html = ("<html><body>" + "".join(f"<div>text {i} <b>bold</b>" for i in range(600))
            + "<script>var hidden = 1;</script><!-- note --> end<br>after</body></html>")
    texts = [b.text for b in segment_html(html)]
    assert texts == [f"text {i} bold" for i in range(599)] + ["text 599 bold end", "after"]


def test_a_worker_that_dies_stops_the_run_cleanly_with_exit_3_and_it_resumes(tmp_path, monkeypatch):
    src = _stream(tmp_path)
    main = os.getpid()

    class Dying(FakeScanner):
        def scan_text(self, text, path="<text>", html=None):
            if text.startswith("STOP") and os.getpid() != main:
                os.kill(os.getpid(), signal.SIGKILL)  # the OOM killer, say
            return super().scan_text(text, path, html)

    monkeypatch.setattr(FilterOptions, "make_scanner", lambda self: Dying())
    out, full = tmp_path / "out.jsonl", tmp_path / "full.jsonl"
    common = ["--keep-lang", "en", "--chunk-size", "8"]
    r = run_cli([src, "-o", out, *common, "--jobs", "2"])
    assert r.exit_code == 3, r.stderr
    assert "a worker process died" in r.stderr and "Traceback" not in r.stderr
    done = int(re.search(r"resume with --start-line (\d+)", r.stderr).group(1))
    assert 0 < done
    # Resumed in-process (jobs 1, where the record does not kill anything): the same output.
    assert run_cli([src, "-o", out, *common, "--start-line", done]).exit_code == 1
    assert run_cli([src, "-o", full, *common]).exit_code == 1
    assert out.read_bytes() == full.read_bytes()


def test_an_unwritable_rejects_file_leaves_the_output_valid(tmp_path, monkeypatch):
    monkeypatch.setattr(FilterOptions, "make_scanner", lambda self: FakeScanner())
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "text": "en a"}\n', "utf-8")
    out = tmp_path / "out.jsonl.gz"
    assert run_cli([src, "-o", out, "--keep-lang", "en"]).exit_code == 0
    r = run_cli([src, "-o", out, "--rejects", tmp_path / "no" / "such" / "dir.jsonl", "--keep-lang", "en",
                 "--start-line", "1"])
    assert r.exit_code == 2 and "cannot write" in r.stderr
    assert [json.loads(l)["id"] for l in _gunzip(out).splitlines()] == [1]
