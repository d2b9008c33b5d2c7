"""`mtdetect train` and `mtdetect eval`: thin CLI wrappers over mtdetect.mt."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


@click.command("train")
@click.option("--corpus", type=click.Path(exists=True), default=None,
              help="Corpus directory (holding wmt-en-mt/) or one JSONL file. "
                   "Default: $MTDETECT_CORPORA or ../shared/corpora next to the project.")
@click.option("--years", type=int, multiple=True, default=(2021, 2022), show_default=True,
              help="WMT years to train on (repeat the option).")
@click.option("-o", "--output", "output", type=click.Path(file_okay=False), required=True,
              help="Model directory to write.")
@click.option("--seed", type=int, default=13, show_default=True, help="Seed for tokenizer, folds, classifier.")
@click.option("--max-docs", type=int, default=None,
              help="Train on the first N documents only (stable hash order).")
@click.option("--smoke", is_flag=True,
              help="CI configuration: 40 documents, 1000-piece vocabulary, 3 folds (seconds).")
@click.option("--model", "which", type=click.Choice(["mt", "source"]), default="mt", show_default=True,
              help="mt: the MT scorer (mtdetect/models/mt); source: the source-language guess "
                   "(mtdetect/models/source).")
@click.option("--native/--no-native", default=True, show_default=True,
              help="Calibrate the page threshold on native English (the training splits of "
                   "native-en and of html-eval's English pages; needs a corpus directory).")
def train_command(corpus, years, output, seed, max_docs, smoke, which, native):
    """Train the MT scorer (or, with --model source, the source-language guess). With defaults
    this reproduces the shipped model bit for bit."""
    from mtdetect.mt.data import corpus_files, load_native, load_rows, load_web_english
    from mtdetect.mt.train import TrainConfig, train

    cfg = TrainConfig(seed=seed)
    if smoke:
        max_docs = max_docs or 40
        cfg = TrainConfig(seed=seed, vocab_size=1000, folds=3)
    files = corpus_files(corpus, years)
    t0 = time.time()
    rows = load_rows(files, max_docs=max_docs)
    click.echo(f"read {len(rows)} paragraphs from {', '.join(str(f) for f in files)}", err=True)
    if which == "source":
        from mtdetect.source.train import SourceConfig, train_source

        if native and not (corpus and Path(corpus).is_file()):
            rows = rows + load_native(corpus, "train")
        guesser = train_source(rows, SourceConfig(seed=seed), log=lambda s: click.echo(s, err=True))
        guesser.save(output)
        click.echo(f"model written to {output} ({time.time() - t0:.0f}s)")
        return
    if native and not smoke and not (corpus and Path(corpus).is_file()):
        extra = load_native(corpus, "train") + load_web_english(corpus, "train")
        click.echo(f"read {len(extra)} native-English paragraphs (native-en, html-eval; training splits)", err=True)
        rows = rows + extra
    model = train(rows, cfg, log=lambda s: click.echo(s, err=True))
    model.meta.update({"years": list(years), "max_docs": max_docs, "files": [Path(f).name for f in files],
                       "native_calibration": bool(model.meta.get("n_native_paragraphs"))})
    model.save(output)
    click.echo(f"model written to {output} ({time.time() - t0:.0f}s)")


@click.command("eval")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False), required=True,
              help="Labelled JSONL(.gz) file (fields text, label, origin, system, src_lang, doc).")
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Model directory (default: the shipped model).")
@click.option("--plot", type=click.Path(dir_okay=False), default=None,
              help="Write ROC curves to this PNG (needs matplotlib: the 'plot' extra).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON instead of tables.")
def eval_command(corpus, model_dir, plot, as_json):
    """ROC AUC of the MT scorer on a labelled corpus, at paragraph and document level."""
    from rich.console import Console
    from rich.table import Table

    from mtdetect.mt import MTScorer
    from mtdetect.mt.data import read_jsonl
    from mtdetect.mt.evaluate import evaluate_scores, roc_plot

    rows = [r for r in read_jsonl(corpus) if r.get("text")]
    scorer = MTScorer.load(model_dir)
    t0 = time.time()
    scores = scorer.score([r["text"] for r in rows])
    elapsed = time.time() - t0
    rep = evaluate_scores(rows, scores, scorer.pooling)
    if as_json:
        click.echo(json.dumps({"summary": rep.summary, "systems": rep.systems, "langs": rep.langs}, indent=1))
    else:
        import sys

        # Wide enough for the tables when the output goes to a file or a pipe.
        con = Console(width=None if sys.stdout.isatty() else 120)
        n_none = sum(s is None for s in scores)
        con.print(f"{len(rows)} paragraphs scored in {elapsed:.1f}s; {n_none} too short "
                  f"(< {scorer.min_words} words) left out")
        t = Table(title="ROC AUC (MT = positive)")
        for c in ("level", "n MT", "n human tr.", "n orig.", "AUC all", "AUC vs human tr.",
                  "AUC vs orig.", "P@R50", "mean MT", "mean human"):
            t.add_column(c, justify="right")
        for r in rep.summary:
            t.add_row(r["level"], _fmt(r["n_mt"]), _fmt(r["n_ht"]), _fmt(r["n_orig"]), _fmt(r["auc_all"]),
                      _fmt(r["auc_vs_ht"]), _fmt(r["auc_vs_orig"]), _fmt(r["p_at_r50"]),
                      _fmt(r["mean_mt"]), _fmt(r["mean_human"]))
        con.print(t)
        con.print("document = one (doc, system) version scored by the mean of its paragraph scores; "
                  "document-pooled = the page score (pool_page_score) of the same paragraphs.")
        t = Table(title="Per MT system (its MT vs all human)")
        for c in ("system", "n paragraphs", "AUC paragraph", "n documents", "AUC document"):
            t.add_column(c, justify="right")
        by = {}
        for r in rep.systems:
            by.setdefault(r["system"], {})[r["level"]] = r
        for name in sorted(by, key=lambda s: (by[s].get("paragraph", {}).get("auc") or 0)):
            p, d = by[name].get("paragraph", {}), by[name].get("document", {})
            t.add_row(name, _fmt(p.get("n")), _fmt(p.get("auc")), _fmt(d.get("n")), _fmt(d.get("auc")))
        con.print(t)
        t = Table(title="Per source language (its MT vs its human translation)")
        for c in ("src_lang", "n MT / human paragraphs", "AUC paragraph", "n MT / human documents", "AUC document"):
            t.add_column(c, justify="right")
        by = {}
        for r in rep.langs:
            by.setdefault(r["src_lang"], {})[r["level"]] = r
        for name in sorted(by):
            p, d = by[name].get("paragraph", {}), by[name].get("document", {})
            t.add_row(name, f"{p.get('n_mt', 0)} / {p.get('n_human', 0)}", _fmt(p.get("auc")),
                      f"{d.get('n_mt', 0)} / {d.get('n_human', 0)}", _fmt(d.get("auc")))
        con.print(t)
    if plot:
        roc_plot(rows, scores, plot)
        click.echo(f"ROC curves written to {plot}", err=True)
