"""The HTML review report (`mtdetect scan ... --report FILE.html`, `mtdetect/review.py`).

Unit tests read the HTML with the standard library's parser; the browser tests open it in
headless Chromium (Debian's `chromium`, driven by scripts/review_browser.py over the DevTools
pipe) and skip, saying so, when no Chromium is installed. No MT score is hard-coded: the MT
model may be replaced.
"""

import importlib.util
import json
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtdetect.cli import main
from mtdetect.document import BOILERPLATE, CONTENT, Block, PageReport
from mtdetect.review import ReviewReport, script_json, write_review

ROOT = Path(__file__).resolve().parent.parent
SEED_003 = "003_9194d3a9e73851c2.txt"

HOSTILE = (
    "A page that quotes code\n\n"
    "The attacker wrote <script>window.__pwned = 1; alert(1)</script> into the comment box, and the "
    "site printed it back to every reader of the article without escaping anything at all.\n\n"
    "Then came </style><img src=x onerror=\"window.__pwned = 2\"> and a closing </script> tag, "
    "with \"quotes\", 'apostrophes' & ampersands, which the report must show exactly as text.\n\n"
    "<!-- not a comment --> ]]> </textarea> {{template}} ${injection} \u2028 done.\n"
)

HOSTILE_HTML = (
    "<html><head><title>t</title><style>p{color:red}</style></head><body><article>"
    "<h1>Escaping in HTML pages</h1>"
    "<p>The tutorial explains that writing &lt;script&gt;alert(1)&lt;/script&gt; into a form field is the "
    "oldest trick there is, and that a page must escape what its readers type before it shows it.</p>"
    "<p>It goes on for a while about &lt;/style&gt; and attributes such as onerror=&quot;x()&quot; that "
    "also run code when a browser is given them unescaped, which is why the report escapes all text.</p>"
    "<script>window.__pwned = 3</script></article></body></html>"
)


