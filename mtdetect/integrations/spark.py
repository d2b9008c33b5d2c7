"""mtdetect on Apache Spark: annotate a DataFrame's text column, then keep or drop by rule.

    from mtdetect.integrations.spark import annotate_dataframe

    out = annotate_dataframe(df, "text", keep_langs=["en"], max_mt=0.5, max_foreign=0.2)
    kept = out.where("mtdetect_reason IS NULL")
    dropped = out.where("mtdetect_reason IS NOT NULL")

Columns added (the prefix is configurable):
    mtdetect_lang          string               main language, null for a page without letters
    mtdetect_langs         map<string, double>  share of letters per language
    mtdetect_multilingual  boolean
    mtdetect_mt_score      double               null when not scored
    mtdetect_source_lang   string               guessed source language ("en": written in English)
    mtdetect_reason        string               why the row would be dropped; null to keep it

The values come from `mtdetect.filter.evaluate_text` and `decide`, the functions that
`mtdetect filter` and the datatrove step use, so all three agree. A null text gets the reason
"text field 'text' is null" (the CLI would call that line malformed).

The rows go through `DataFrame.mapInPandas`: one Python function per partition, fed Arrow
batches. Each Python worker process loads the Scanner once (`_scanner`, a module-level cache)
and keeps it across tasks as long as Spark reuses the worker (`spark.python.worker.reuse`, on by
default). mtdetect must be importable on the executors (installed, or on PYTHONPATH).
"""

from __future__ import annotations

import threading
from typing import Any, Iterator, Optional, Sequence, Union

from mtdetect.filter import MAX_SCAN_CHARS, FilterOptions, FilterRules, evaluate_text
from mtdetect.mt.modes import DEFAULT_FILTER_MODE

FIELDS = ("lang", "langs", "multilingual", "mt_score", "source_lang", "reason")

# One Scanner per Python worker process and set of options (see the module docstring).
_SCANNERS: dict[FilterOptions, Any] = {}
_LOCK = threading.Lock()


def _scanner(options: FilterOptions):
    with _LOCK:
        if options not in _SCANNERS:
            _SCANNERS[options] = options.make_scanner()
        return _SCANNERS[options]


def output_fields(prefix: str = "mtdetect_"):
    """The StructFields that `annotate_dataframe` appends."""
    from pyspark.sql.types import BooleanType, DoubleType, MapType, StringType, StructField

    return [
        StructField(prefix + "lang", StringType(), True),
        StructField(prefix + "langs", MapType(StringType(), DoubleType(), False), True),
        StructField(prefix + "multilingual", BooleanType(), True),
        StructField(prefix + "mt_score", DoubleType(), True),
        StructField(prefix + "source_lang", StringType(), True),
        StructField(prefix + "reason", StringType(), True),
    ]


def annotate_rows(texts: Sequence[Optional[str]], options: FilterOptions, text_col: str = "text") -> dict[str, list]:
    """The added columns for a batch of texts, as lists keyed by field name (no prefix).
    Runs on the executors; plain Python, so it can be tested without Spark."""
    scanner = _scanner(options)
    cols: dict[str, list] = {name: [] for name in FIELDS}
    for text in texts:
        if text is None:
            summary, reason = None, f"text field {text_col!r} is null"
        else:
            try:
                summary, reason = evaluate_text(scanner, text, options.rules, html=options.html,
                                                label_only=options.label_only, max_chars=options.max_chars)
            except Exception as err:  # one bad page must not fail the whole Spark job
                summary, reason = None, f"scan failed: {type(err).__name__}"  # short, deterministic
        summary = summary or {}
        cols["lang"].append(summary.get("lang"))
        cols["langs"].append(summary.get("langs"))
        cols["multilingual"].append(summary.get("multilingual"))
        cols["mt_score"].append(summary.get("mt_score"))
        cols["source_lang"].append((summary.get("source_lang") or {}).get("lang"))
        cols["reason"].append(reason)
    return cols


def annotate_dataframe(
    df,
    text_col: str = "text",
    *,
    keep_langs: Union[str, Sequence[str], None] = None,
    max_mt: Optional[float] = None,
    max_foreign: Optional[float] = None,
    drop_source_langs: Sequence[str] = (),
    label_only: bool = False,
    mt: bool = True,
    model_dir: Optional[str] = None,
    mt_model: str = DEFAULT_FILTER_MODE,
    source: bool = True,
    max_chars: int = MAX_SCAN_CHARS,
    html: bool = False,
    prefix: str = "mtdetect_",
):
    """`df` with the mtdetect columns appended (see the module docstring). Lazy, like any
    DataFrame transformation; cache the result before deriving both the kept and the dropped
    set from it, or the pages are scanned twice."""
    import pandas as pd
    from pyspark.sql.types import StringType, StructType

    if text_col not in df.columns:
        raise ValueError(f"no column {text_col!r} (columns: {', '.join(df.columns)})")
    if not isinstance(df.schema[text_col].dataType, StringType):
        raise ValueError(f"column {text_col!r} is {df.schema[text_col].dataType.simpleString()}, not a string")
    if max_mt is not None and not mt:
        raise ValueError("max_mt needs the MT scores: set mt=True")
    added = output_fields(prefix)
    clash = [f.name for f in added if f.name in df.columns]
    if clash:
        raise ValueError(f"columns already present: {', '.join(clash)} (choose another prefix)")
    langs = (keep_langs,) if isinstance(keep_langs, str) else tuple(keep_langs or ())
    options = FilterOptions(rules=FilterRules(keep_langs=langs, max_mt=max_mt, max_foreign=max_foreign,
                                              drop_source_langs=tuple(drop_source_langs)),
                            text_field=text_col, html=html, label_only=label_only, mt=mt, model_dir=model_dir,
                            mt_model=mt_model, source=source, max_chars=max_chars)
    schema = StructType(list(df.schema.fields) + added)

    def annotate(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for pdf in batches:
            texts = [None if t is None or (isinstance(t, float) and t != t) else t for t in pdf[text_col]]
            cols = annotate_rows(texts, options, text_col)
            out = pdf.copy()
            for name in FIELDS:
                # object dtype keeps None as None (Arrow: null) instead of turning it into NaN.
                out[prefix + name] = pd.Series(cols[name], index=pdf.index, dtype=object)
            yield out

    return df.mapInPandas(annotate, schema)
