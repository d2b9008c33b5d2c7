"""A tiny labelled corpus written for the tests (not taken from any data set).

"MT" paragraphs use stiff, literal phrasing; "human" ones idiomatic phrasing; both talk about the
same invented topics, as in the WMT layout (one document, several versions).
"""

import json
import random

TOPICS = ["the new bridge", "the city budget", "the football club", "the school reform", "the river port",
          "the music festival", "the hospital wing", "the tram line", "the harvest", "the museum"]
PEOPLE = ["the mayor", "the minister", "the coach", "the director", "the spokesperson", "the council"]

MT = [
    "On the basis of the results, {p} stressed the need of the resolution of issues concerning {t}.",
    "According to {p}, the work on {t} will be carried out in the framework of the plan of the year.",
    "It is reported that {p} has carried out the meeting on the question of {t} in the regime of online.",
    "At the same time, {p} noted that the implementation of {t} is conducted in accordance with the norms.",
    "In this regard, {p} said that the issue of {t} is necessary to solve on the basis of mutual respect.",
]
HUMAN = [
    "{P} said the row over {t} had dragged on for months and nobody wanted another winter of it.",
    "Ask anyone in town about {t} and you'll get a story, usually a funny one, sometimes a sad one.",
    "{P} reckons {t} will be finished by spring, though frankly few people are holding their breath.",
    "Locals packed the hall on Tuesday night, and {p} spent two hours fielding questions about {t}.",
    "It wasn't pretty, but {t} finally got the green light after {p} changed tack at the last minute.",
]


def make_rows(n_docs=10, seed=0):
    rnd = random.Random(seed)
    rows = []
    for d in range(n_docs):
        t = TOPICS[d % len(TOPICS)]
        doc = f"tiny-doc{d}"
        versions = [("mt", "mt", f"Sys{k}") for k in range(3)] + [("human", "human-translation", "refA")]
        if d % 3 == 0:
            versions.append(("human", "original-english", "source"))
        for label, origin, system in versions:
            for line in range(3):
                pool = MT if label == "mt" else HUMAN
                sents = rnd.sample(pool, 3)
                text = " ".join(s.format(p=rnd.choice(PEOPLE), P=rnd.choice(PEOPLE).capitalize(), t=t) for s in sents)
                rows.append({"id": f"tiny.{system}.{d}.{line}", "text": text, "label": label, "origin": origin,
                             "system": system, "src_lang": "en" if origin == "original-english" else "xx",
                             "year": 2099, "domain": "test", "doc": doc, "n_segs": 3})
    return rows


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    return path