class _Collect(HTMLParser):
    """Element counts, the text of each element kind, and attributes, as a browser would parse."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: dict[str, int] = {}
        self.attrs: list[tuple[str, dict]] = []
        self.stack: list[str] = []
        self.script_text = ""
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self.attrs.append((tag, dict(attrs)))
        if tag not in ("meta", "input", "br", "img", "line", "rect", "i"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "script":
            self.script_text += data
        else:
            self.text += data


def parse(html: str) -> _Collect:
    p = _Collect()
    p.feed(html)
    p.close()
    return p


@pytest.fixture(scope="module")
def scanner():
    from mtdetect.scan import Scanner

    return Scanner()


@pytest.fixture(scope="module")
def seed_reports(scanner, seeds_dir):
    return list(scanner.scan_paths([seeds_dir]))


def _page(path: str, mt: float | None, multilingual: bool = False) -> PageReport:
    blocks = [Block(0, 1, 1, "Menu", kind=BOILERPLATE, lang="en", lang_score=0.9),
              Block(1, 2, 2, "Some text of the page that is long enough.", kind=CONTENT, lang="en",
                    lang_score=0.99, mt_score=mt)]
    return PageReport(path=path, blocks=blocks, lang="en", langs={"en": 1.0}, multilingual=multilingual,
                      mt_score=mt)


# --------------------------------------------------------------------------------- unit tests
@pytest.mark.parametrize("text,html", [(HOSTILE, False), (HOSTILE_HTML, True)], ids=["text", "html"])
def test_page_text_is_escaped(scanner, text, html):
    report = scanner.scan_text(text, path="evil<script>alert('path')</script>.txt", html=html)
    assert any("<script>" in b.text for b in report.blocks)  # the page really says it
    out = ReviewReport(scanner).extend([report]).render()
    doc = parse(out)
    # Only the report's own elements: its script, the pages' JSON, one <style>, no <img>, no
    # handler attributes; no executable script mentions the page.
    scripts = [a for t, a in doc.attrs if t == "script"]
    assert len(scripts) == 3 and sum(a.get("type") == "application/json" for a in scripts) == 2
    assert doc.tags.get("style") == 1
    assert "img" not in doc.tags and "textarea" not in doc.tags
    assert not any(k.startswith("on") for _, attrs in doc.attrs for k in attrs)
    code = out.split("<script>")[1].split("</script>")[0]
    assert "__pwned" not in code and "alert" not in code
    # The blocks' JSON cannot end its element early, and parses back to the page's own text.
    data = out.split('<script type="application/json" id="d-p0">')[1].split("</script>")[0]
    assert "<" not in data and ">" not in data and "&" not in data
    assert [b[5] for b in json.loads(data)["b"]] == [b.text for b in report.blocks]
    # ... and the path, in HTML, shows as text, exactly.
    assert "evil<script>alert('path')</script>.txt" in doc.text


def test_script_json_cannot_close_a_script():
    text = script_json({"t": "</script><script>alert(1)</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"t": "</script><script>alert(1)</script><!-- & \u2028"}


def test_left_out_pages_are_counted_and_said():
    review = ReviewReport(max_pages=3)
    review.extend([_page(f"p{i}.txt", mt=i / 5, multilingual=i == 4) for i in range(5)] +
                  [PageReport(path="missing.txt", error="no such file or directory")])
    assert (review.n_pages, review.n_left_out, review.n_errors) == (6, 3, 1)
    out = review.render()
    doc = parse(out)
    assert "3 of 6 pages left out" in doc.text and "first 3" in doc.text
    assert doc.text.count("p4.txt") == 0  # a left-out page is not shown...
    assert sum(review.hist) == 5 and review.n_multilingual == 1  # ...but counted
    assert len(_rows(out)) == 3 and out.count('<section id="p') == 3


def test_no_notice_under_the_limit():
    review = ReviewReport(max_pages=3).extend([_page("a.txt", 0.2), _page("b.txt", None)])
    assert review.n_left_out == 0 and 'id="left-out"' not in review.render()
    assert review.n_no_score == 1


def _rows(out: str) -> list[dict]:
    return [attrs for tag, attrs in parse(out).attrs if tag == "tr" and "data-page" in attrs]


def test_one_row_and_one_section_per_page(scanner, seed_reports, tmp_path):
    pages = seed_reports + [PageReport(path="gone.txt", error="no such file or directory")]
    target = tmp_path / "r.html"
    review = write_review(pages, target, scanner=scanner)
    out = target.read_text(encoding="utf-8")
    rows = _rows(out)
    assert len(rows) == len(pages) == review.n_pages
    assert [r["data-page"] for r in rows] == [f"p{i}" for i in range(len(pages))]
    assert out.count('<section id="p') == len(pages)
    doc = parse(out)
    for r in seed_reports:
        assert doc.text.count(r.path) == 2  # its row and its section heading
    multi = [r for r in rows if r["data-multi"] == "1"]
    assert len(multi) == sum(r.multilingual for r in seed_reports) >= 1
    # Every block is in its page's data, in reading order, with its kind and language.
    for i, r in enumerate(seed_reports):
        data = json.loads(out.split(f'<script type="application/json" id="d-p{i}">')[1].split("</script>")[0])
        assert [(b[5], b[1], b[2]) for b in data["b"]] == [(b.text, int(b.kind == BOILERPLATE), b.lang)
                                                           for b in r.blocks]


def test_english_content_blocks_carry_the_explain_evidence(scanner, seed_reports):
    from mtdetect.report import explain_page

    r = next(p for p in seed_reports if p.path.endswith(SEED_003))
    out = ReviewReport(scanner).extend([r]).render()
    data = json.loads(out.split('<script type="application/json" id="d-p0">')[1].split("</script>")[0])
    whys = [b[6] for b in data["b"] if len(b) > 6 and b[6]]
    scored = [b for b in r.blocks if b.kind == CONTENT and b.mt_score is not None]
    assert len(whys) >= len(scored) > 0
    expected = explain_page(scanner, r, scored)
    got = {tuple(map(tuple, w["mt"])) for w in whys if "mt" in w}
    for b in scored:  # the same evidence as `scan --explain`
        assert tuple(map(tuple, expected[b.index])) in got


def test_cli_report_for_text_html_and_directory(tmp_path, seeds_dir):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "evil.txt").write_text(HOSTILE, encoding="utf-8")
    (tmp_path / "pages" / "evil.html").write_text(HOSTILE_HTML, encoding="utf-8")
    runner = CliRunner()
    for args, n in (([str(tmp_path / "pages" / "evil.txt")], 1),
                    ([str(tmp_path / "pages" / "evil.html")], 1),
                    ([str(tmp_path / "pages"), str(seeds_dir / SEED_003)], 3)):
        out = tmp_path / "report.html"
        result = runner.invoke(main, ["scan", *args, "--report", str(out), "--format", "json"],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert len(json.loads(result.stdout)) == n  # --format output unchanged by --report
        assert len(_rows(out.read_text(encoding="utf-8"))) == n
        assert f"report written to {out}" in result.stderr.replace("\n", "")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["pages", "report.html"]  # no temporary left


def test_cli_report_unwritable_is_a_usage_error(tmp_path, seeds_dir):
    result = CliRunner().invoke(main, ["scan", str(seeds_dir / SEED_003), "--no-mt", "--no-source", "--report",
                                       str(tmp_path / "no" / "such" / "dir" / "r.html")])
    assert result.exit_code == 2 and "cannot write the report" in result.output


# ------------------------------------------------------------------------------ browser tests
def _browser_module():
    spec = importlib.util.spec_from_file_location("review_browser", ROOT / "scripts" / "review_browser.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("review_browser", mod)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def browser():
    mod = _browser_module()
    if mod.find_chromium() is None:
        pytest.skip("no Chromium to render the report: install the Debian package 'chromium' "
                    "(.ci/run does so when apt works) or set $CHROMIUM")
    with mod.Chromium() as b:
        yield b


def test_seed_report_in_chromium(browser, scanner, seed_reports, tmp_path):
    report = tmp_path / "seeds.html"
    write_review(seed_reports, report, scanner=scanner)
    tab = browser.open(report, 1280, 900)
    tab.wait_rendered()
    assert tab.console_errors() == []
    assert [u for u in tab.requests() if not u.startswith("file:")] == []  # nothing from outside
    assert tab.eval("document.querySelectorAll('#pages tbody tr').length") == len(seed_reports)

    # Seed 003: its Russian sidebar blocks are there, tagged ru, marked foreign, as boilerplate.
    blocks = tab.eval("""[...document.querySelectorAll('section.page')]
        .find(s => s.dataset.path.endsWith('%s'))
        .querySelectorAll('.blk').length""" % SEED_003)
    ru = tab.eval("""[...[...document.querySelectorAll('section.page')]
        .find(s => s.dataset.path.endsWith('%s')).querySelectorAll('.blk')]
        .filter(b => b.querySelector('.lang') && b.querySelector('.lang').textContent === 'ru'
                     && b.offsetHeight > 0)
        .map(b => [b.dataset.kind, b.classList.contains('foreign'), b.querySelector('.tx').textContent])"""
                  % SEED_003)
    r003 = next(r for r in seed_reports if r.path.endswith(SEED_003))
    assert blocks == len(r003.blocks)
    expected = [b.text for b in r003.blocks if b.lang == "ru"]
    assert [t for _, _, t in ru] == expected and len(ru) >= 5
    sidebar = [t for kind, foreign, t in ru if kind == "boilerplate" and foreign]
    assert len(sidebar) >= 5 and all(any("а" <= c <= "я" for c in t.lower()) for t in sidebar)

    # The filters: only multilingual pages leaves seed 003; hide boilerplate hides the sidebar.
    tab.eval("document.getElementById('f-multi').click()")
    visible = tab.eval("[...document.querySelectorAll('section.page')].filter(s => !s.hidden).map(s => s.dataset.path)")
    assert visible == [r.path for r in seed_reports if r.multilingual]
    assert tab.eval("document.getElementById('f-count').textContent").startswith(f"{len(visible)} of ")
    tab.eval("document.getElementById('f-boiler').click()")
    assert tab.eval("[...document.querySelectorAll('section.page:not([hidden]) .blk.boiler')]"
                    ".every(b => b.offsetHeight === 0)")
    tab.eval("document.getElementById('f-boiler').click(); document.getElementById('f-multi').click()")

    # Sorting by MT puts the highest page score first.
    tab.eval("[...document.querySelectorAll('#pages th')].find(t => t.textContent === 'MT').click()")
    first = tab.eval("document.querySelector('#pages tbody tr').dataset.page")
    best = max(range(len(seed_reports)), key=lambda i: seed_reports[i].mt_score or -1)
    assert first == f"p{best}"

    # A click on a scored English block opens its evidence; the panel holds feature names.
    n_feat = tab.eval("""(() => { const b = document.querySelector('.blk.content.why'); b.click();
        return b.querySelectorAll('.ev .f').length; })()""")
    assert n_feat > 0
    # Hovering the score of another one shows the same evidence in a tooltip.
    box = tab.eval("""(() => { const m = document.querySelectorAll('.blk.content.why .mt')[1];
        m.scrollIntoView({block: 'center'}); const r = m.getBoundingClientRect();
        return [r.x + r.width / 2, r.y + r.height / 2]; })()""")
    browser.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": box[0], "y": box[1]}, session=tab.session)
    assert tab.eval("""new Promise(done => {  // the mouse event reaches the page asynchronously
        const t0 = performance.now(), tip = document.getElementById('tip');
        const f = () => (!tip.hidden && tip.querySelectorAll('.f').length) ? done(true)
                        : performance.now() - t0 > 10000 ? done(false) : setTimeout(f, 20);
        f(); })""")
    shot = tmp_path / "seeds.png"
    tab.screenshot(shot, full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    assert tab.console_errors() == []


def test_hostile_page_runs_nothing_in_chromium(browser, scanner, tmp_path):
    pages = [scanner.scan_text(HOSTILE, path="evil.txt"), scanner.scan_text(HOSTILE_HTML, path="evil.html")]
    report = tmp_path / "evil.html"
    write_review(pages, report, scanner=scanner)
    tab = browser.open(report)
    tab.wait_rendered()
    assert tab.eval("typeof window.__pwned") == "undefined"
    assert tab.eval("document.querySelectorAll('img, textarea, .blk script, .blk style').length") == 0
    text = tab.eval("document.body.innerText")
    assert "<script>window.__pwned = 1; alert(1)</script>" in text
    assert "</style><img src=x onerror=\"window.__pwned = 2\">" in text
    assert "<script>alert(1)</script>" in text
    # Opening every evidence panel (n-grams of the hostile text) runs nothing either.
    tab.eval("document.querySelectorAll('.blk.why').forEach(b => b.click())")
    assert tab.eval("typeof window.__pwned") == "undefined"
    assert tab.console_errors() == []
    assert not any(e.get("method") == "Page.javascriptDialogOpening" for e in browser.events)
