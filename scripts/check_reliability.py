#!/usr/bin/env python
"""Check that `mtdetect filter` loses nothing and hangs on nothing: a long stream with bad lines
of many kinds, kill-and-resume runs with SIGTERM and SIGINT at random moments, and adversarial
inputs. Prints a Markdown table of cases and outcomes; exits 1 when a case fails.

    python scripts/check_reliability.py                    # a few minutes on 2 cores
    python scripts/check_reliability.py --lines 100000 --kill-runs 10    # the full sizes

Every run is the real CLI in a subprocess (MT scoring and the source-language guess on, the
shipped models). Input is generated from the seed pages and test fixtures, seeded, never
committed.

- stream: `--lines` lines with about 5 % bad lines of 30 kinds and some blank lines, filtered with
  `--jobs 1` and `--jobs 2`: every input line is accounted for (records in = output + rejects,
  blank lines counted apart), the two outputs are byte-identical, no traceback; peak memory is
  the largest VmHWM (peak resident set) of any one process of the run (the CLI or a worker).
- kill: `--kill-runs` runs per signal and per `--jobs` value on a `--kill-lines` stream, gzip
  output and rejects; SIGTERM goes to the CLI's process only (`kill PID`), SIGINT to its whole
  process group (what Ctrl-C in a terminal does). Even-numbered runs: after a random delay
  (seeded) between 0.3 s and 0.9 times the length of an uninterrupted run (model loading
  included: a signal then stops the run before its first line); odd-numbered runs: once the CLI
  has read a random share (5-90 %) of its input, so the stop falls in the middle of the work. Then: no worker left alive, both gzip files valid, the run
  resumed with the `--start-line` the summary printed, and the union compared line by line with
  an uninterrupted run (lines lost, lines duplicated).
- adversarial: a 5 MB record (time and peak memory next to a small record), HTML nested 1,000
  deep, lone surrogates, NaN / Infinity / 1e400, a clashing annotation key, `scan /dev/zero`,
  `yes | scan /dev/stdin`, `filter /dev/zero`.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILTER = [sys.executable, "-m", "mtdetect.cli", "filter"]
SCAN = [sys.executable, "-m", "mtdetect.cli", "scan"]
RULES = ["--keep-lang", "en", "--max-foreign", "0.2", "--max-mt", "0.5"]


# --------------------------------------------------------------------------- input


def paragraphs() -> list[str]:
    paras = []
    for path in sorted((ROOT / "corpora" / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures").glob("*.txt")):
        for para in path.read_text("utf-8").split("\n\n"):
            if len(para.strip()) > 20:
                paras.append(para.strip())
    return paras


# Bad or odd lines, by kind; each is a function of a counter giving the line's bytes.
BAD = {
    "invalid JSON: truncated object": lambda i: b'{"id": %d, "text": "cut off' % i,
    "invalid JSON: single quotes": lambda i: b"{'id': %d, 'text': 'x'}" % i,
    "invalid JSON: trailing comma": lambda i: b'{"id": %d, "text": "x",}' % i,
    "invalid JSON: bare words": lambda i: b"hello world %d" % i,
    "invalid JSON: two objects": lambda i: b'{"id": %d, "text": "a"}{"id": 0}' % i,
    "invalid JSON: control character": lambda i: b'{"id": %d, "text": "tab\there"}' % i,
    "not an object: array": lambda i: b'[%d, "text"]' % i,
    "not an object: string": lambda i: b'"just a string %d"' % i,
    "not an object: number": lambda i: b"%d" % i,
    "not an object: null": lambda i: b"null",
    "text missing": lambda i: b'{"id": %d, "body": "x"}' % i,
    "text null": lambda i: b'{"id": %d, "text": null}' % i,
    "text a number": lambda i: b'{"id": %d, "text": 42}' % i,
    "text a list": lambda i: b'{"id": %d, "text": ["a", "b"]}' % i,
    "text an object": lambda i: b'{"id": %d, "text": {"en": "x"}}' % i,
    "invalid UTF-8": lambda i: b'{"id": %d, "text": "caf\xe9 \xff"}' % i,
    "UTF-16 bytes": lambda i: ('{"id": %d, "text": "x"}' % i).encode("utf-16"),
    "NaN": lambda i: b'{"id": %d, "score": NaN, "text": "An English page."}' % i,
    "Infinity": lambda i: b'{"id": %d, "score": -Infinity, "text": "An English page."}' % i,
    "1e400": lambda i: b'{"id": %d, "score": 1e400, "text": "An English page."}' % i,
    "key clash": lambda i: b'{"id": %d, "mtdetect": 1, "text": "An English page."}' % i,
    "deep JSON nesting": lambda i: b'{"id": %d, "text": "x", "deep": ' % i + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "5,000-digit integer": lambda i: b'{"id": %d, "n": 1%s, "text": "x"}' % (i, b"0" * 5000),
    # odd but valid: these are scanned and kept or dropped by the rules
    "lone surrogate": lambda i: b'{"id": %d, "text": "The price is 10 \\ud800 euros for the whole week."}' % i,
    "own reason key": lambda i: b'{"id": %d, "reason": "theirs", "text": "Une page en fran\xc3\xa7ais."}' % i,
    "empty text": lambda i: b'{"id": %d, "text": ""}' % i,
    "whitespace text": lambda i: b'{"id": %d, "text": " \\n\\t "}' % i,
    "NUL escapes": lambda i: b'{"id": %d, "text": "nul \\u0000 inside an English sentence here"}' % i,
    "base64 blob": lambda i: b'{"id": %d, "text": "%s"}' % (i, b"QUJD" * 12_000),
    "CRLF line end": lambda i: b'{"id": %d, "text": "An English line with a CR."}\r' % i,
}


def make_stream(path: Path, lines: int, seed: int, bad_share: float = 0.05, blank_share: float = 0.0015):
    """`lines` lines; returns Counter of kinds."""
    rng = random.Random(seed)
    paras = paragraphs()
    kinds = collections.Counter()
    names = sorted(BAD)
    with open(path, "wb") as out:
        for i in range(lines):
            r = rng.random()
            if r < blank_share:
                out.write(rng.choice([b"", b"   ", b"\t"]) + b"\n")
                kinds["blank"] += 1
            elif r < blank_share + bad_share:
                name = names[i % len(names)]
                out.write(BAD[name](i) + b"\n")
                kinds[name] += 1
            else:
                text = "\n\n".join(rng.sample(paras, rng.randint(1, 6))) + f"\n\n{i}"
                out.write(json.dumps({"id": i, "text": text}, ensure_ascii=False).encode() + b"\n")
                kinds["page"] += 1
    return kinds


# --------------------------------------------------------------------------- running


class Run:
    def __init__(self, rc, stderr, wall, peaks, orphans):
        self.rc, self.stderr, self.wall, self.peaks, self.orphans = rc, stderr, wall, peaks, orphans

    @property
    def peak_mib(self) -> float:
        return max(self.peaks.values(), default=0) / 1024


def _hwm_kib(pid: int):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def _input_position(pid: int, path: str) -> int:
    """How far process `pid` has read the file `path` (its file offset), 0 when not open."""
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            if os.readlink(f"/proc/{pid}/fd/{fd}") == path:
                with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                    return int(f.readline().split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def run(cmd, *, signal_after=None, signum=None, group=False, stdin=None, timeout=3600,
        signal_at_byte=None, input_path=None) -> Run:
    """Run `cmd`, sampling the peak memory of it and its children; send `signum` after
    `signal_after` seconds, or once it has read `signal_at_byte` bytes of `input_path` (to its
    process group with `group`). Orphans: children still alive 10 s after it ended (then
    killed)."""
    import psutil

    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    err_chunks = []
    import threading

    reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)
    reader.start()
    peaks: dict[int, int] = {}
    seen: set[int] = set()
    sent = False
    ps = psutil.Process(proc.pid)
    while proc.poll() is None:
        now = time.monotonic() - start
        try:
            pids = [proc.pid] + [c.pid for c in ps.children(recursive=True)]
        except psutil.Error:
            pids = [proc.pid]
        for pid in pids:
            seen.add(pid)
            hwm = _hwm_kib(pid)
            if hwm:
                peaks[pid] = max(peaks.get(pid, 0), hwm)
        if signum is not None and not sent and (
                now >= signal_after if signal_at_byte is None
                else _input_position(proc.pid, input_path) >= signal_at_byte):
            try:
                os.killpg(proc.pid, signum) if group else os.kill(proc.pid, signum)
            except ProcessLookupError:
                pass
            sent = True
        if now > timeout:
            os.killpg(proc.pid, signal.SIGKILL)
        time.sleep(0.05)
    wall = time.monotonic() - start
    reader.join(timeout=30)
    deadline = time.monotonic() + 10
    others = seen - {proc.pid}
    while any(_alive(p) for p in others) and time.monotonic() < deadline:
        time.sleep(0.1)
    orphans = [p for p in others if _alive(p)]
    for p in orphans:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    stderr = (err_chunks[0] if err_chunks else b"").decode("utf-8", "replace")
    return Run(proc.returncode, stderr, wall, peaks, orphans)


def lines_of(path: Path) -> list[bytes]:
    data = path.read_bytes() if path.exists() else b""
    if path.suffix == ".gz":
        data = gzip.decompress(data) if data else b""
    return data.splitlines()


# --------------------------------------------------------------------------- checks


ROWS: list[tuple[str, str, bool]] = []


def row(case: str, outcome: str, ok: bool) -> None:
    ROWS.append((case, outcome, ok))
    print(f"  {'ok  ' if ok else 'FAIL'} {case}: {outcome}", file=sys.stderr, flush=True)


def check_stream(work: Path, lines: int, seed: int) -> None:
    src = work / "stream.jsonl"
    kinds = make_stream(src, lines, seed)
    n_bad = sum(v for k, v in kinds.items() if k not in ("page", "blank"))
    blank = kinds["blank"]
    print(f"stream: {lines:,} lines, {n_bad:,} bad or odd lines of {len(kinds) - 2} kinds, {blank} blank",
          file=sys.stderr)
    outputs = {}
    for jobs in (1, 2):
        out, rej = work / f"s_out{jobs}.jsonl", work / f"s_rej{jobs}.jsonl"
        r = run([*FILTER, str(src), "-o", str(out), "--rejects", str(rej), *RULES, "--jobs", str(jobs)])
        n_out, n_rej = len(lines_of(out)), len(lines_of(rej))
        m = re.search(r"blank lines skipped ([\d,]+)", r.stderr)
        n_blank = int(m.group(1).replace(",", "")) if m else 0
        strict = all(_strict(l) for l in lines_of(out) + lines_of(rej))
        ok = (n_out + n_rej + n_blank == lines and n_blank == blank and "Traceback" not in r.stderr
              and r.rc == 1 and strict)
        per = sorted(r.peaks.values())
        row(f"{lines:,}-line stream, --jobs {jobs}",
            f"in {lines:,} = out {n_out:,} + rejects {n_rej:,} + blank {n_blank:,}; exit {r.rc}; "
            f"{'no traceback' if 'Traceback' not in r.stderr else 'TRACEBACK'}; every line strict JSON: {strict}; "
            f"{r.wall:.0f} s; peak memory per process {', '.join(f'{p / 1024:.0f}' for p in per)} MiB", ok)
        row(f"{lines:,}-line stream, --jobs {jobs}: peak memory per process <= 500 MiB",
            f"{r.peak_mib:.0f} MiB", r.peak_mib <= 500)
        outputs[jobs] = (out.read_bytes(), rej.read_bytes())
    row("--jobs 2 output and rejects byte-identical to --jobs 1", str(outputs[1] == outputs[2]),
        outputs[1] == outputs[2])


def _strict(line: bytes) -> bool:
    def refuse(name):
        raise ValueError(name)

    try:
        json.loads(line, parse_constant=refuse)
        return True
    except ValueError:
        return False


def check_kills(work: Path, lines: int, runs: int, seed: int, jobs_values=(1, 2)) -> None:
    src = work / "kill.jsonl"
    make_stream(src, lines, seed + 1)
    rng = random.Random(seed)
    for jobs in jobs_values:
        ref_out, ref_rej = work / f"k_ref_out{jobs}.jsonl.gz", work / f"k_ref_rej{jobs}.jsonl.gz"
        common = [*RULES, "--jobs", str(jobs)]
        ref = run([*FILTER, str(src), "-o", str(ref_out), "--rejects", str(ref_rej), *common])
        want_out, want_rej = lines_of(ref_out), lines_of(ref_rej)
        for signum, group in ((signal.SIGTERM, False), (signal.SIGINT, True)):
            name = signal.Signals(signum).name
            stats = collections.Counter()
            details = []
            for k in range(runs):
                out, rej = work / f"k_out{jobs}.jsonl.gz", work / f"k_rej{jobs}.jsonl.gz"
                for p in (out, rej):
                    p.unlink(missing_ok=True)
                # Even runs: a random time (model loading included); odd runs: once a random share
                # of the input has been read, so the stop falls in the middle of the work.
                delay = rng.uniform(0.3, 0.9 * ref.wall)
                at_byte = int(rng.uniform(0.05, 0.9) * src.stat().st_size) if k % 2 else None
                r = run([*FILTER, str(src), "-o", str(out), "--rejects", str(rej), *common],
                        signal_after=delay, signum=signum, group=group, signal_at_byte=at_byte,
                        input_path=str(src))
                stats["orphans"] += len(r.orphans)
                stats["tracebacks"] += "Traceback" in r.stderr
                try:
                    lines_of(out), lines_of(rej)
                except (OSError, EOFError, gzip.BadGzipFile):
                    stats["invalid gzip"] += 1
                    continue
                m = re.search(r"resume with --start-line (\d+)", r.stderr)
                if r.rc == 128 + signum and m:
                    stats["stopped"] += 1
                    n = int(m.group(1))
                    details.append(n)
                    r2 = run([*FILTER, str(src), "-o", str(out), "--rejects", str(rej), *common,
                              "--start-line", str(n)])
                    stats["tracebacks"] += "Traceback" in r2.stderr
                    stats["orphans"] += len(r2.orphans)
                elif r.rc in (0, 1):
                    stats["finished before the signal"] += 1
                else:
                    stats[f"exit {r.rc}"] += 1
                    continue
                got_out, got_rej = lines_of(out), lines_of(rej)
                for got, want in ((got_out, want_out), (got_rej, want_rej)):
                    g, w = collections.Counter(got), collections.Counter(want)
                    stats["lost"] += sum((w - g).values())
                    stats["duplicated"] += sum((g - w).values())
                    stats["order differs"] += got != want and g == w
            ok = (stats["orphans"] == 0 and stats["lost"] == 0 and stats["duplicated"] == 0
                  and stats["invalid gzip"] == 0 and stats["tracebacks"] == 0 and stats["order differs"] == 0
                  and stats["stopped"] + stats["finished before the signal"] == runs)
            row(f"{name} at a random moment, --jobs {jobs}, {runs} runs, resumed",
                f"stopped {stats['stopped']} (exit {128 + signum}; at lines {', '.join(map(str, sorted(details)))}), "
                f"finished first {stats['finished before the signal']}; orphans {stats['orphans']}, "
                f"lines lost {stats['lost']}, duplicated {stats['duplicated']}, invalid gzip {stats['invalid gzip']}, "
                f"tracebacks {stats['tracebacks']}"
                + "".join(f"; {k} {v}" for k, v in sorted(stats.items()) if k.startswith("exit ")), ok)


def check_adversarial(work: Path) -> None:
    paras = paragraphs()
    en = " ".join(p for p in paras[:40])
    small = work / "small.jsonl"
    small.write_text(json.dumps({"id": 1, "text": en[:3000]}) + "\n", "utf-8")
    big = work / "big.jsonl"
    text = (en + "\n\n") * (5_000_000 // (len(en) + 2) + 1)
    big.write_text(json.dumps({"id": 1, "text": text[:5_000_000]}) + "\n", "utf-8")
    res = {}
    for name, path in (("small", small), ("5 MB", big)):
        out = work / f"adv_{name[0]}.jsonl"
        r = run([*FILTER, str(path), "-o", str(out), "--label-only"])
        res[name] = (r, json.loads(out.read_bytes().splitlines()[0])["mtdetect"] if r.rc == 0 else {})
    (rs, _), (rb, ab) = res["small"], res["5 MB"]
    extra = rb.peak_mib - rs.peak_mib
    row("one 5 MB record", f"exit {rb.rc}; {rb.wall:.1f} s (small record {rs.wall:.1f} s); peak {rb.peak_mib:.0f} MiB, "
        f"{extra:+.0f} MiB over a small record; annotation truncated: {ab.get('truncated')}",
        rb.rc == 0 and extra <= 300 and ab.get("truncated") is True)

    deep = work / "deep.jsonl"
    html = "<html><body>" + "".join(f"<div><p>Paragraph {i} of the story, in plain English words.</p>\n"
                                    for i in range(1000)) + "</body></html>"
    nested = "<html><body>" + "<div>" * 300 + "<p>The article is here, inside 300 divs.</p>" + "</div>" * 300
    deep.write_text(json.dumps({"id": 1, "text": html}) + "\n" + json.dumps({"id": 2, "text": nested}) + "\n", "utf-8")
    out = work / "deep_out.jsonl"
    r = run([*FILTER, str(deep), "-o", str(out), "--label-only", "--html", "--blocks"])
    recs = [json.loads(l) for l in lines_of(out)]
    n = [len(x["mtdetect"]["blocks"]) for x in recs]
    last = recs[0]["mtdetect"]["blocks"][-1]["text"] if recs else ""
    row("HTML: 1,000 unclosed <div>s; an article in 300 nested <div>s",
        f"exit {r.rc}; blocks {n} (want [1000, 1]); last block {last!r}",
        r.rc == 0 and n == [1000, 1] and last.startswith("Paragraph 999"))

    odd = work / "odd.jsonl"
    odd.write_bytes(b'{"id": 1, "text": "The weather is fine today \\ud800 and tomorrow too, they say."}\n'
                    b'{"id": 2, "x": NaN, "text": "a"}\n{"id": 3, "x": 1e400, "text": "a"}\n'
                    b'{"id": 4, "x": Infinity, "text": "a"}\n{"id": 5, "mtdetect": {}, "text": "a"}\n')
    out, rej = work / "odd_out.jsonl", work / "odd_rej.jsonl"
    outs = []
    for _ in range(2):
        r = run([*FILTER, str(odd), "-o", str(out), "--rejects", str(rej), "--label-only"])
        outs.append((out.read_bytes(), rej.read_bytes()))
    kept = [json.loads(l) for l in lines_of(out)]
    reasons = [json.loads(l)["reason"] for l in lines_of(rej)]
    row("lone surrogate; NaN, 1e400, Infinity; a record with a \"mtdetect\" key",
        f"exit {r.rc}; kept {[k['id'] for k in kept]} (lang {kept[0]['mtdetect']['lang'] if kept else None}); "
        f"rejected: {'; '.join(reasons)}; same bytes in two runs: {outs[0] == outs[1]}",
        r.rc == 1 and [k["id"] for k in kept] == [1] and len(reasons) == 4 and outs[0] == outs[1]
        and all(_strict(l) for l in lines_of(out) + lines_of(rej)))

    r = run([*SCAN, "/dev/zero", "--no-mt", "--no-source"], timeout=120)
    row("mtdetect scan /dev/zero", f"exit {r.rc}; {r.wall:.1f} s; peak {r.peak_mib:.0f} MiB; "
        f"stderr: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ''}", r.rc == 1 and r.peak_mib < 500)
    yes = subprocess.Popen(["yes"], stdout=subprocess.PIPE)
    r = run([*SCAN, "/dev/stdin", "--no-mt", "--no-source"], stdin=yes.stdout, timeout=120)
    yes.kill()
    yes.wait()
    row("yes | mtdetect scan /dev/stdin", f"exit {r.rc}; {r.wall:.1f} s; peak {r.peak_mib:.0f} MiB",
        r.rc == 1 and r.peak_mib < 500)
    r = run([*FILTER, "/dev/zero", "--label-only", "-o", str(work / "zero.jsonl")], timeout=120)
    row("mtdetect filter /dev/zero", f"exit {r.rc}; {r.wall:.1f} s; peak {r.peak_mib:.0f} MiB; "
        f"stderr: {r.stderr.strip().splitlines()[0] if r.stderr.strip() else ''}", r.rc == 1 and r.peak_mib < 500)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=10_000, help="lines of the long stream (full: 100000)")
    ap.add_argument("--kill-runs", type=int, default=2, help="runs per signal and --jobs value (full: 10)")
    ap.add_argument("--kill-lines", type=int, default=2_000, help="lines of the stream the kill runs use")
    ap.add_argument("--kill-jobs", default="1,2", help="the --jobs values of the kill runs")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--only", choices=["stream", "kill", "adversarial"], action="append")
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args(argv)
    work = Path(args.workdir or tempfile.mkdtemp(prefix="mtdetect-reliability-"))
    work.mkdir(parents=True, exist_ok=True)
    only = set(args.only or ["stream", "kill", "adversarial"])
    start = time.monotonic()
    if "adversarial" in only:
        check_adversarial(work)
    if "kill" in only:
        check_kills(work, args.kill_lines, args.kill_runs, args.seed,
                    tuple(int(j) for j in args.kill_jobs.split(",")))
    if "stream" in only:
        check_stream(work, args.lines, args.seed)
    print(f"\n`mtdetect filter` reliability on {os.cpu_count()} CPUs ({time.monotonic() - start:.0f} s):\n")
    print("| case | outcome | ok |")
    print("|---|---|---|")
    for case, outcome, ok in ROWS:
        cell = lambda s: s.replace("|", "\\|")
        print(f"| {cell(case)} | {cell(outcome)} | {'yes' if ok else '**no**'} |")
    return 0 if all(ok for _, _, ok in ROWS) else 1


if __name__ == "__main__":
    sys.exit(main())
