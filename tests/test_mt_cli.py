import json

from click.testing import CliRunner

from mtdetect.cli.mt import eval_command, train_command

from mt_tiny import make_rows, write_jsonl


def test_train_then_eval(tmp_path):
    corpus = write_jsonl(tmp_path / "tiny.jsonl", make_rows(n_docs=40))
    runner = CliRunner()
    res = runner.invoke(train_command, ["--corpus", str(corpus), "-o", str(tmp_path / "m"), "--smoke", "--seed", "3"])
    assert res.exit_code == 0, res.output
    assert {p.name for p in (tmp_path / "m").iterdir()} == {"ngram.npz", "ngram.json", "pages.json"}

    res = runner.invoke(eval_command, ["--corpus", str(corpus), "--model", str(tmp_path / "m")])
    assert res.exit_code == 0, res.output
    assert "ROC AUC" in res.output and "paragraph" in res.output and "document" in res.output
    assert "Sys0" in res.output

    res = runner.invoke(eval_command, ["--corpus", str(corpus), "--model", str(tmp_path / "m"), "--json"])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    para = [r for r in rep["summary"] if r["level"] == "paragraph"][0]
    assert para["auc_all"] > 0.9


def test_eval_plot(tmp_path):
    corpus = write_jsonl(tmp_path / "tiny.jsonl", make_rows(n_docs=40))
    runner = CliRunner()
    assert runner.invoke(train_command, ["--corpus", str(corpus), "-o", str(tmp_path / "m"), "--smoke"]).exit_code == 0
    res = runner.invoke(eval_command, ["--corpus", str(corpus), "--model", str(tmp_path / "m"), "--plot", str(tmp_path / "roc.png")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "roc.png").stat().st_size > 1000


def test_train_smoke_on_shared_corpus(tmp_path, shared_corpora):
    res = CliRunner().invoke(train_command, ["--corpus", str(shared_corpora), "--years", "2021", "-o",
                                             str(tmp_path / "m"), "--smoke", "--max-docs", "60"])
    assert res.exit_code == 0, res.output
