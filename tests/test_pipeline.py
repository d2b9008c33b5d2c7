"""The filter pass as a library: rules on fabricated summaries, every malformed-line case,
the order of the runner, and input reading. No model is needed: a fake scanner returns the
page summaries the tests choose."""

from __future__ import annotations

import base64
import gzip
import json

import pytest

from mtdetect.document import Block, PageReport
from mtdetect.filter import (
    BLANK, DROPPED, KEPT, MALFORMED, Counters, FilterOptions, FilterRules, FilterRunner, Line,
    decide, evaluate_text, foreign_share, iter_lines, process_line, reason_rule,
)


def summary(lang="en", langs=None, mt=None, multilingual=False):
    return {"lang": lang, "langs": langs if langs is not None else ({lang: 1.0} if lang else {}),
            "multilingual": multilingual, "mt_score": mt}


class FakeScanner:
    """Answers scan_text from a table: text -> (lang, langs, mt_score)."""

    def __init__(self, table=None):
        self.table = table or {}
        self.calls = 0

    def scan_text(self, text, path="<text>", html=None):
        self.calls += 1
        if text == "BOOM":
            raise RuntimeError("segmenter exploded")
        lang, langs, mt = self.table.get(text, ("en", {"en": 1.0}, 0.1))
        block = Block(index=0, line_start=1, line_end=1, text=text, lang=lang, lang_score=0.9, mt_score=mt)
        return PageReport(path=path, blocks=[block], lang=lang, langs=langs, multilingual=len(langs) > 1,
                          mt_score=mt)


# --------------------------------------------------------------------------- rules


def test_keep_lang_drops_other_main_languages():
    rules = FilterRules(keep_langs=("en",))
    assert decide(summary("en"), rules) is None
    assert decide(summary("fr"), rules) == "lang fr not in [en]"
    rules2 = FilterRules(keep_langs=("en", "fr"))
    assert decide(summary("fr"), rules2) is None
    assert decide(summary("de"), rules2) == "lang de not in [en, fr]"


def test_keep_lang_drops_a_page_without_language():
    assert decide(summary(None), FilterRules(keep_langs=("en",))) == "lang null not in [en]"
    # Without a language rule, such a page passes the other rules.
    assert decide(summary(None), FilterRules(max_foreign=0.0, max_mt=0.0)) is None


def test_foreign_share_definition():
    s = summary("en", {"en": 0.6, "fr": 0.3, "de": 0.1})
    assert foreign_share(s) == 0.4  # without kept languages: 1 - share of the main language
    assert foreign_share(s, ("en", "fr")) == 0.1  # letters in none of the kept languages
    assert foreign_share(s, ("de",)) == 0.9  # kept languages need not be the main one
    assert foreign_share(summary(None)) == 0.0


def test_max_foreign_is_strict_and_reports_the_share():
    s = summary("en", {"en": 0.8, "ru": 0.2})
    assert decide(s, FilterRules(max_foreign=0.2)) is None  # at the threshold: kept
    assert decide(s, FilterRules(max_foreign=0.1)) == "foreign 0.2 > 0.1"
    # With two kept languages the second one is not foreign.
    s2 = summary("en", {"en": 0.5, "fr": 0.45, "de": 0.05})
    assert decide(s2, FilterRules(keep_langs=("en", "fr"), max_foreign=0.1)) is None
    assert decide(s2, FilterRules(keep_langs=("en",), max_foreign=0.1)) == "foreign 0.5 > 0.1"


def test_max_mt():
    rules = FilterRules(max_mt=0.5)
    assert decide(summary(mt=0.83), rules) == "mt_score 0.83 > 0.5"
    assert decide(summary(mt=0.5), rules) is None
    assert decide(summary(mt=None), rules) is None  # not scored: passes


def test_rules_are_checked_in_order():
    s = summary("fr", {"fr": 0.5, "en": 0.5}, mt=0.9)
    assert decide(s, FilterRules(keep_langs=("en",), max_foreign=0.1, max_mt=0.5)).startswith("lang ")
    s = summary("en", {"en": 0.5, "fr": 0.5}, mt=0.9)
    assert decide(s, FilterRules(keep_langs=("en",), max_foreign=0.1, max_mt=0.5)).startswith("foreign ")
    assert decide(s, FilterRules(keep_langs=("en", "fr"), max_foreign=0.1, max_mt=0.5)).startswith("mt_score ")


def test_rules_validation_and_rule_names():
    assert FilterRules(keep_langs="en").keep_langs == ("en",)
    assert FilterRules(keep_langs=("en", "en", "fr")).keep_langs == ("en", "fr")
    assert not FilterRules().active and FilterRules(max_mt=0.1).active
    with pytest.raises(ValueError):
        FilterRules(max_mt=1.5)
    with pytest.raises(ValueError):
        FilterRules(max_foreign=-0.1)
    assert [reason_rule(r) for r in ("lang fr not in [en]", "foreign 0.5 > 0.1", "mt_score 0.9 > 0.5",
                                      "empty text")] == ["lang", "foreign", "mt_score", "empty"]


