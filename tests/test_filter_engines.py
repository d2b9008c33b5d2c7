"""The filter in datatrove and Spark, and the same verdicts from the CLI, datatrove and Spark.

The Spark tests are marked `spark` (select with `-m spark`, leave out with `-m "not spark"`) and
skipped when pyspark or Java is missing; they start one local[2] session for the module."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtdetect.cli.filter import filter_command

ROOT = Path(__file__).resolve().parent.parent
DOCS = Path(__file__).parent / "data" / "filter_docs.jsonl"
RULES = dict(keep_langs=["en"], max_foreign=0.2)
CLI_RULES = ["--keep-lang", "en", "--max-foreign", "0.2"]
SUMMARY_KEYS = ("lang", "langs", "multilingual", "mt_score", "source_lang")


def read_jsonl_dir(folder: Path) -> list[dict]:
    rows = []
    for f in sorted(folder.rglob("*")):
        if f.name.startswith((".", "_")) or f.suffix not in (".json", ".jsonl"):
            continue  # Spark's .crc checksums and _SUCCESS markers
        rows += [json.loads(l) for l in f.read_text("utf-8").splitlines() if l.strip()]
    return rows


def cli_verdicts(tmp_path: Path) -> dict:
    out, rej = tmp_path / "cli_kept.jsonl", tmp_path / "cli_rej.jsonl"
    r = CliRunner().invoke(filter_command, [str(DOCS), "-o", str(out), "--rejects", str(rej), "--no-mt", *CLI_RULES])
    assert r.exit_code == 0, r.stderr
    verdicts = {}
    for line in out.read_text("utf-8").splitlines():
        rec = json.loads(line)
        verdicts[rec["id"]] = (rec["mtdetect"], None)
    for line in rej.read_text("utf-8").splitlines():
        rec = json.loads(line)
        verdicts[rec["id"]] = (rec["mtdetect"], rec["reason"])
    return verdicts


# --------------------------------------------------------------------------- datatrove


def run_datatrove(tmp_path: Path, **filter_kwargs) -> tuple[list[dict], list[dict]]:
    pytest.importorskip("datatrove")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from mtdetect.integrations.datatrove import MTDetectFilter

    src = tmp_path / "dt_in"
    src.mkdir()
    shutil.copy(DOCS, src / "docs.jsonl")
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(src)),
            MTDetectFilter(mt=False, exclusion_writer=JsonlWriter(str(tmp_path / "dt_rej"), compression=None),
                           **filter_kwargs),
            JsonlWriter(str(tmp_path / "dt_out"), compression=None),
        ],
        tasks=1, workers=1, logging_dir=str(tmp_path / "dt_logs"),
    ).run()
    rej = tmp_path / "dt_rej"
    return read_jsonl_dir(tmp_path / "dt_out"), read_jsonl_dir(rej) if rej.exists() else []


def test_datatrove_filter_in_local_pipeline(tmp_path):
    kept, dropped = run_datatrove(tmp_path, **RULES)
    src_ids = [json.loads(l)["id"] for l in DOCS.read_text("utf-8").splitlines()]
    assert sorted(d["id"] for d in kept + dropped) == sorted(src_ids)  # nothing lost
    assert {d["id"] for d in kept} == {"en-1", "en-2", "en-3", "en-4"}
    for d in kept:
        assert d["metadata"]["mtdetect"]["lang"] == "en" and "mtdetect_reason" not in d["metadata"]
    by_id = {d["id"]: d["metadata"] for d in dropped}
    assert by_id["fr-1"]["mtdetect_reason"] == "lang fr not in [en]"
    assert by_id["fr-1"]["filter_reason"] == "lang"  # datatrove's own field: the rule only
    assert by_id["mixed-en-fr"]["filter_reason"] == "foreign"
    assert by_id["de-1"]["meta"] == {"crawl": 3}  # the record's other keys travel in the metadata
    stats = json.loads(next((tmp_path / "dt_logs").rglob("stats.json")).read_text())
    filter_stats = next(s for s in stats if "mtdetect" in s["name"])["stats"]
    assert filter_stats["dropped_lang"] == 4 and filter_stats["dropped_foreign"] == 2


def test_datatrove_label_only_keeps_everything(tmp_path):
    kept, dropped = run_datatrove(tmp_path, label_only=True)
    assert len(kept) == 10 and dropped == []
    assert all(set(d["metadata"]["mtdetect"]) == set(SUMMARY_KEYS) for d in kept)


def test_cli_and_datatrove_agree(tmp_path):
    cli = cli_verdicts(tmp_path)
    kept, dropped = run_datatrove(tmp_path, **RULES)
    dt = {d["id"]: (d["metadata"]["mtdetect"], d["metadata"].get("mtdetect_reason")) for d in kept + dropped}
    assert dt == cli


def test_datatrove_filter_pickles_without_its_model():
    import pickle

    from mtdetect.integrations.datatrove import MTDetectFilter

    f = MTDetectFilter(keep_langs="en", mt=False)
    f.scanner.scan_text("Load the models.")
    clone = pickle.loads(pickle.dumps(f))
    assert clone._scanner is None and clone.rules == f.rules


# --------------------------------------------------------------------------- Spark


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java")
    from pyspark.sql import SparkSession

    # The Python workers are started by the JVM: give them this interpreter and this checkout.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    session = (SparkSession.builder.master("local[2]").appName("mtdetect-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.driver.memory", "1g")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def spark_verdicts(spark) -> dict:
    from mtdetect.integrations.spark import annotate_dataframe

    df = spark.read.json(str(DOCS)).repartition(2)  # two partitions: both local cores run the UDF
    out = annotate_dataframe(df, "text", mt=False, **RULES).collect()
    verdicts = {}
    for row in out:
        summary = {"lang": row["mtdetect_lang"], "langs": dict(row["mtdetect_langs"]),
                   "multilingual": row["mtdetect_multilingual"], "mt_score": row["mtdetect_mt_score"],
                   "source_lang": row["mtdetect_source_lang"]}
        verdicts[row["id"]] = (summary, row["mtdetect_reason"])
    return verdicts


@pytest.mark.spark
def test_cli_datatrove_and_spark_agree(spark, tmp_path):
    cli = cli_verdicts(tmp_path)
    sp = spark_verdicts(spark)
    kept, dropped = run_datatrove(tmp_path, **RULES)
    dt = {d["id"]: (d["metadata"]["mtdetect"], d["metadata"].get("mtdetect_reason")) for d in kept + dropped}
    # Spark keeps the guessed language only (a column, not the whole guess).
    assert sp == {k: ({**s, "source_lang": (s.get("source_lang") or {}).get("lang")}, r) for k, (s, r) in cli.items()}
    assert dt == cli
    assert sum(reason is None for _, reason in cli.values()) == 4


@pytest.mark.spark
def test_spark_filter_script_writes_kept_and_dropped(spark, tmp_path):
    spec = importlib.util.spec_from_file_location("spark_filter", ROOT / "scripts" / "spark_filter.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    src = tmp_path / "in.jsonl"
    src.write_text(DOCS.read_text("utf-8") + "{broken line\n", "utf-8")
    n_kept, n_dropped = script.filter_corpus(spark, str(src), str(tmp_path / "kept"), str(tmp_path / "dropped"),
                                             mt=False, **RULES)
    kept, dropped = read_jsonl_dir(tmp_path / "kept"), read_jsonl_dir(tmp_path / "dropped")
    assert (n_kept, n_dropped) == (len(kept), len(dropped)) == (4, 7)
    assert {r["id"] for r in kept} == {"en-1", "en-2", "en-3", "en-4"}
    assert all("mtdetect_reason" not in r and r["mtdetect_lang"] == "en" for r in kept)
    broken = [r for r in dropped if r.get("_corrupt_record")]
    assert broken == [{**broken[0], "_corrupt_record": "{broken line", "mtdetect_reason": "invalid JSON"}]
    assert {r["id"]: r["mtdetect_reason"] for r in dropped if r.get("id")}["ru-1"] == "lang ru not in [en]"


@pytest.mark.spark
def test_spark_rejects_a_non_string_text_column(spark):
    from mtdetect.integrations.spark import annotate_dataframe

    df = spark.createDataFrame([(1, 2)], "id INT, text INT")
    with pytest.raises(ValueError, match="not a string"):
        annotate_dataframe(df, "text", mt=False, keep_langs="en")


@pytest.mark.spark
def test_spark_filter_script_reads_and_writes_parquet(spark, tmp_path):
    spec = importlib.util.spec_from_file_location("spark_filter", ROOT / "scripts" / "spark_filter.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    spark.read.json(str(DOCS)).coalesce(1).write.parquet(str(tmp_path / "in.parquet"))
    n_kept, n_dropped = script.filter_corpus(spark, str(tmp_path / "in.parquet"), str(tmp_path / "kept"),
                                             str(tmp_path / "dropped"), mt=False, keep_langs=["fr"])
    assert (n_kept, n_dropped) == (1, 9)
    kept = spark.read.parquet(str(tmp_path / "kept")).collect()
    assert [r["id"] for r in kept] == ["fr-1"] and kept[0]["mtdetect_langs"] == {"fr": 1.0}
