"""mtdetect.relate: alignment, relations, candidates, bad input, seeds, CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtdetect.document import Block, PageReport
from mtdetect.relate import (
    CandidateParams,
    align,
    candidate_pairs,
    compare,
    prepare,
    relate_pages,
)
from mtdetect.relate.text import split_sentences

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpora" / "seeds"


def page(path: str, paragraphs: list[str], kinds=None, lang="en") -> PageReport:
    kinds = kinds or ["content"] * len(paragraphs)
    blocks = [Block(i, i + 1, i + 1, t, kind=k, lang=lang) for i, (t, k) in enumerate(zip(paragraphs, kinds))]
    return PageReport(path=path, blocks=blocks, lang=lang)


# A story of our own, a rewrite of it (same facts, same order, other words) and another story.
STORY = [
    "The city council of Lindmark voted on Monday to close the old Harbour Street bridge for repairs.",
    "Engineers found cracks in two of the steel beams during an inspection in March. "
    "The repairs are expected to cost 4.2 million euros and to take eleven months.",
    "Mayor Anja Velden said the closure would hurt shops near the harbour, but that safety came first.",
    "A temporary ferry will carry cyclists and pedestrians across the canal from next week.",
]
REWRITE = [
    "On Monday, Lindmark's councillors decided to shut the ageing Harbour Street bridge so it can be fixed.",
    "An inspection in March revealed fractures in a pair of steel girders.",
    "Fixing them should take eleven months and cost about 4.2 million euros.",
    "According to mayor Anja Velden, traders close to the harbour will suffer from the closure, "
    "yet safety had to come first.",
    "Starting next week, a temporary ferry will take walkers and cyclists over the canal.",
]
OTHER = [
    "The regional orchestra of Lindmark announced its summer programme on Friday.",
    "Concerts will be held in the cathedral and in the park, with tickets from twelve euros.",
    "The conductor said the season would open with a symphony by a local composer.",
    "Last year more than thirty thousand people attended the open-air performances.",
]
SIDEBAR = [
    "Weather: sunny spells and light winds expected across the region this weekend.",
    "Sports: Lindmark Rovers sign a new goalkeeper from the second division.",
    "Markets: shares in the port operator rose three percent after strong results.",
]


def test_split_sentences_keeps_abbreviations():
    s = split_sentences('He met U.S. Secretary of State Antony Blinken on Jan. 28 in Geneva. "It went well," he said. Then he left.')
    assert s == [
        "He met U.S. Secretary of State Antony Blinken on Jan. 28 in Geneva.",
        '"It went well," he said.',
        "Then he left.",
    ]


def test_alignment_is_monotonic_and_handles_splits():
    a, b = prepare(page("a", STORY)), prepare(page("b", REWRITE))
    al = align(a, b)
    pairs = al.block_pairs(a, b)
    # STORY block 1 (two sentences) is split over REWRITE blocks 1 and 2: an n:m alignment.
    assert pairs == [[0, 0], [1, 1], [1, 2], [2, 3], [3, 4]]
    assert al.chars_a == a.n_chars and al.chars_b == b.n_chars
    for u, v in zip(al.units, al.units[1:]):  # order-keeping
        assert u.a[-1] < v.a[0] and u.b[-1] < v.b[0]


def test_copy():
    rel = compare(page("a", STORY), page("b", STORY + SIDEBAR, ["content"] * 4 + ["boilerplate"] * 3))
    assert rel is not None and rel.relation == "copy"
    assert rel.chrf == pytest.approx(100.0) and rel.bleu == pytest.approx(100.0)
    assert rel.aligned == [[0, 0], [1, 1], [2, 2], [3, 3]]  # boilerplate blocks take no part


def test_copy_with_small_edits_is_still_a_copy():
    edited = [STORY[0], STORY[1].replace("eleven", "11"), STORY[2].replace("Mayor", "The mayor"), STORY[3]]
    rel = compare(page("a", STORY), page("b", edited))
    assert rel is not None and rel.relation == "copy"


def test_excerpt():
    rel = compare(page("part", STORY[:2] + SIDEBAR), page("whole", STORY + OTHER))
    assert rel is not None and rel.relation == "excerpt"
    assert rel.aligned == [[0, 0], [1, 1]]
    assert rel.coverage_b < 0.5


def test_paraphrase():
    rel = compare(page("a", STORY), page("b", REWRITE))
    assert rel is not None and rel.relation == "paraphrase"
    assert rel.chrf > 45 and rel.bleu < 40  # the meaning and order kept, the words not


def test_unrelated_pages_make_no_pair():
    assert compare(page("a", STORY), page("b", OTHER)) is None
    assert compare(page("a", REWRITE), page("b", OTHER + SIDEBAR)) is None


@pytest.mark.parametrize(
    "other",
    [
        page("empty", []),
        page("blank", ["   ", ""]),
        page("german", ["Der Stadtrat hat die Brücke geschlossen."] * 3, lang="de"),
        page("boilerplate only", STORY, ["boilerplate"] * 4),
        PageReport(path="broken", error="cannot read"),
    ],
    ids=lambda p: p.path,
)
def test_bad_input_gives_no_pair(other):
    assert compare(page("a", STORY), other) is None
    assert compare(other, other) is None
    assert relate_pages([other, page("a", STORY)]) == []


def test_relate_pages_on_a_small_collection():
    pages = [page("story", STORY), page("rewrite", REWRITE), page("other", OTHER), page("part", STORY[:2]),
             page("empty", [])]
    got = {(r.a, r.b): r.relation for r in relate_pages(pages)}
    assert got == {
        ("story", "rewrite"): "paraphrase",
        ("story", "part"): "excerpt",
        ("rewrite", "part"): "paraphrase",  # a rewrite of the excerpt's sentences
    }
    d = relate_pages(pages)[0].to_dict()
    assert set(d) >= {"a", "b", "relation", "chrf", "bleu", "aligned"}


def _synthetic_collection(n_stories: int):
    """n stories, each with a copy and a word-swapped rewrite, over a shared topical vocabulary."""
    import random

    rng = random.Random(0)
    common = [f"topic{i}" for i in range(300)]  # a shared everyday vocabulary
    pages, truth = [], set()
    for k in range(n_stories):
        rare = [f"name{k}x{j}" for j in range(8)] + [str(1000 + 7 * k + j) for j in range(3)]
        sents = []
        for _ in range(5):
            words = rng.sample(common, 8) + rng.sample(rare, 3)
            sents.append(" ".join(words).capitalize() + ".")
        rewrite = [" ".join(reversed(x.rstrip(".").split())).capitalize() + "." for x in sents]
        base = len(pages)
        pages += [page(f"s{k}", sents), page(f"s{k}-copy", list(sents)), page(f"s{k}-rw", rewrite)]
        truth |= {(base, base + 1), (base, base + 2), (base + 1, base + 2)}
    return pages, truth


def test_candidates_find_true_pairs_and_prune_the_rest():
    pages, truth = _synthetic_collection(60)
    prepared = [prepare(p) for p in pages]
    cands = set(candidate_pairs(prepared))
    assert truth <= cands
    n = len(pages)
    assert len(cands) < 0.05 * n * (n - 1) / 2  # far fewer than all pairs


def test_candidates_respect_posting_cap():
    # With a cap below the group size, rare words stop producing pairs; LSH still finds the copies.
    pages, truth = _synthetic_collection(20)
    prepared = [prepare(p) for p in pages]
    cands = set(candidate_pairs(prepared, CandidateParams(max_df=1)))
    copies = {(i, j) for i, j in truth if j == i + 1 and i % 3 == 0}
    assert copies <= cands


def test_candidates_are_deterministic():
    pages, _ = _synthetic_collection(15)
    prepared = [prepare(p) for p in pages]
    assert candidate_pairs(prepared) == candidate_pairs(prepared)


def _scan_seeds():
    scan = pytest.importorskip("mtdetect.scan")
    scanner = scan.Scanner(mt=False)
    return {p.name[:3]: scanner.scan_file(p) for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="module")
def seed_relations():
    pages = _scan_seeds()
    name = {str(p.path): k for k, p in pages.items()}
    return {frozenset({name[r.a], name[r.b]}): r for r in relate_pages(list(pages.values()))}


def test_seeds_excerpt(seed_relations):
    assert seed_relations[frozenset({"000", "001"})].relation == "excerpt"


def test_seeds_paraphrase(seed_relations):
    assert seed_relations[frozenset({"001", "002"})].relation == "paraphrase"


def test_seeds_no_pair_for_other_stories(seed_relations):
    assert not [k for k in seed_relations if "003" in k or "004" in k]


# --- CLI -------------------------------------------------------------------------------------
def _run(args):
    from click.testing import CliRunner

    from mtdetect.cli.relate import relate_command

    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 keeps stderr apart already
        runner = CliRunner()
    return runner.invoke(relate_command, args)


def test_cli_jsonl_on_seeds():
    import json

    res = _run([str(SEEDS), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    kinds = {(Path(r["a"]).name[:3], Path(r["b"]).name[:3]): r["relation"] for r in rows}
    assert kinds[("000", "001")] == "excerpt" and kinds[("001", "002")] == "paraphrase"
    assert all(set(r) >= {"a", "b", "relation", "chrf", "bleu", "aligned"} for r in rows)


def test_cli_json_and_table(tmp_path):
    import json

    for name in ("001", "002"):  # real pages: the scanner's boilerplate flag needs real paragraphs
        src = next(SEEDS.glob(f"{name}_*.txt"))
        (tmp_path / src.name).write_bytes(src.read_bytes())
    res = _run([str(tmp_path), "--format", "json"])
    assert res.exit_code == 0
    assert [r["relation"] for r in json.loads(res.stdout)] == ["paraphrase"]
    res = _run([str(tmp_path)])
    assert res.exit_code == 0 and "paraphrase" in res.stdout


def test_cli_missing_path_exit_1_and_still_processes_the_rest(tmp_path):
    src = next(SEEDS.glob("001_*.txt"))
    for i in range(2):
        (tmp_path / f"{i}.txt").write_bytes(src.read_bytes())
    missing = tmp_path / "nope.txt"
    res = _run([str(tmp_path), str(missing), "--format", "jsonl"])
    assert res.exit_code == 1
    assert "nope.txt" in res.stderr and "Traceback" not in res.stderr + res.stdout
    assert len(res.stderr.strip().splitlines()) == 1
    assert '"copy"' in res.stdout  # the readable files were still related


def test_cli_usage_errors_exit_2():
    assert _run([]).exit_code == 2
    assert _run([str(SEEDS), "--format", "xml"]).exit_code == 2
    assert _run([str(SEEDS), "--min-chrf", "120"]).exit_code == 2


def test_long_pages_are_capped_and_still_related():
    from mtdetect.relate.text import MAX_SENTENCES

    long_story = [f"Paragraph {k} says that the council of Lindmark met {k} times about bridge number {k}." for k in range(1500)]
    a = page("long", long_story)
    assert len(prepare(a).sentences) == MAX_SENTENCES
    rel = compare(a, page("copy", long_story))
    assert rel is not None and rel.relation == "copy"
