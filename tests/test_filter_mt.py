"""`mtdetect filter` with MT scoring on: a tiny model trained here (on the tests' own synthetic
corpus, `mt_tiny`) stands in for the shipped one, so the max-mt rule runs on real scores."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from mtdetect.cli.filter import filter_command

mt_tiny = pytest.importorskip("mt_tiny")


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    from mtdetect.mt.recipe import train_fast_model
    from mtdetect.mt.train_ngram import NgramConfig

    d = tmp_path_factory.mktemp("tiny_mt_model")
    train_fast_model(d, rows=mt_tiny.make_rows(n_docs=40), native=False, cfg=NgramConfig(bits=16))
    return d


@pytest.fixture(scope="module")
def mt_docs(tmp_path_factory):
    """Pages made of the synthetic paragraphs (another seed than the training rows): three
    paragraphs of one version each, labelled by the version."""
    rows = mt_tiny.make_rows(n_docs=3, seed=7)
    by_version: dict = {}
    for r in rows:
        by_version.setdefault((r["doc"], r["system"], r["label"]), []).append(r["text"])
    path = tmp_path_factory.mktemp("mt_docs") / "docs.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for (doc, system, label), paras in by_version.items():
            f.write(json.dumps({"id": f"{doc}.{system}", "label": label, "text": "\n\n".join(paras)}) + "\n")
    return path


def run(args):
    return CliRunner().invoke(filter_command, [str(a) for a in args], catch_exceptions=False)


def test_max_mt_drops_machine_translated_pages(tiny_model, mt_docs, tmp_path):
    outs = {}
    for jobs in (1, 2):
        out, rej = tmp_path / f"kept{jobs}.jsonl", tmp_path / f"rej{jobs}.jsonl"
        r = run([mt_docs, "-o", out, "--rejects", rej, "--model", tiny_model, "--keep-lang", "en",
                 "--max-mt", "0.5", "--jobs", jobs, "--chunk-size", 2])
        assert r.exit_code == 0, r.stderr
        outs[jobs] = (out.read_bytes(), rej.read_bytes())
    assert outs[1] == outs[2]  # the same bytes with MT scoring on, too
    kept = [json.loads(l) for l in outs[1][0].decode().splitlines()]
    dropped = [json.loads(l) for l in outs[1][1].decode().splitlines()]
    assert all(d["mtdetect"]["mt_score"] is not None for d in kept + dropped)
    assert all(re.fullmatch(r"mt_score 0\.\d+ > 0\.5", d["reason"]) for d in dropped)
    assert all(d["mtdetect"]["mt_score"] <= 0.5 for d in kept)
    # The tiny model separates its own phrasing: every MT page dropped, every human page kept.
    assert {d["label"] for d in dropped} == {"mt"} and {d["label"] for d in kept} == {"human"}


def test_cli_and_datatrove_agree_with_mt(tiny_model, mt_docs, tmp_path):
    pytest.importorskip("datatrove")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from mtdetect.integrations.datatrove import MTDetectFilter

    out, rej = tmp_path / "kept.jsonl", tmp_path / "rej.jsonl"
    r = run([mt_docs, "-o", out, "--rejects", rej, "--model", tiny_model, "--max-mt", "0.5"])
    assert r.exit_code == 0, r.stderr
    cli = {}
    for path in (out, rej):
        for line in path.read_text("utf-8").splitlines():
            rec = json.loads(line)
            cli[rec["id"]] = (rec["mtdetect"], rec.get("reason"))

    src = tmp_path / "dt_in"
    src.mkdir()
    shutil.copy(mt_docs, src / "docs.jsonl")
    LocalPipelineExecutor(pipeline=[
        JsonlReader(str(src)),
        MTDetectFilter(max_mt=0.5, model_dir=str(tiny_model),
                       exclusion_writer=JsonlWriter(str(tmp_path / "dt_rej"), compression=None)),
        JsonlWriter(str(tmp_path / "dt_out"), compression=None),
    ], tasks=1, workers=1, logging_dir=str(tmp_path / "logs")).run()
    dt = {}
    for folder in ("dt_out", "dt_rej"):
        for f in (tmp_path / folder).glob("*.jsonl"):
            for line in f.read_text("utf-8").splitlines():
                d = json.loads(line)
                dt[d["id"]] = (d["metadata"]["mtdetect"], d["metadata"].get("mtdetect_reason"))
    assert dt == cli
    assert any(reason for _, reason in cli.values()) and any(reason is None for _, reason in cli.values())
