"""The source-language guess: training on a tiny corpus, saving/loading, masking, pooling, the
evidence rule (`en` unless translated, `other`), calibration of `p_alone`, the mmh3 featurizer
(batch = one by one, no scikit-learn at run time), and the scan/filter surfaces (JSON contract,
table column, --drop-source-lang)."""

import json
import random
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from mtdetect.cli import main
from mtdetect.source import SourceGuesser
from mtdetect.source.features import Featurizer, keep_words, mask
from mtdetect.source.train import SourceConfig, calibrate_p_alone, label_of, sample_weights, train_source

# Three invented "translationese" profiles and native English, about the same invented topics:
# what differs is the frame around the topic words, which is what the model must learn. "xx"
# stands for a source language outside the known set (trained as `other`).
FRAMES = {
    "ru": ["In connection with {t}, {p} stressed the necessity of the resolution of the question.",
           "As {p} noted, the situation around {t} remains difficult, and work on it is being conducted."],
    "de": ["{P} has {t} yesterday once more criticised, as it on the website of the town was said.",
           "It is to be expected that {t} in the coming year still more money will cost, so {p}."],
    "xx": ["Regarding {t} matter, {p} side say: must quickly quickly finish, no problem at all.",
           "Towards {t} the {p} give big attention, every citizen please kindly cooperate together."],
    "en": ["{P} reckons {t} will be done by spring, though few people are holding their breath.",
           "Ask anyone about {t} and you'll hear a story, usually a funny one, sometimes a sad one."],
}
TOPICS = ["the bridge repair", "the tram depot", "the harbour plan", "the school budget", "the new stadium"]
PEOPLE = ["the mayor", "the minister", "the council", "the director"]
TINY = SourceConfig(langs=("ru", "de"), other_langs=("xx",), alpha=1e-4, min_words=8)


def tiny_rows(seed=0, n_docs=6):
    rnd = random.Random(seed)
    rows = []
    for lang, frames in FRAMES.items():
        for d in range(n_docs):
            t = TOPICS[d % len(TOPICS)]
            for i in range(4):
                text = " ".join(f.format(t=t, p=rnd.choice(PEOPLE), P=rnd.choice(PEOPLE).capitalize())
                                for f in rnd.sample(frames, 2))
                rows.append({"text": text, "src_lang": lang, "doc": f"{lang}-{d}",
                             "origin": "original-english" if lang == "en" else "mt", "label": "mt"})
    return rows


def frame_text(lang, topic="the ferry timetable"):
    return " ".join(f.format(t=topic, p="the spokesperson", P="The spokesperson") for f in FRAMES[lang])


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    d = tmp_path_factory.mktemp("source_model")
    model = train_source(tiny_rows(), TINY)
    model.save(d)
    return d


def test_mask_keeps_the_frame_and_hides_the_topic():
    m = mask("Foreign Minister Lavrov urged to resolve issues in Vladivostok on 14.01.2022 and 1,5 more.")
    assert "Lavrov" not in m and "Vladivostok" not in m
    assert "Xx" in m and "to" in m.split()
    assert "0.0.0" in m.split() and "0,0" in m.split()  # the number's format, not its value


def test_labels_and_weights():
    assert label_of({"origin": "original-english", "src_lang": "en"}, ("ru",)) == "en"
    assert label_of({"origin": "mt", "src_lang": "ru"}, ("ru",)) == "ru"
    assert label_of({"origin": "mt", "src_lang": "ha"}, ("ru",)) == "other"
    assert label_of({"origin": "mt", "src_lang": "ha"}, ("ru",), ()) is None
    assert label_of({"origin": "mt", "src_lang": "fr"}, ("ru",)) is None
    w = sample_weights(["ru", "ru", "ru", "en"], ["a", "a", "b", "c"])
    # Each class the same mass; inside a class each document the same mass.
    assert w[:3].sum() == pytest.approx(w[3])
    assert w[0] + w[1] == pytest.approx(w[2])


def test_featurizer_batches_equal_single_texts():
    f = Featurizer(keep_words())
    texts = ["Foreign Minister Lavrov said in Москва that 1.234 people「came」.", "", "Short one.",
             "The cat sat on the mat while Mr. Tanaka watched from the window of the station."]
    ip, cols, vals = f.rows(texts)
    for i, t in enumerate(texts):
        ip1, c1, v1 = f.rows([t])
        assert c1.tolist() == cols[ip[i]:ip[i + 1]].tolist()
        assert np.allclose(v1, vals[ip[i]:ip[i + 1]])
    assert ip[2] == ip[1]  # an empty text has no features
    sig = set(f.signal_names(texts[0]).values())
    assert {"scr:CYRILLIC", "pun:「", "sfx:rov"} <= sig


