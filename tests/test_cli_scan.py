"""`mtdetect scan` end to end through click's CliRunner, including every kind of bad input."""

import json

import pytest
from click.testing import CliRunner

from mtdetect.cli import main

JSON_PAGE_KEYS = {"path", "lang", "langs", "multilingual", "mt_score", "source_lang", "blocks"}
JSON_BLOCK_KEYS = {"index", "line_start", "line_end", "text", "kind", "lang", "lang_score", "mt_score",
                   "source_lang"}

EN_PAGE = (
    "Night buses reach the northern suburbs\n\n"
    "The city council voted on Monday to extend the night bus service to the northern suburbs, after "
    "residents had complained for years that the last connection left before midnight.\n\n"
    "The decision was taken by a large majority, and the first of the new lines will start running in "
    "the spring, when the contract with the operator is renewed.\n"
)


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_json_contract_on_seeds(seeds_dir):
    result = run("scan", str(seeds_dir), "--format", "json", "--no-mt")
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    assert len(reports) == 5
    for r in reports:
        assert set(r) == JSON_PAGE_KEYS
        assert r["lang"] == "en"
        assert abs(sum(r["langs"].values()) - 1) < 0.01
        for b in r["blocks"]:
            assert set(b) == JSON_BLOCK_KEYS
            assert b["kind"] in {"content", "boilerplate"}
            assert 0 <= b["lang_score"] <= 1
            assert 1 <= b["line_start"] <= b["line_end"]


def test_seed_003_russian_sidebar_and_multilingual(seeds_dir):
    result = run("scan", str(seeds_dir), "--format", "json", "--no-mt")
    reports = {r["path"].rsplit("/", 1)[-1][:3]: r for r in json.loads(result.stdout)}
    page = reports["003"]
    assert page["multilingual"] is True
    assert page["langs"]["ru"] > 0.1
    by_line = {b["line_start"]: b for b in page["blocks"]}
    for line in (1, 22, 23, 28, 34, 55, 58, 70):  # Войти, ПОДПИСКА НА НОВОСТИ, sidebar headlines
        assert by_line[line]["lang"] == "ru", by_line[line]
    for line in (3, 10, 12, 14, 16):  # the article
        assert by_line[line]["lang"] == "en" and by_line[line]["kind"] == "content"
    assert by_line[26]["lang"] is None  # "01.03 05:11"
    for name in ("000", "001", "002", "004"):
        assert reports[name]["multilingual"] is False, name


def test_jsonl_one_report_per_line(seeds_dir):
    result = run("scan", str(seeds_dir), "--format", "jsonl", "--no-mt")
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 5
    assert [json.loads(line)["path"] for line in lines] == sorted(json.loads(line)["path"] for line in lines)


def test_table_and_blocks_output(seeds_dir):
    table = run("scan", str(seeds_dir), "--no-mt")
    assert table.exit_code == 0
    assert "003_9194d3a9e73851c2.txt" in table.stdout and "ru" in table.stdout
    blocks = run("scan", str(seeds_dir / "003_9194d3a9e73851c2.txt"), "--blocks", "--no-mt")
    assert "ПОДПИСКА НА НОВОСТИ" in blocks.stdout and "boilerplate" in blocks.stdout


def test_stdin_and_html(tmp_path):
    result = run("scan", "-", "--format", "json", "--no-mt", input=EN_PAGE)
    assert result.exit_code == 0
    (page,) = json.loads(result.stdout)
    assert page["path"] == "<stdin>" and page["lang"] == "en"
    html = tmp_path / "page.html"
    html.write_text("<html><body><script>alert('x')</script>" + "".join(
        f"<p>{p}</p>" for p in EN_PAGE.split("\n\n")) + "</body></html>", encoding="utf-8")
    (page,) = json.loads(run("scan", str(html), "--format", "json", "--no-mt").stdout)
    assert "alert" not in json.dumps(page)
    assert [b["kind"] for b in page["blocks"]][1:] == ["content", "content"]


def test_cp1251_file(tmp_path):
    text = "Министр иностранных дел России Сергей Лавров заявил журналистам, что позиция страны не изменилась.\n" * 3
    path = tmp_path / "ru.txt"
    path.write_bytes(text.encode("cp1251"))
    (page,) = json.loads(run("scan", str(path), "--format", "json", "--no-mt").stdout)
    assert page["lang"] == "ru"
    assert page["blocks"][0]["text"] == text.splitlines()[0]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "empty file"),
        ("binary.txt", b"\x00\x01\x02\x03PK\x03\x04" * 100, "binary"),
        ("bad.txt", b"\xef\xbb\xbfvalid start \xff\xfe\xfa", "undecodable"),
        ("huge.txt", b"x" * (10 * 1024 * 1024), "single line"),
    ],
)
def test_bad_file_is_reported_and_others_still_scanned(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(EN_PAGE, encoding="utf-8")
    result = run("scan", str(tmp_path / name), str(good), "--format", "json", "--no-mt")
    assert result.exit_code == 1
    bad, ok = json.loads(result.stdout)
    assert set(bad) == {"path", "error"} and message in bad["error"]
    assert ok["lang"] == "en"
    err_lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(err_lines) == 1 and name in err_lines[0] and message in err_lines[0]
    assert "Traceback" not in result.stderr


def test_missing_path_and_empty_directory(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("scan", str(tmp_path / "missing.txt"), str(tmp_path / "empty"), "--no-mt")
    assert result.exit_code == 1
    assert "no such file" in result.stderr and "without pages" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2():
    assert run("scan").exit_code == 2
    assert run("scan", "x", "--format", "xml").exit_code == 2
    assert run("scan", "x", "--explain", "--no-mt").exit_code == 2


def test_help_documents_exit_codes():
    result = run("scan", "--help")
    assert "Exit codes" in result.output and "usage error" in result.output


def test_same_input_same_output(seeds_dir):
    first = run("scan", str(seeds_dir), "--format", "json", "--no-mt").stdout
    second = run("scan", str(seeds_dir), "--format", "json", "--no-mt").stdout
    assert first == second


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "mtdetect.cli", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "scan" in out.stdout and "filter" in out.stdout
