#!/usr/bin/env python
"""Filter a JSONL or Parquet corpus with mtdetect on Spark: write the kept and the dropped rows.

    python scripts/spark_filter.py crawl/ --kept out/kept --dropped out/dropped \
        --keep-lang en --max-mt 0.5 --max-foreign 0.2 --master 'local[2]'

Input: a file or directory of JSONL (.jsonl, .json, .gz) or Parquet (by --input-format, or the
extension). Output: Spark directories (part files) in the same format unless --output-format
says otherwise. Kept rows get the mtdetect_* columns; dropped rows also mtdetect_reason. JSONL
lines Spark cannot parse become dropped rows with the reason "invalid JSON" and the line in
`_corrupt_record`, so nothing read is lost. With spark-submit, leave out --master.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mtdetect.integrations.spark import annotate_dataframe  # noqa: E402
from mtdetect.mt.modes import DEFAULT_FILTER_MODE, MT_MODES  # noqa: E402

CORRUPT = "_corrupt_record"


def _format(path: str, given: str | None) -> str:
    if given:
        return given
    p = Path(path)
    if p.is_dir():
        p = next((c for c in sorted(p.rglob("*")) if c.is_file() and not c.name.startswith((".", "_"))), p)
    return "parquet" if p.suffix == ".parquet" else "jsonl"


def read(spark, path: str, fmt: str):
    if fmt == "parquet":
        return spark.read.parquet(path)
    # PERMISSIVE keeps unparsable lines, in CORRUPT, instead of failing or silently dropping them.
    return (spark.read.option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT)
            .json(path))


def write(df, path: str, fmt: str) -> None:
    writer = df.write.mode("overwrite")
    if fmt == "parquet":
        writer.parquet(path)
    else:
        writer.option("ignoreNullFields", "false").json(path)  # null mt_score stays visible


def filter_corpus(spark, input_path: str, kept_path: str, dropped_path: str, *, input_format=None,
                  output_format=None, text_field="text", keep_langs=(), max_mt=None, max_foreign=None,
                  mt=True, model_dir=None, html=False, mt_model="fast") -> tuple[int, int]:
    """Read, annotate, split and write; returns (kept, dropped) row counts."""
    from pyspark.sql import functions as F

    in_fmt = _format(input_path, input_format)
    out_fmt = output_format or in_fmt
    df = read(spark, input_path, in_fmt)
    has_corrupt = CORRUPT in df.columns
    if has_corrupt:
        # Spark refuses queries on a raw JSON source that touch only the corrupt column;
        # caching the parsed rows first is its documented way around that.
        df = df.cache()
        bad = df.where(F.col(CORRUPT).isNotNull())
        df = df.where(F.col(CORRUPT).isNull()).drop(CORRUPT)
    out = annotate_dataframe(df, text_field, keep_langs=keep_langs, max_mt=max_mt, max_foreign=max_foreign,
                             mt=mt, model_dir=model_dir, html=html, mt_model=mt_model)
    # Both outputs come from the same annotated rows: cache them so each page is scanned once.
    out = out.cache()
    kept = out.where(F.col("mtdetect_reason").isNull()).drop("mtdetect_reason")
    dropped = out.where(F.col("mtdetect_reason").isNotNull())
    if has_corrupt:
        dropped = dropped.unionByName(
            bad.withColumn("mtdetect_reason", F.lit("invalid JSON")), allowMissingColumns=True)
    write(kept, kept_path, out_fmt)
    write(dropped, dropped_path, out_fmt)
    return kept.count(), dropped.count()  # from the cache, no second scan


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("--kept", required=True, help="output directory for the kept rows")
    ap.add_argument("--dropped", required=True, help="output directory for the dropped rows")
    ap.add_argument("--input-format", choices=["jsonl", "parquet"])
    ap.add_argument("--output-format", choices=["jsonl", "parquet"])
    ap.add_argument("--text-field", default="text")
    ap.add_argument("--keep-lang", action="append", default=[])
    ap.add_argument("--max-mt", type=float)
    ap.add_argument("--max-foreign", type=float)
    ap.add_argument("--html", action="store_true")
    ap.add_argument("--no-mt", action="store_true")
    ap.add_argument("--model", default=None, help="MT model directory")
    ap.add_argument("--mt-model", choices=MT_MODES, default=DEFAULT_FILTER_MODE,
                    help="fast: n-gram scorer; accurate: n-gram + encoder stacked; cascade: encoder only "
                         "on pages the fast scorer leaves unsure")
    ap.add_argument("--master", default=None, help="e.g. local[2]; default: what spark-submit sets")
    args = ap.parse_args(argv)
    if not (args.keep_lang or args.max_mt is not None or args.max_foreign is not None):
        ap.error("give a rule (--keep-lang, --max-mt, --max-foreign)")

    import os

    from pyspark.sql import SparkSession

    # Local runs: the Python workers must be this interpreter (the one with mtdetect's
    # dependencies), not whatever `python3` is first on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("mtdetect-filter").config("spark.ui.enabled", "false")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        n_kept, n_dropped = filter_corpus(
            spark, args.input, args.kept, args.dropped, input_format=args.input_format,
            output_format=args.output_format, text_field=args.text_field, keep_langs=args.keep_lang,
            max_mt=args.max_mt, max_foreign=args.max_foreign, mt=not args.no_mt, model_dir=args.model,
            html=args.html, mt_model=args.mt_model)
        print(f"spark_filter: kept {n_kept:,}, dropped {n_dropped:,}", file=sys.stderr)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
