#!/usr/bin/env python
"""Benchmark `mtdetect filter`: documents/s with --jobs 1 and --jobs 2, and peak memory for 1x
and 10x the input. Prints a Markdown table.

    PYTHONPATH=. python scripts/bench_filter.py --docs 1000 --scale 10

Input is generated (never committed): each document is 3-8 paragraphs sampled from the WMT
English corpus (human and machine translations, /work/shared/corpora/wmt-en-mt), and every 7th
document is one of the seed pages (corpora/seeds, with their menus and a Russian sidebar).
Sampling is seeded, so a rerun filters the same bytes.

Each run is the real CLI in a subprocess. Two rates are reported:
- wall: documents / wall time of the whole command, start-up and model loading included;
- marginal: the extra documents of the 10x run over its extra time,
  (10N - N) / (T10 - T1), which cancels the fixed start-up costs and is the rate a long
  job settles to. The jobs=2 speed-up is computed from it.
CPU time (user + system of the CLI and its workers) per document shows the parallel overhead
independently of what else runs on the machine. Memory is the peak of the summed PSS (proportional set size: shared pages split between the
processes that share them) of the CLI process and its workers, sampled with psutil every 20 ms. The jobs=2 output is also checked to be byte-identical to the
jobs=1 output.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WMT = Path("/work/shared/corpora/wmt-en-mt")
SEEDS = ROOT / "corpora" / "seeds"
CLI = "from mtdetect.cli.filter import filter_command; filter_command()"


def load_paragraphs(limit: int) -> list[str]:
    texts: list[str] = []
    for f in sorted(WMT.glob("*.jsonl.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                texts.append(json.loads(line)["text"])
                if len(texts) >= limit:
                    return texts
    if not texts:
        raise SystemExit(f"no WMT text under {WMT}")
    return texts


def make_input(path: Path, n_docs: int, paragraphs: list[str], seeds: list[str]) -> None:
    rng = random.Random(1234)  # the same documents for every size: 10x starts with the 1x docs
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n_docs):
            if seeds and i % 7 == 6:
                text = seeds[(i // 7) % len(seeds)]
            else:
                text = "\n\n".join(rng.sample(paragraphs, rng.randint(3, 8)))
            out.write(json.dumps({"id": f"doc-{i}", "text": text}, ensure_ascii=False) + "\n")


def _children_cpu() -> float:
    import resource

    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def run(args: list[str], env: dict) -> tuple[float, float, int, str, str]:
    """(wall seconds, CPU seconds, peak tree PSS bytes, stderr, sha1 of the output file) of one
    CLI run. The CPU time is that of the CLI and its workers (they are waited for, so the kernel
    adds their time to the CLI's children, and the CLI's to ours)."""
    import psutil

    out_path = args[args.index("-o") + 1]
    cpu0 = _children_cpu()
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-c", CLI, *args], env=env, stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, cwd=ROOT)
    peak = 0
    ps = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            procs = [ps] + ps.children(recursive=True)
            pss = 0
            for p in procs:
                try:
                    # PSS: a page shared by n processes (the models, inherited at fork) counts
                    # 1/n in each, so the sum is the tree's real footprint; RSS would count it
                    # n times.
                    pss += p.memory_full_info().pss
                except psutil.Error:
                    pass
            peak = max(peak, pss)
        except psutil.Error:
            pass
        time.sleep(0.02)
    wall = time.monotonic() - start
    cpu = _children_cpu() - cpu0
    stderr = proc.stderr.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"filter failed ({proc.returncode}):\n{stderr}")
    digest = hashlib.sha1(Path(out_path).read_bytes()).hexdigest()
    return wall, cpu, peak, stderr, digest


def mt_available(env: dict, model: str | None) -> bool:
    probe = (f"from mtdetect.scan import Scanner; Scanner(mt=True, model_dir={model!r})"
             ".scan_text('A test sentence to score.')")
    return subprocess.run([sys.executable, "-c", probe], env=env, cwd=ROOT,
                          capture_output=True).returncode == 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000, help="documents in the 1x input")
    ap.add_argument("--scale", type=int, default=10, help="size of the large input, as a multiple")
    ap.add_argument("--mt", choices=["auto", "on", "off"], default="auto",
                    help="score MT (auto: when the model loads)")
    ap.add_argument("--model", default=None, help="MT model directory (default: the shipped model)")
    ap.add_argument("--chunk-size", type=int, default=None)
    ap.add_argument("--workdir", default=None, help="keep the generated input and outputs here")
    args = ap.parse_args(argv)

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    use_mt = args.mt == "on" or (args.mt == "auto" and mt_available(env, args.model))
    work = Path(args.workdir or tempfile.mkdtemp(prefix="mtdetect-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    paragraphs = load_paragraphs(20000)
    seeds = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    sizes = {1: args.docs, args.scale: args.docs * args.scale}
    inputs = {}
    for mult, n in sizes.items():
        inputs[mult] = work / f"input_{mult}x.jsonl"
        make_input(inputs[mult], n, paragraphs, seeds)

    rules = ["--keep-lang", "en", "--max-foreign", "0.2"] + (["--max-mt", "0.5"] if use_mt else ["--no-mt"])
    if use_mt and args.model:
        rules += ["--model", args.model]
    extra = ["--chunk-size", str(args.chunk_size)] if args.chunk_size else []
    # One unmeasured run first: the page cache, imports and model files are warm for all four.
    run([str(inputs[1]), "-o", str(work / "warmup.jsonl"), "--no-progress", *rules, *extra], env)
    results = {}
    for jobs in (1, 2):
        for mult, n in sizes.items():
            out = work / f"kept_{mult}x_j{jobs}.jsonl"
            cmd = [str(inputs[mult]), "-o", str(out), "--rejects", str(work / f"rej_{mult}x_j{jobs}.jsonl"),
                   "--jobs", str(jobs), "--no-progress", *rules, *extra]
            wall, cpu, peak, stderr, digest = run(cmd, env)
            results[(jobs, mult)] = (n, wall, cpu, peak, digest)
            print(f"jobs={jobs} {mult}x: {n} docs, {wall:.1f} s, {cpu:.1f} CPU s, peak PSS {peak / 2**20:.0f} MiB; "
                  f"{stderr.strip().splitlines()[0]}", file=sys.stderr)

    big = args.scale
    same = all(results[(1, m)][4] == results[(2, m)][4] for m in sizes)
    extra_docs = sizes[big] - sizes[1]
    marginal = {j: extra_docs / (results[(j, big)][1] - results[(j, 1)][1]) for j in (1, 2)}
    # CPU seconds per extra document: the work itself, whatever else the machine is running.
    cpu_per_doc = {j: (results[(j, big)][2] - results[(j, 1)][2]) / extra_docs for j in (1, 2)}
    print()
    print(f"`mtdetect filter` on {os.cpu_count()} CPUs (load average at the end: "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}), MT scoring {'on' if use_mt else 'off (--no-mt)'}, "
          f"options: `{' '.join(rules)}`; jobs=2 output identical to jobs=1: {'yes' if same else 'NO'}")
    print()
    print(f"| jobs | docs | wall s | docs/s (wall) | docs/s (marginal) | speed-up vs jobs=1 | "
          f"CPU ms/doc | peak PSS 1x | peak PSS {big}x | {big}x / 1x |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for jobs in (1, 2):
        n1, w1, c1, p1, _ = results[(jobs, 1)]
        nb, wb, cb, pb, _ = results[(jobs, big)]
        print(f"| {jobs} | {nb:,} | {wb:.1f} | {nb / wb:,.0f} | {marginal[jobs]:,.0f} | "
              f"{marginal[jobs] / marginal[1]:.2f}x | {cpu_per_doc[jobs] * 1000:.2f} | {p1 / 2**20:,.0f} MiB | "
              f"{pb / 2**20:,.0f} MiB | {pb / p1:.2f} |")
    print()
    print(f"Parallel overhead: jobs=2 spends {cpu_per_doc[2] / cpu_per_doc[1]:.2f}x the CPU per document of "
          f"jobs=1, so on two idle cores the speed-up can reach about {2 * cpu_per_doc[1] / cpu_per_doc[2]:.2f}x.")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