def test_evaluate_text_label_only_and_blocks():
    scanner = FakeScanner({"bonjour": ("fr", {"fr": 1.0}, None)})
    rules = FilterRules(keep_langs=("en",))
    assert evaluate_text(scanner, "bonjour", rules)[1] == "lang fr not in [en]"
    s, reason = evaluate_text(scanner, "bonjour", rules, label_only=True, blocks=True)
    assert reason is None and s["lang"] == "fr" and s["blocks"][0]["text"] == "bonjour"
    assert set(evaluate_text(scanner, "bonjour", rules)[0]) == {"lang", "langs", "multilingual", "mt_score", "source_lang"}


# --------------------------------------------------------------------------- one line


def run_line(raw: bytes, number=3, scanner=None, **opts):
    options = FilterOptions(**{"rules": FilterRules(keep_langs=("en",), max_mt=0.5), **opts})
    return process_line(scanner or FakeScanner(), Line("in.jsonl", number, raw), options)


@pytest.mark.parametrize("raw, reason", [
    (b'{"text": "abc"', "invalid JSON: Expecting ',' delimiter at column 15"),
    (b"not json", "invalid JSON: Expecting value at column 1"),
    (b'["a", "b"]', "not a JSON object (a JSON array)"),
    (b'"just a string"', "not a JSON object (a JSON string)"),
    (b"42", "not a JSON object (a JSON number)"),
    (b"null", "not a JSON object (a JSON null)"),
    (b'{"id": 1}', "text field 'text' missing"),
    (b'{"id": 1, "text": null}', "text field 'text' is not a string (a JSON null)"),
    (b'{"id": 1, "text": 12}', "text field 'text' is not a string (a JSON number)"),
    (b'{"id": 1, "text": ["a"]}', "text field 'text' is not a string (a JSON array)"),
    (b'{"id": 1, "text": "caf\xe9"}', "invalid UTF-8 at byte 22"),
])
def test_malformed_lines_are_rejected_with_line_source_raw_and_reason(raw, reason):
    out = run_line(raw)
    assert out.status == MALFORMED
    assert out.message == f"in.jsonl:3: {reason}"
    record = json.loads(out.data)
    raw_base64 = record.pop("raw_base64", None)
    assert record == {"line": 3, "source": "in.jsonl", "raw": raw.decode("utf-8", "replace"), "reason": reason}
    # A line that is not UTF-8 cannot be kept exactly in "raw": its bytes are kept in base64.
    if reason.startswith("invalid UTF-8"):
        assert base64.b64decode(raw_base64) == raw
    else:
        assert raw_base64 is None


def test_blank_lines_are_skipped():
    for raw in (b"", b"   ", b"\t"):
        assert run_line(raw)[:3] == (BLANK, b"", None)


def test_empty_text_is_dropped_unless_label_only():
    out = run_line(b'{"id": 1, "text": "  \\n "}')
    assert out.status == DROPPED and out.message == "empty text"
    rec = json.loads(out.data)
    assert rec["reason"] == "empty text" and rec["mtdetect"] == {"lang": None, "langs": {}, "multilingual": False,
                                                                  "mt_score": None, "source_lang": None}
    assert run_line(b'{"id": 1, "text": ""}', rules=FilterRules(), label_only=True).status == KEPT


def test_kept_record_keeps_every_key_and_adds_the_summary():
    raw = '{"z": 1, "text": "hello there", "nested": {"a": [1, 2.5, null]}, "uni": "žluťoučký 🐴"}'.encode()
    out = run_line(raw)
    assert out.status == KEPT and out.message is None
    rec = json.loads(out.data)
    assert list(rec) == ["z", "text", "nested", "uni", "mtdetect"]
    assert {k: rec[k] for k in ("z", "text", "nested", "uni")} == json.loads(raw)
    assert rec["mtdetect"] == {"lang": "en", "langs": {"en": 1.0}, "multilingual": False, "mt_score": 0.1,
                              "source_lang": None}
    assert out.data.endswith(b"\n") and out.data.count(b"\n") == 1


def test_dropped_record_gets_summary_and_reason():
    scanner = FakeScanner({"machine": ("en", {"en": 1.0}, 0.83)})
    out = run_line(b'{"id": 7, "text": "machine"}', scanner=scanner)
    assert out.status == DROPPED and out.message == "mt_score 0.83 > 0.5"
    rec = json.loads(out.data)
    assert rec["id"] == 7 and rec["mtdetect"]["mt_score"] == 0.83 and rec["reason"] == "mt_score 0.83 > 0.5"


def test_a_record_with_its_own_reason_keeps_it_when_dropped():
    scanner = FakeScanner({"machine": ("en", {"en": 1.0}, 0.83)})
    out = run_line(b'{"id": 7, "reason": "theirs", "text": "machine"}', scanner=scanner)
    rec = json.loads(out.data)
    assert out.status == DROPPED
    assert rec["reason"] == "theirs" and rec["mtdetect_reason"] == "mt_score 0.83 > 0.5"


