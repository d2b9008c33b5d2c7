"""`mtdetect filter` end to end (click's CliRunner, the real Scanner without the MT model)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtdetect.cli.filter import filter_command

DOCS = Path(__file__).parent / "data" / "filter_docs.jsonl"
NOT_EN = {"fr-1", "de-1", "ru-1", "numbers"}
MIXED = {"mixed-en-ru", "mixed-en-fr"}  # English main language, 40-50 % in another


def run(args, input=None):
    return CliRunner().invoke(filter_command, [str(a) for a in args], input=input, catch_exceptions=False)


def ids(path_or_text):
    text = Path(path_or_text).read_text("utf-8") if isinstance(path_or_text, Path) else path_or_text
    return [json.loads(l).get("id") for l in text.splitlines()]


@pytest.fixture
def messy(tmp_path):
    """The fixture documents with malformed and blank lines between them."""
    good = DOCS.read_text("utf-8").splitlines()
    lines = good[:3] + ["{not json", ""] + good[3:6] + ['["an", "array"]', '{"id": "no-text"}',
                                                          '{"id": "int-text", "text": 5}', "   "] + good[6:]
    path = tmp_path / "messy.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_keep_lang_max_foreign_with_rejects(tmp_path, messy):
    out, rej = tmp_path / "kept.jsonl", tmp_path / "rejects.jsonl"
    r = run([messy, "-o", out, "--rejects", rej, "--keep-lang", "en", "--max-foreign", "0.2", "--no-mt"])
    assert r.exit_code == 1, r.stderr  # malformed lines met
    all_ids = ids(DOCS)
    assert ids(out) == [i for i in all_ids if i not in NOT_EN | MIXED]  # input order
    rejects = [json.loads(l) for l in rej.read_text("utf-8").splitlines()]
    by_id = {r["id"]: r for r in rejects if "id" in r}
    assert by_id["fr-1"]["reason"] == "lang fr not in [en]"
    assert by_id["numbers"]["reason"] == "lang null not in [en]"
    assert re.fullmatch(r"foreign 0\.\d+ > 0\.2", by_id["mixed-en-fr"]["reason"])
    # A dropped record is the input record plus mtdetect and reason.
    src = {json.loads(l)["id"]: json.loads(l) for l in DOCS.read_text("utf-8").splitlines()}
    de = by_id["de-1"]
    assert {k: de[k] for k in src["de-1"]} == src["de-1"]
    assert set(de) == set(src["de-1"]) | {"mtdetect", "reason"}
    assert de["mtdetect"]["lang"] == "de"
    malformed = [r for r in rejects if "line" in r]
    assert [(m["line"], m["raw"]) for m in malformed] == [
        (4, "{not json"), (9, '["an", "array"]'), (10, '{"id": "no-text"}'), (11, '{"id": "int-text", "text": 5}')]
    assert all(m["source"] == str(messy) for m in malformed)
    assert malformed[2]["reason"] == "text field 'text' missing"
    # Nothing lost: every non-blank line is in exactly one of the two files.
    assert len(ids(out)) + len(rejects) == 14
    assert "read 14, kept 4, dropped 6, malformed 4, blank lines skipped 2" in r.stderr
    assert "documents/s" in r.stderr
    assert "dropped by rule: foreign 2, lang 4" in r.stderr
    assert "messy.jsonl:4" not in r.stderr  # with --rejects, malformed lines go there, not to stderr


def test_without_rejects_malformed_lines_are_named_on_stderr(messy):
    r = run([messy, "--keep-lang", "en", "--no-mt"])
    assert r.exit_code == 1
    assert f"{messy}:4: invalid JSON" in r.stderr
    assert f"{messy}:9: not a JSON object (a JSON array)" in r.stderr
    assert f"{messy}:11: text field 'text' is not a string (a JSON number)" in r.stderr
    assert ids(r.stdout) == [i for i in ids(DOCS) if i not in NOT_EN]
    assert "malformed 4" in r.stderr


def test_clean_input_exits_0_and_label_only_keeps_everything():
    r = run([DOCS, "--label-only", "--no-mt"])
    assert r.exit_code == 0, r.stderr
    src = [json.loads(l) for l in DOCS.read_text("utf-8").splitlines()]
    out = [json.loads(l) for l in r.stdout.splitlines()]
    assert len(out) == len(src)
    for s, o in zip(src, out):
        assert {k: o[k] for k in s} == s
        assert set(o["mtdetect"]) == {"lang", "langs", "multilingual", "mt_score", "source_lang"}
    assert "read 10, kept 10, dropped 0, malformed 0" in r.stderr


def test_jobs_2_gives_the_same_bytes_as_jobs_1(tmp_path, messy):
    outs = {}
    for jobs in (1, 2):
        out, rej = tmp_path / f"out{jobs}.jsonl", tmp_path / f"rej{jobs}.jsonl"
        # Small chunks: several chunks per worker, so the order really has to be restored.
        r = run([messy, DOCS, "-o", out, "--rejects", rej, "--keep-lang", "en", "--max-foreign", "0.2",
                 "--no-mt", "--jobs", jobs, "--chunk-size", 2])
        assert r.exit_code == 1
        assert f"{jobs} job" in r.stderr
        outs[jobs] = (out.read_bytes(), rej.read_bytes())
    assert outs[1] == outs[2]
    assert outs[1][0] and outs[1][1]


def test_gzip_input_and_output(tmp_path):
    gz = tmp_path / "docs.jsonl.gz"
    gz.write_bytes(gzip.compress(DOCS.read_bytes()))
    out = tmp_path / "kept.jsonl.gz"
    r = run([gz, "-o", out, "--keep-lang", "en", "--no-mt"])
    assert r.exit_code == 0, r.stderr
    assert ids(gzip.decompress(out.read_bytes()).decode()) == [i for i in ids(DOCS) if i not in NOT_EN]


def test_stdin_plain_and_gzip():
    r = run(["--keep-lang", "fr", "--no-mt"], input=DOCS.read_bytes())
    assert r.exit_code == 0 and ids(r.stdout) == ["fr-1"]
    r = run(["-", "--keep-lang", "fr", "--no-mt"], input=gzip.compress(DOCS.read_bytes()))
    assert r.exit_code == 0 and ids(r.stdout) == ["fr-1"]
    r = run(["--keep-lang", "en", "--no-mt"], input=b'{"text": "x"\n')
    assert r.exit_code == 1 and "<stdin>:1: invalid JSON" in r.stderr


def test_missing_input_file_exits_1_and_the_others_are_processed(tmp_path):
    r = run([tmp_path / "nope.jsonl", DOCS, "--keep-lang", "en", "--no-mt"])
    assert r.exit_code == 1
    assert "nope.jsonl: cannot read" in r.stderr
    assert ids(r.stdout) == [i for i in ids(DOCS) if i not in NOT_EN]


def test_text_field_html_and_blocks(tmp_path):
    src = tmp_path / "html.jsonl"
    page = ("<html><body><nav><a href='/'>Home</a></nav><p>The river rose two metres overnight and the "
            "old bridge was closed to traffic until engineers could inspect it.</p></body></html>")
    src.write_text(json.dumps({"id": 1, "body": page}) + "\n", "utf-8")
    r = run([src, "--text-field", "body", "--html", "--blocks", "--label-only", "--no-mt"])
    assert r.exit_code == 0, r.stderr
    rec = json.loads(r.stdout)
    assert rec["body"] == page and rec["mtdetect"]["lang"] == "en"
    texts = [b["text"] for b in rec["mtdetect"]["blocks"]]
    assert all("<" not in t for t in texts) and any("river" in t for t in texts)


@pytest.mark.parametrize("args, message", [
    ([], "give a rule"),
    (["--label-only", "--keep-lang", "en"], "--label-only drops nothing"),
    (["--max-mt", "0.5", "--no-mt"], "--max-mt needs the MT scores"),
    (["--max-mt", "1.5"], "1.5"),
    (["--keep-lang", "en", "--jobs", "-1"], "-1"),
])
def test_usage_errors_exit_2(args, message):
    r = run([DOCS, *args])
    assert r.exit_code == 2
    assert message in r.stderr


def test_output_may_not_overwrite_an_input(tmp_path):
    copy = tmp_path / "docs.jsonl"
    copy.write_bytes(DOCS.read_bytes())
    r = run([copy, "-o", copy, "--keep-lang", "en", "--no-mt"])
    assert r.exit_code == 2 and copy.read_bytes() == DOCS.read_bytes()


def test_help_documents_exit_codes_and_rules():
    r = run(["--help"])
    assert r.exit_code == 0
    for needle in ("Exit codes:", "0    every line", "1    malformed", "2    usage", "3    a worker",
                   "130  stopped by SIGINT", "143  stopped by SIGTERM", "--start-line", "--max-foreign", "--no-mt",
                   "Blank lines", "mt_score, source_lang}", "--mt-model"):
        assert needle in r.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_mt_is_on_by_default_and_a_model_that_fails_to_load_is_a_usage_error(monkeypatch, jobs):
    seen = {}

    def fake_make_scanner(self):
        seen["mt"] = self.mt
        raise OSError("no model here")

    monkeypatch.setattr("mtdetect.filter.FilterOptions.make_scanner", fake_make_scanner)
    r = run([DOCS, "--keep-lang", "en", "--jobs", jobs])
    assert seen == {"mt": True}
    assert r.exit_code == 2 and "cannot load the scanner" in r.stderr