def test_tiny_model_learns_frames_and_roundtrips(tiny, tmp_path):
    g = SourceGuesser.load(tiny)
    assert set(g.classes) == {"de", "en", "other", "ru"}
    for lang in FRAMES:
        # An unseen topic: only the frame can tell.
        guess = g.guess(g.log_proba([frame_text(lang)])[0])
        assert guess["lang"] == (lang if lang != "xx" else "other"), (lang, guess)
        assert abs(sum(guess["scores"].values()) - 1) < 1e-3
    # Batch and one by one agree.
    texts = [frame_text(lang) for lang in FRAMES]
    assert np.allclose(g.log_proba(texts), np.vstack([g.log_proba([t]) for t in texts]), atol=1e-5)
    # Deterministic training: the same files again.
    train_source(tiny_rows(), TINY).save(tmp_path)
    for name in ("model.json", "model.npz", "keep.txt"):
        assert (tmp_path / name).read_bytes() == (tiny / name).read_bytes()


def test_en_unless_there_is_evidence(tiny):
    g = SourceGuesser.load(tiny)
    lp = g.pooled([frame_text("ru")], g.log_proba([frame_text("ru")]))
    p_tr = g.p_translated(lp)
    assert p_tr > 0.5
    strict = {**g.decision, "p_alone": 1.0}  # the guesser alone may never claim a translation
    g.decision, saved = strict, g.decision
    try:
        assert g.decide(lp)["lang"] == "en"                        # no MT score: en
        assert g.decide(lp, mt_score=0.2)["lang"] == "en"          # MT says native: en
        d = g.decide(lp, mt_score=0.9)                             # MT says translated: ru
        assert d["lang"] == "ru" and 0 < d["score"] <= 1
        # English that reads as English stays en whatever the MT score.
        lp_en = g.pooled([frame_text("en")], g.log_proba([frame_text("en")]))
        assert g.decide(lp_en, mt_score=0.99)["lang"] == "en"
    finally:
        g.decision = saved
    loose = {**g.decision, "p_alone": 0.5}  # a confident guesser may claim it without MT
    g.decision, saved = loose, g.decision
    try:
        assert g.decide(lp)["lang"] == "ru"
    finally:
        g.decision = saved


def test_other_for_a_language_outside_the_set(tiny):
    g = SourceGuesser.load(tiny)
    text = frame_text("xx", "the night bus")
    d = g.pool([text], mt_score=0.9)
    assert d["lang"] == "other" and d["scores"]["other"] > d["scores"]["ru"]


def test_other_when_no_known_language_holds_the_majority(tiny):
    g = SourceGuesser.load(tiny)
    idx = {c: i for i, c in enumerate(g.classes)}

    def logp(**probs):
        v = np.full(len(g.classes), 1e-6)
        for c, p in probs.items():
            v[idx[c]] = p
        return np.log(v / v.sum())

    split = g.decide(logp(de=0.4, ru=0.35, other=0.2, en=0.05), mt_score=0.9)
    assert split["lang"] == "other" and split["score"] == pytest.approx(1 - 0.4 / 0.95, abs=0.01)
    clear = g.decide(logp(de=0.6, ru=0.2, other=0.15, en=0.05), mt_score=0.9)
    assert clear["lang"] == "de" and clear["score"] == pytest.approx(0.6 / 0.95, abs=0.01)


def test_calibration_on_native_pages(tiny):
    g = SourceGuesser.load(tiny)
    rnd = random.Random(5)
    native = [[FRAMES["en"][i % 2].format(t=t, p="the mayor", P="The mayor")] for i, t in enumerate(TOPICS * 4)]
    # A few native pages that read like translations: the threshold must sit above the allowed share.
    native += [[frame_text(rnd.choice(["ru", "de"]), t)] for t in TOPICS[:2]]
    for share in (0.0, 0.1):
        thr = calibrate_p_alone(g, native, share)
        flagged = sum(g.p_translated(g.pooled(p, g.log_proba(p))) >= thr for p in native)
        assert flagged <= share * len(native)
    assert calibrate_p_alone(g, native, 0.0) >= calibrate_p_alone(g, native, 0.1)
    # Training with calibration pages stores the threshold in the model.
    m = train_source(tiny_rows(), TINY, calibration_pages=native)
    assert m.decision["p_alone"] == calibrate_p_alone(m, native, TINY.native_share)
    assert sum(m.decide(m.pooled(p, m.log_proba(p)))["lang"] != "en" for p in native) <= TINY.native_share * len(native)


def test_short_text_and_pool(tiny):
    g = SourceGuesser.load(tiny)
    assert g.predict(["Too short to judge."]) == [None]
    assert g.pool(["Too short."]) is None
    ru = [f.format(t="the ferry", p="the mayor", P="The mayor") for f in FRAMES["ru"]]
    en = FRAMES["en"][0].format(t="the ferry", p="the mayor", P="The mayor")
    page = g.pool(ru * 3 + [en], mt_score=0.9)
    assert page["lang"] == "ru"
    assert g.explain(" ".join(ru), "ru", k=3) and all(w > 0 for _, w in g.explain(" ".join(ru), "ru", k=3))