def test_scanner_failure_costs_one_record_and_keeps_it():
    out = run_line(b'{"id": 9, "text": "BOOM"}')
    assert out.status == MALFORMED
    rec = json.loads(out.data)
    assert rec["id"] == 9 and rec["text"] == "BOOM"
    assert rec["reason"] == "scan failed: RuntimeError"  # short and deterministic: no message, no text


def test_bom_on_the_first_line_and_other_text_field():
    out = run_line('\ufeff{"body": "hi you"}'.encode(), number=1, text_field="body")
    assert out.status == KEPT and json.loads(out.data)["body"] == "hi you"
    # A BOM elsewhere is not silently dropped: it is not JSON.
    assert run_line('\ufeff{"text": "x"}'.encode(), number=2).status == MALFORMED


def test_lone_surrogates_survive():
    raw = b'{"text": "ok \\ud800 text"}'
    out = run_line(raw)
    assert out.status == KEPT
    assert json.loads(out.data)["text"] == json.loads(raw)["text"]


def test_counters():
    c = Counters()
    for o in (run_line(b'{"text": "a"}'), run_line(b""), run_line(b"x"),
              run_line(b'{"text": "bon"}', scanner=FakeScanner({"bon": ("fr", {"fr": 1.0}, None)}))):
        c.add(o)
    assert (c.read, c.kept, c.dropped, c.malformed, c.blank) == (3, 1, 1, 1, 1)
    assert c.by_rule == {"lang": 1}


# --------------------------------------------------------------------------- runner and reading


def test_runner_keeps_input_order_across_chunks():
    lines = [Line("in", i, json.dumps({"i": i, "text": f"t{i}"}).encode() if i % 4 else b"{bad")
             for i in range(1, 30)]
    with FilterRunner(FilterOptions(rules=FilterRules(max_mt=0.5)), jobs=1, chunk_size=3,
                      scanner=FakeScanner()) as runner:
        outs = list(runner.run(lines))
    assert len(outs) == len(lines)
    for line, out in zip(lines, outs):
        if line.number % 4:
            assert out.status == KEPT and json.loads(out.data)["i"] == line.number
        else:
            assert out.status == MALFORMED and json.loads(out.data)["line"] == line.number


def test_iter_lines_plain_gzip_by_content_crlf_and_errors(tmp_path):
    plain = tmp_path / "a.jsonl"
    plain.write_bytes(b'{"text": "one"}\r\n{"text": "two"}\n\n{"text": "three"}')
    # Gzip is recognised by its magic bytes, whatever the name says.
    zipped = tmp_path / "b.data"
    zipped.write_bytes(gzip.compress(b'{"text": "four"}\n'))
    truncated = tmp_path / "c.jsonl.gz"
    whole = gzip.compress(b"".join(b'{"text": "line %d"}\n' % i for i in range(2000)))
    truncated.write_bytes(whole[: len(whole) // 2])
    errors = []
    lines = list(iter_lines([str(plain), str(tmp_path / "missing.jsonl"), str(zipped), str(truncated)],
                            lambda where, msg: errors.append(where)))
    got = [(l.source.rsplit("/", 1)[-1], l.number, l.raw) for l in lines]
    assert got[:5] == [("a.jsonl", 1, b'{"text": "one"}'), ("a.jsonl", 2, b'{"text": "two"}'),
                       ("a.jsonl", 3, b""), ("a.jsonl", 4, b'{"text": "three"}'),
                       ("b.data", 1, b'{"text": "four"}')]
    assert errors[0].endswith("missing.jsonl")
    assert errors[1].startswith(str(truncated) + ":")  # where the gzip stream broke off
    assert len(errors) == 2
    # The lines before the break are still delivered, numbered on.
    five = [l for l in lines if l.source == str(truncated)]
    assert five and [l.number for l in five] == list(range(1, len(five) + 1))


@pytest.mark.parametrize("jobs", [1, 2])
def test_runner_reads_ahead_only_a_bounded_window(jobs):
    """Bounded memory: an endless input is consumed only a few chunks ahead of the output."""
    from itertools import count, islice

    from mtdetect.filter import CHUNKS_PER_JOB, run_filter

    consumed = 0

    def endless():
        nonlocal consumed
        for i in count(1):
            consumed += 1
            yield Line("endless", i, b'{"text": "A small English page about the weather."}')

    chunk = 8
    options = FilterOptions(label_only=True, mt=False)
    outs = list(islice(run_filter(endless(), options, jobs=jobs, chunk_size=chunk), 3 * chunk))
    assert [o.status for o in outs] == [KEPT] * (3 * chunk)
    window = 1 if jobs == 1 else jobs * CHUNKS_PER_JOB
    assert consumed <= (3 + window) * chunk
