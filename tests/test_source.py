"""The source-language guess: training on a tiny corpus, saving/loading, masking, pooling,
explanations, and the scan/filter surfaces (JSON contract, table column, --drop-source-lang)."""

import json
import random

import pytest
from click.testing import CliRunner

from mtdetect.cli import main
from mtdetect.source import SourceGuesser
from mtdetect.source.features import mask
from mtdetect.source.train import SourceConfig, label_of, sample_weights, train_source

# Two invented "translationese" profiles and native English, about the same invented topics:
# what differs is the frame around the topic words, which is what the model must learn.
FRAMES = {
    "ru": ["In connection with {t}, {p} stressed the necessity of the resolution of the question.",
           "As {p} noted, the situation around {t} remains difficult, and work on it is being conducted."],
    "de": ["{P} has {t} yesterday once more criticised, as it on the website of the town was said.",
           "It is to be expected that {t} in the coming year still more money will cost, so {p}."],
    "en": ["{P} reckons {t} will be done by spring, though few people are holding their breath.",
           "Ask anyone about {t} and you'll hear a story, usually a funny one, sometimes a sad one."],
}
TOPICS = ["the bridge repair", "the tram depot", "the harbour plan", "the school budget", "the new stadium"]
PEOPLE = ["the mayor", "the minister", "the council", "the director"]


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


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    d = tmp_path_factory.mktemp("source_model")
    model = train_source(tiny_rows(), SourceConfig(langs=("ru", "de"), alpha=1e-4, min_words=8))
    model.save(d)
    return d


def test_mask_keeps_the_frame_and_hides_the_topic():
    m = mask("Foreign Minister Lavrov urged to resolve issues in Vladivostok on 14 January 2022.")
    assert "Lavrov" not in m and "Vladivostok" not in m
    assert "Xx" in m and "0" in m and "to" in m.split()


def test_labels_and_weights():
    assert label_of({"origin": "original-english", "src_lang": "en"}, ("ru",)) == "en"
    assert label_of({"origin": "mt", "src_lang": "ru"}, ("ru",)) == "ru"
    assert label_of({"origin": "mt", "src_lang": "ha"}, ("ru",)) is None
    w = sample_weights(["ru", "ru", "ru", "en"], ["a", "a", "b", "c"])
    # Each class the same mass; inside a class each document the same mass.
    assert w[:3].sum() == pytest.approx(w[3])
    assert w[0] + w[1] == pytest.approx(w[2])


def test_tiny_model_learns_frames_and_roundtrips(tiny, tmp_path):
    g = SourceGuesser.load(tiny)
    rnd = random.Random(99)
    for lang, frames in FRAMES.items():
        # An unseen topic: only the frame can tell.
        text = " ".join(f.format(t="the ferry timetable", p="the spokesperson", P="The spokesperson")
                        for f in frames)
        guess = g.predict([text])[0]
        assert guess["lang"] == lang, (lang, guess)
        assert abs(sum(guess["scores"].values()) - 1) < 1e-3
    # Deterministic training: the same files again.
    train_source(tiny_rows(), SourceConfig(langs=("ru", "de"), alpha=1e-4, min_words=8)).save(tmp_path)
    for name in ("model.json", "model.npz"):
        assert (tmp_path / name).read_bytes() == (tiny / name).read_bytes()


def test_short_text_and_pool(tiny):
    g = SourceGuesser.load(tiny)
    assert g.predict(["Too short to judge."]) == [None]
    assert g.pool(["Too short."]) is None
    ru = [f.format(t="the ferry", p="the mayor", P="The mayor") for f in FRAMES["ru"]]
    en = FRAMES["en"][0].format(t="the ferry", p="the mayor", P="The mayor")
    page = g.pool(ru * 3 + [en])
    assert page["lang"] == "ru"
    assert g.explain(" ".join(ru), "ru", k=3) and all(w > 0 for _, w in g.explain(" ".join(ru), "ru", k=3))


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