def test_no_scikit_learn_at_run_time():
    code = ("import sys; from mtdetect.source import SourceGuesser; g = SourceGuesser.load(); "
            "g.log_proba(['The minister said that the work in this direction will be continued. ' * 2]); "
            "bad = [m for m in ('sklearn', 'scipy') if m in sys.modules]; assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


# --- the shipped model through the CLI ------------------------------------------------------

TRANSLATED = (
    "Foreign Minister Lavrov urged to resolve security issues on the basis of a balance of interests\n\n"
    "MOSCOW, January 14 - RIA Novosti. Russia stands for the issues of security guarantees to be resolved "
    "on the basis of a balance of interests, Russian Foreign Minister Sergei Lavrov said at a press conference.\n\n"
    "\"We are for all this to be resolved on the basis of mutual respect, on the basis of a balance of "
    "interests,\" the minister stressed, noting that the work in this direction will be continued.\n"
)


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_scan_reports_source_lang_in_json_and_table(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(TRANSLATED, encoding="utf-8")
    out = run("scan", str(page), "--format", "json", "--no-mt")
    assert out.exit_code == 0, out.output
    rep = json.loads(out.stdout)[0]
    sl = rep["source_lang"]
    assert set(sl) == {"lang", "score", "scores"} and sl["lang"] in sl["scores"]
    assert 0 < sl["score"] <= 1 and abs(sum(sl["scores"].values()) - 1) < 0.01
    long_blocks = [b for b in rep["blocks"] if b["lang"] == "en" and len(b["text"].split()) >= 10]
    assert long_blocks and all(set(b["source_lang"]) == {"lang", "score"} for b in long_blocks)
    table = run("scan", str(page), "--no-mt")
    assert "from" in table.stdout and sl["lang"] in table.stdout
    explained = run("scan", str(page), "--blocks", "--explain")
    assert "from:" in explained.stdout


def test_scan_without_english_has_no_source_lang(tmp_path):
    page = tmp_path / "de.txt"
    page.write_text("Der Stadtrat hat am Montag beschlossen, den Nachtbus bis in die nördlichen Vororte "
                    "fahren zu lassen, nachdem sich Anwohner jahrelang beschwert hatten.\n", encoding="utf-8")
    rep = json.loads(run("scan", str(page), "--format", "json", "--no-mt").stdout)[0]
    assert rep["source_lang"] is None


def test_filter_drops_by_source_lang(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": TRANSLATED}) + "\n", encoding="utf-8")
    label = run("filter", str(src), "--label-only", "--no-mt")
    guess = json.loads(label.stdout)["mtdetect"]["source_lang"]["lang"]
    kept, rejects = tmp_path / "kept.jsonl", tmp_path / "rej.jsonl"
    res = run("filter", str(src), "-o", str(kept), "--rejects", str(rejects), "--no-mt",
              "--drop-source-lang", guess)
    assert res.exit_code == 0, res.output
    assert kept.read_text() == ""
    rej = json.loads(rejects.read_text())
    assert rej["reason"] == f"source_lang {guess} in [{guess}]"
    other = "zh" if guess != "zh" else "de"
    run("filter", str(src), "-o", str(kept), "--no-mt", "--drop-source-lang", other)
    assert json.loads(kept.read_text())["id"] == "a"


def test_filter_no_source_leaves_it_null_and_refuses_the_rule(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": TRANSLATED}) + "\n", encoding="utf-8")
    res = run("filter", str(src), "--label-only", "--no-mt", "--no-source")
    assert res.exit_code == 0 and json.loads(res.stdout)["mtdetect"]["source_lang"] is None
    bad = CliRunner().invoke(main, ["filter", str(src), "--no-source", "--drop-source-lang", "ru"])
    assert bad.exit_code == 2 and "--drop-source-lang needs" in bad.output


NATIVE = (
    "Bin collections move to Tuesdays from next month, so have a look at the calendar on our website "
    "before you put the recycling out.\n\n"
    "If we've missed your street, you can report it online and a crew will usually be back within two "
    "working days. Garden waste stops over the winter and starts again in March.\n"
)


def test_native_english_is_en_with_and_without_mt(tmp_path):
    page = tmp_path / "native.txt"
    page.write_text(NATIVE, encoding="utf-8")
    for extra in ([], ["--no-mt"]):
        rep = json.loads(run("scan", str(page), "--format", "json", *extra).stdout)[0]
        assert rep["source_lang"]["lang"] == "en", (extra, rep["source_lang"])
        assert all(b["source_lang"]["lang"] == "en" for b in rep["blocks"] if b["source_lang"])


def test_shipped_model_values_and_classes():
    g = SourceGuesser.load()
    assert set(g.classes) == {"cs", "de", "en", "ja", "other", "ru", "zh"}
    assert 0.5 <= g.decision["p_alone"] < 1 and g.decision["mt_gate"] == 0.5
    d = g.pool([TRANSLATED.split("\n\n")[1]] * 2, mt_score=0.95)
    assert d["lang"] in g.classes and abs(sum(d["scores"].values()) - 1) < 0.01
