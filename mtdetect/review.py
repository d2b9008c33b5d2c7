"""The review report: one self-contained HTML file a person opens to see why pages were flagged.

`mtdetect scan PATH... --report report.html` writes it; from Python::

    review = ReviewReport(scanner)          # scanner: for the --explain evidence (optional)
    for report in scanner.scan_paths(paths):
        review.add(report)
    review.write("report.html")

The file has inline CSS and a little JavaScript and loads nothing else (it opens offline from
disk). An overview (a sortable table of the pages, a histogram of page MT scores, filters) comes
first, then one section per page with its blocks in reading order.

Safety: page text reaches the file two ways, both escaped. In HTML (paths, the table, page
headings) through `html.escape`; the blocks of each page as JSON in a
`<script type="application/json">` element, through `script_json`, which escapes '<', '>' and
'&' so that no `</script>` or `<!--` can occur in it. The script builds the blocks with
`textContent`, never `innerHTML`, so a page containing `<script>` or `</style>` shows it as text
and runs nothing.

Size and speed: each page's section is rendered to a string when the page is added and its blocks
are not kept. The browser builds a page's blocks when its section comes into view, and the rest
in the background (`<html data-rendered="all">` once done), so the first screen shows at once.
Beyond `max_pages` pages only counts and the MT-score histogram are updated, so a huge run costs
constant memory; the report says how many pages it left out and why.
"""

from __future__ import annotations

import html
import json
import math
import os
import tempfile
import time
from pathlib import Path
from typing import IO, Iterable, Optional, Union

from mtdetect.document import BOILERPLATE, PageReport

DEFAULT_MAX_PAGES = 2000  # pages shown in full; 1,000 pages make a file of a few MB (README)
MAX_BLOCK_CHARS = 3000  # a block's text beyond this is cut in the report (the JSON has it all)
MAX_BLOCKS_PER_PAGE = 2000  # blocks shown per page
HIST_BINS = 20
PAGE_MT_THRESHOLD = 0.5  # the calibrated page score (README): >= 0.5 is rare on native English

# Colours for the languages most often seen; others get a stable colour from their code.
_LANG_COLOURS = {
    "en": "#4c72b0", "ru": "#c44e52", "de": "#dd8452", "fr": "#55a868", "es": "#8172b3",
    "zh": "#937860", "ja": "#da8bc3", "cs": "#8c8c8c", "uk": "#ccb974", "it": "#64b5cd",
    "pl": "#a05195", "pt": "#2a9d8f", "nl": "#e76f51", "ar": "#6d597a", "ko": "#b56576",
}


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _lang_colour(lang: Optional[str]) -> str:
    if not lang:
        return "#b0b0b0"
    if lang in _LANG_COLOURS:
        return _LANG_COLOURS[lang]
    hue = sum(ord(c) * 37 for c in lang) % 360
    return f"hsl({hue},45%,50%)"


def _hue(score: float) -> int:
    """Green (human-like) at 0 through yellow to red (MT-like) at 1."""
    return round(130 * (1.0 - min(max(score, 0.0), 1.0)))


def _score(score: Optional[float]) -> Optional[float]:
    """The score, or None for none (or a NaN, which JSON could not carry)."""
    return None if score is None or not math.isfinite(score) else score


def script_json(obj) -> str:
    """JSON safe inside a <script> element: '<', '>', '&' and the JS line separators escaped, so
    no '</script>' or '<!--' can appear in it, whatever the page's text says."""
    text = json.dumps(obj, ensure_ascii=False)
    for ch, rep in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, rep)
    return text


def _fmt_int(n: int) -> str:
    return f"{n:,}"


def pages(n: int) -> str:
    """'1 page', '2,000 pages'."""
    return f"{n:,} page{'' if n == 1 else 's'}"


class ReviewReport:
    """Accumulates `PageReport`s and writes the HTML review report.

    scanner: the `Scanner` that made the reports; when given, each English content block carries
        the `--explain` evidence (`mtdetect.report.explain_page`).
    max_pages: pages shown in full; later pages are counted (and in the histogram) but left out.
    """

    def __init__(self, scanner=None, max_pages: int = DEFAULT_MAX_PAGES, title: str = "mtdetect review"):
        self.scanner = scanner
        self.max_pages = max_pages
        self.title = title
        self._rows: list[str] = []
        self._sections: list[str] = []
        self._langs: set[str] = set()
        self.n_pages = 0
        self.n_errors = 0
        self.n_multilingual = 0
        self.n_flagged = 0  # page MT score >= PAGE_MT_THRESHOLD
        self.n_no_score = 0
        self.n_left_out = 0
        self.hist = [0] * HIST_BINS

    # --- accumulate --------------------------------------------------------------------------
    def add(self, report: PageReport) -> None:
        self.n_pages += 1
        if report.error is not None:
            self.n_errors += 1
        else:
            self.n_multilingual += bool(report.multilingual)
            if _score(report.mt_score) is None:
                self.n_no_score += 1
            else:
                self.hist[min(max(int(report.mt_score * HIST_BINS), 0), HIST_BINS - 1)] += 1
                self.n_flagged += report.mt_score >= PAGE_MT_THRESHOLD
        if len(self._rows) >= self.max_pages:
            self.n_left_out += 1
            return
        pid = f"p{len(self._rows)}"
        self._rows.append(self._row(pid, report))
        self._sections.append(self._section(pid, report))

    def extend(self, reports: Iterable[PageReport]) -> "ReviewReport":
        for r in reports:
            self.add(r)
        return self

    # --- the overview table ------------------------------------------------------------------
    def _row(self, pid: str, r: PageReport) -> str:
        path = f'<td class="path" data-v="{_esc(r.path)}"><a href="#{pid}">{_esc(r.path)}</a></td>'
        if r.error is not None:
            return (f'<tr data-page="{pid}" data-mt="" data-multi="0" class="err">{path}'
                    f'<td colspan="7" data-v="">error: {_esc(r.error)}</td></tr>')
        n_boiler = sum(1 for b in r.blocks if b.kind == BOILERPLATE)
        mt = "" if _score(r.mt_score) is None else f"{r.mt_score:.4f}"
        src = r.source_lang
        src_cell = (f'<td data-v="{_esc(src["lang"])} {src["score"]:.4f}">{_esc(src["lang"])} '
                    f'<span class="dim">{src["score"]:.2f}</span></td>') if src else '<td data-v="">-</td>'
        top = next(iter(r.langs.values()), 0.0)
        return (
            f'<tr data-page="{pid}" data-mt="{mt}" data-multi="{int(r.multilingual)}">{path}'
            f'<td data-v="{_esc(r.lang or "")}">{self._lang_tag(r.lang, None, r.lang)}</td>'
            f'<td data-v="{top:.4f}">{self._shares(r.langs)}</td>'
            f'<td data-v="{int(r.multilingual)}">{"<b class=multi>yes</b>" if r.multilingual else "no"}</td>'
            f'<td class="num" data-v="{mt}">{self._badge(r.mt_score)}</td>'
            f"{src_cell}"
            f'<td class="num" data-v="{len(r.blocks) - n_boiler}">{len(r.blocks) - n_boiler}</td>'
            f'<td class="num" data-v="{n_boiler}">{n_boiler}</td></tr>'
        )

    @staticmethod
    def _shares(langs: dict[str, float]) -> str:
        if not langs:
            return '<span class="dim">-</span>'
        label = " · ".join(f"{lang} {share:.0%}" for lang, share in langs.items())
        bar = "".join(
            f'<i style="width:{share * 100:.1f}%;background:{_lang_colour(lang)}"></i>' for lang, share in langs.items()
        )
        text = " ".join(f"{lang} {share:.0%}" for lang, share in list(langs.items())[:3])
        if len(langs) > 3:
            text += f" +{len(langs) - 3}"
        return f'<span class="shares" title="{_esc(label)}"><span class="bar">{bar}</span>{_esc(text)}</span>'

    @staticmethod
    def _badge(score: Optional[float]) -> str:
        if _score(score) is None:
            return '<span class="dim">-</span>'
        h = _hue(score)
        return (f'<span class="badge" style="background:hsl({h},70%,88%);border-color:hsl({h},55%,45%)">'
                f"{score:.2f}</span>")

    @staticmethod
    def _lang_tag(lang: Optional[str], conf: Optional[float], main: Optional[str]) -> str:
        if not lang:
            return '<span class="lang none" title="no letters">–</span>'
        foreign = main is not None and lang != main
        title = lang if conf is None else f"{lang}, confidence {conf:.2f}"
        if foreign:
            title += f" (the page is {main})"
        weak = " weak" if conf is not None and conf < 0.5 else ""
        cls = f"lang{' foreign' if foreign else ''}{weak}"
        style = f' style="background:{_lang_colour(lang)}"' if foreign else ""
        return f'<span class="{cls}" data-lang="{_esc(lang)}" title="{_esc(title)}"{style}>{_esc(lang)}</span>'

    # --- one section per page ----------------------------------------------------------------
    def _section(self, pid: str, r: PageReport) -> str:
        """The page's heading and summary as HTML; its blocks as escaped JSON that the script turns
        into the block list (built with textContent) when the section comes into view, then all
        of them in the background. A 1,000-page run is a third of the size as block HTML."""
        head = f'<h2><a class="up" href="#top" title="back to the overview">↑</a> {_esc(r.path)}</h2>'
        attrs = f'id="{pid}" class="page" data-path="{_esc(r.path)}"'
        if r.error is not None:
            return f'<section {attrs}>{head}<p class="error">could not be read: {_esc(r.error)}</p></section>'
        n_boiler = sum(1 for b in r.blocks if b.kind == BOILERPLATE)
        src = r.source_lang
        meta = [
            f"main language {self._lang_tag(r.lang, None, None)}",
            self._shares(r.langs),
            '<b class="multi">multilingual</b>' if r.multilingual else "one language",
            f"page MT {self._badge(r.mt_score)}",
            f"translated from <b>{_esc(src['lang'])}</b> {src['score']:.2f}" if src and src["lang"] != "en"
            else (f"reads as written in English {src['score']:.2f}" if src else "no source guess"),
            f"{len(r.blocks) - n_boiler} content, {n_boiler} boilerplate blocks",
        ]
        shown = r.blocks[:MAX_BLOCKS_PER_PAGE]
        why = self._evidence(r, shown)
        self._langs.update(b.lang for b in shown if b.lang)
        data = {"b": [self._block(b, why) for b in shown]}
        if len(r.blocks) > len(shown):
            data["more"] = len(r.blocks) - len(shown)
        height = 60 + 24 * len(shown)  # until rendered, so that scrolling and links land about right
        return (f'<section {attrs} data-lang="{_esc(r.lang or "")}" style="contain-intrinsic-size:auto {height}px">'
                f'{head}<div class="pmeta">{"<span class=sep></span>".join(f"<span>{m}</span>" for m in meta)}</div>'
                f'<ol class="blocks"><li class="note">rendering {_fmt_int(len(shown))} blocks…</li></ol>'
                f'<script type="application/json" id="d-{pid}">{script_json(data)}</script></section>')

    def _evidence(self, r: PageReport, blocks) -> dict:
        if self.scanner is None:
            return {}
        from mtdetect.report import explain_page

        english = [b for b in blocks if b.kind != BOILERPLATE and (b.mt_score is not None or b.source_lang)]
        return explain_page(self.scanner, r, english) if english else {}

    @staticmethod
    def _block(b, why: dict) -> list:
        """[lines, boilerplate 0|1, lang, confidence %, MT score, text, evidence, characters cut]."""
        lines = b.line_start if b.line_start == b.line_end else f"{b.line_start}–{b.line_end}"
        text = b.text
        cut = max(0, len(text) - MAX_BLOCK_CHARS)
        evidence: dict = {}
        if why.get(b.index):
            evidence["mt"] = [[n, w] for n, w in why[b.index]]
        if why.get(("source", b.index)) is not None and b.source_lang:
            evidence["src"] = {"lang": b.source_lang["lang"], "score": round(b.source_lang["score"], 3),
                               "why": [[n, w] for n, w in why[("source", b.index)]]}
        mt = None if _score(b.mt_score) is None else round(b.mt_score, 3)
        row = [lines, int(b.kind == BOILERPLATE), b.lang, round(100 * b.lang_score), mt,
               text[:MAX_BLOCK_CHARS] if cut else text]
        if evidence or cut:
            row.append(evidence or 0)
        if cut:
            row.append(cut)
        return row

    # --- the whole file ----------------------------------------------------------------------
    def _histogram(self) -> str:
        w, h, left, bottom, top = 560, 170, 34, 28, 14
        bw = (w - left - 8) / HIST_BINS
        peak = max(self.hist) or 1
        parts = [f'<svg id="hist" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
                 f'aria-label="histogram of page MT scores">']
        scale = (h - bottom - top) / peak
        for tick in sorted({0, peak // 2, peak}):
            y = h - bottom - tick * scale
            parts.append(f'<line x1="{left}" x2="{w - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                         f'<text x="{left - 5}" y="{y + 4:.1f}" class="ax" text-anchor="end">{tick}</text>')
        for i, n in enumerate(self.hist):
            lo = i / HIST_BINS
            x = left + i * bw
            bh = n * scale
            colour = f"hsl({_hue(lo + 0.5 / HIST_BINS)},60%,55%)"
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{h - bottom - bh:.1f}" width="{bw - 2:.1f}" height="{max(bh, 0):.1f}" '
                f'fill="{colour}" data-lo="{lo:.2f}"><title>MT {lo:.2f}–{lo + 1 / HIST_BINS:.2f}: {pages(n)}'
                f"{' (click: only pages from here up)' if n else ''}</title></rect>")
            if n:
                parts.append(f'<text x="{x + bw / 2:.1f}" y="{h - bottom - bh - 3:.1f}" class="ax" '
                             f'text-anchor="middle">{n}</text>')
        for t in (0, 0.25, 0.5, 0.75, 1.0):
            x = left + t * HIST_BINS * bw
            parts.append(f'<text x="{x:.1f}" y="{h - bottom + 15}" class="ax" text-anchor="middle">{t:g}</text>')
        xt = left + PAGE_MT_THRESHOLD * HIST_BINS * bw
        parts.append(f'<line x1="{xt:.1f}" x2="{xt:.1f}" y1="{top - 6}" y2="{h - bottom}" class="thr"/>'
                     f'<text x="{xt + 4:.1f}" y="{top + 2}" class="ax">page threshold {PAGE_MT_THRESHOLD:g}</text>'
                     f'<text x="{w - 8}" y="{h - 2}" class="ax" text-anchor="end">page MT score</text></svg>')
        return "".join(parts)

    def _summary(self) -> str:
        cards = [
            (self.n_pages, "pages scanned"),
            (self.n_multilingual, "multilingual"),
            (self.n_flagged, f"page MT ≥ {PAGE_MT_THRESHOLD:g}"),
            (self.n_no_score, "without an MT score"),
        ]
        if self.n_errors:
            cards.append((self.n_errors, "could not be read"))
        return "".join(f'<div class="card"><b>{_fmt_int(n)}</b>{_esc(label)}</div>' for n, label in cards)

    def render(self) -> str:
        return "".join(self._parts())

    def _parts(self) -> list[str]:
        """The file in pieces (the sections are not joined into one string: less memory)."""
        shown = len(self._rows)
        notice = ""
        if self.n_left_out:
            notice = (
                f'<p class="notice" id="left-out">{_fmt_int(self.n_left_out)} of {_fmt_int(self.n_pages)} pages '
                f"left out: this report shows the first {_fmt_int(shown)} in full, its limit, so that the file "
                f"stays small enough to open in a browser. The counts and the histogram above cover all "
                f"{_fmt_int(self.n_pages)} pages. Scan fewer paths per report (or use "
                f"<code>ReviewReport(max_pages=...)</code>) to see the others.</p>")
        mode = getattr(self.scanner, "mt_model", None)
        scorer = "no MT model" if self.scanner is not None and self.scanner.scorer is None else (
            f"MT model: {mode}" if mode else "")
        from mtdetect import __version__

        meta = " · ".join(x for x in (
            pages(self.n_pages), f"mtdetect {__version__}", scorer,
            time.strftime("%Y-%m-%d %H:%M", time.localtime()),
        ) if x)
        no_scores = "" if sum(self.hist) else '<p class="dim">No page has an MT score (scanned without the MT model, or no English).</p>'
        cols = [("path", "str"), ("lang", "str"), ("languages (share of letters)", "num"), ("multi", "num"),
                ("MT", "num"), ("from", "str"), ("content", "num"), ("boilerplate", "num")]
        thead = "".join(f'<th data-type="{t}" title="sort">{_esc(c)}</th>' for c, t in cols)
        return [
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_esc(self.title)}: {pages(self.n_pages)}</title>",
            f"<style>{_CSS}</style></head>\n<body>",
            f'<header id="top"><h1>{_esc(self.title)}</h1><p class="dim">{_esc(meta)}</p></header>',
            '<section id="overview"><div class="top">',
            f'<div><div class="cards">{self._summary()}</div>{self._histogram()}{no_scores}</div>',
            '<div class="legend"><h3>Reading the blocks</h3>',
            '<p><span class="swatch" style="--h:130"></span><span class="swatch" style="--h:65"></span>'
            '<span class="swatch" style="--h:0"></span> English content, shaded by its MT score '
            "(green: reads as written in English, red: reads as machine-translated). Click a block "
            "(or hover its score) for the evidence: the features that pushed it toward MT or human, "
            "and the n-grams behind its source-language guess.</p>",
            '<p><span class="lang foreign" style="background:#c44e52">ru</span> a block in another language '
            'than the page\'s; <span class="lang">en</span> the page\'s language; a faded tag is an unsure guess.</p>',
            '<p><span class="boilerdemo">grey text</span> boilerplate (menus, sidebars, counters), '
            "kept in the report with its language.</p></div></div>",
            '<div class="filters">',
            '<label><input type="checkbox" id="f-multi"> only multilingual pages</label>',
            '<label>only pages with MT ≥ <input type="number" id="f-mt" min="0" max="1" step="0.05" value="0"></label>',
            '<label><input type="checkbox" id="f-boiler"> hide boilerplate</label>',
            f'<span id="f-count" class="dim">{_fmt_int(shown)} of {_fmt_int(shown)} pages shown</span></div>',
            notice,
            f'<table id="pages"><thead><tr>{thead}</tr></thead><tbody>{"".join(self._rows)}</tbody></table>',
            "</section>\n",
            *(section + "\n" for section in self._sections),
            '<div id="tip" hidden></div>',
            f'<script type="application/json" id="lang-colours">'
            f"{script_json({lang: _lang_colour(lang) for lang in sorted(self._langs)})}</script>",
            f"<script>{_JS}</script></body></html>\n",
        ]

    def write(self, target: Union[str, Path, IO[str]]) -> None:
        """Write to an open text file, or to a path: a temporary file beside it, then renamed, so
        the path never holds half a report."""
        if hasattr(target, "write"):
            target.writelines(self._parts())
            return
        path = Path(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.writelines(self._parts())
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def unwritable(target: Union[str, Path]) -> Optional[str]:
    """Why the report cannot be written to `target`, or None when it can (checked before a scan;
    nothing is created)."""
    path = Path(target)
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        return "is a directory"
    if not parent.is_dir():
        return f"no directory {parent}"
    if not os.access(parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return "permission denied"
    return None


def write_review(reports: Iterable[PageReport], target: Union[str, Path, IO[str]], scanner=None,
                 max_pages: int = DEFAULT_MAX_PAGES) -> ReviewReport:
    """Write the review report of `reports` to a path or an open text file."""
    review = ReviewReport(scanner, max_pages=max_pages).extend(reports)
    review.write(target)
    return review


_CSS = """
:root{--fg:#1f2328;--dim:#6e7781;--line:#d8dee4;--bg:#fff;--soft:#f6f8fa}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0 auto;max-width:1280px;padding:18px 26px 60px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",
 "DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:22px;margin:0 0 2px}h2{font-size:15px;margin:0 0 6px;word-break:break-all}
h3{font-size:13px;margin:0 0 6px;text-transform:uppercase;letter-spacing:.04em;color:var(--dim)}
a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}
.dim{color:var(--dim)}code{font-size:12px;background:var(--soft);padding:1px 4px;border-radius:4px}
header{margin-bottom:12px}
.top{display:flex;gap:28px;flex-wrap:wrap;align-items:flex-start}
.cards{display:flex;gap:10px;margin-bottom:8px;flex-wrap:wrap}
.card{border:1px solid var(--line);border-radius:8px;padding:6px 12px;min-width:96px;color:var(--dim);font-size:12px}
.card b{display:block;font-size:20px;color:var(--fg)}
.legend{flex:1;min-width:300px;max-width:560px;font-size:13px;border-left:3px solid var(--line);padding-left:14px}
.legend p{margin:4px 0 8px}
.swatch{display:inline-block;width:14px;height:14px;border-radius:3px;vertical-align:-2px;margin-right:2px;
 background:hsl(var(--h),75%,92%);border-left:3px solid hsl(var(--h),60%,42%)}
.boilerdemo{color:#8c959f}
#hist .ax{font-size:10px;fill:#57606a}#hist .grid{stroke:#eaeef2}#hist .thr{stroke:#cf222e;stroke-dasharray:4 3}
#hist rect{cursor:pointer}#hist rect:hover{opacity:.75}
.filters{display:flex;gap:22px;align-items:center;flex-wrap:wrap;margin:14px 0 8px;padding:8px 12px;
 background:var(--soft);border-radius:8px}
.filters input[type=number]{width:64px}
.notice{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:8px 12px}
table{border-collapse:collapse;width:100%;font-size:13px}
th{position:sticky;top:0;background:#fff;text-align:left;border-bottom:2px solid var(--line);padding:5px 8px;
 cursor:pointer;user-select:none;white-space:nowrap}
th:hover{background:var(--soft)}th.asc::after{content:" ▲"}th.desc::after{content:" ▼"}
td{border-bottom:1px solid #eaeef2;padding:4px 8px;vertical-align:middle}
td.path{word-break:break-all;max-width:430px}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.err td{color:#cf222e}
.shares{display:inline-flex;align-items:center;gap:6px;white-space:nowrap;font-size:12px}
.bar{display:inline-flex;width:70px;height:9px;border-radius:2px;overflow:hidden;background:#eaeef2}
.bar i{display:block;height:100%}
.badge{display:inline-block;min-width:38px;text-align:center;border:1px solid;border-radius:10px;padding:0 6px;
 font-variant-numeric:tabular-nums;font-size:12px}
.multi{color:#9a6700}
.lang{display:inline-block;min-width:26px;text-align:center;font:600 11px/17px ui-monospace,monospace;
 border-radius:4px;padding:0 4px;background:#eaeef2;color:#424a53}
.lang.foreign{color:#fff;background:var(--lc,#c44e52)}.lang.weak{opacity:.55}.lang.none{background:none;color:#afb8c1}
section.page{margin-top:26px;padding-top:12px;border-top:2px solid var(--line);content-visibility:auto;
 contain-intrinsic-size:auto 900px}
.pmeta{display:flex;flex-wrap:wrap;gap:6px 0;align-items:center;font-size:13px;color:#424a53;margin-bottom:8px}
.pmeta .sep{display:inline-block;width:1px;height:14px;background:var(--line);margin:0 10px}
.up{font-size:13px;color:var(--dim)}
ol.blocks{list-style:none;margin:0;padding:0}
.blk{display:grid;grid-template-columns:58px 38px 1fr 46px;gap:8px;align-items:baseline;padding:3px 8px;
 border-left:3px solid transparent;border-radius:3px;margin:1px 0}
.blk .ln{color:#8c959f;font-size:11px;text-align:right;font-variant-numeric:tabular-nums}
.blk .tx{white-space:pre-wrap;overflow-wrap:anywhere}
.blk .mt{font-size:12px;text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
.blk.boiler .tx{color:#8c959f;font-size:13px}
.blk.foreign{border-left-color:var(--lc,#c44e52);background:color-mix(in srgb,var(--lc,#c44e52) 7%,#fff)}
.blk.boiler .mt{font-weight:400;color:#8c959f}
.blk.boiler.foreign .tx{color:#7d5a5d}
.blk.scored{background:hsl(var(--h),75%,94%);border-left-color:hsl(var(--h),60%,42%)}
.blk.scored .mt{color:hsl(var(--h),70%,30%)}
.blk.why{cursor:pointer}.blk.why:hover,.blk.why:focus{outline:1px solid #afb8c1}
.blk .cut{color:var(--dim);font-style:italic}
li.note{color:var(--dim);font-style:italic;padding:4px 8px}
body.hide-boiler .blk.boiler{display:none}
.ev{grid-column:2/-1;margin:4px 0 6px;padding:8px 10px;background:#fff;border:1px solid var(--line);border-radius:6px;
 font-size:12px;cursor:auto}
.ev h4{margin:0 0 4px;font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--dim)}
.ev .cols{display:flex;gap:32px;flex-wrap:wrap}.ev .col{min-width:220px;max-width:400px}
.ev .f{display:grid;grid-template-columns:minmax(120px,auto) 90px 44px;gap:8px;align-items:center}
.ev .f span:first-child{overflow-wrap:anywhere;font-family:ui-monospace,monospace}
.ev .f i{display:block;height:8px;border-radius:2px}.ev .f b{text-align:right;font-weight:500}
#tip{position:fixed;z-index:10;max-width:520px;pointer-events:none;box-shadow:0 4px 14px rgba(0,0,0,.15)}
#tip .ev{margin:0}
"""

_JS = r"""
(function () {
  "use strict";
  var $ = function (s) { return document.querySelector(s); };
  var all = function (s) { return Array.prototype.slice.call(document.querySelectorAll(s)); };
  var COLOURS = JSON.parse($("#lang-colours").textContent);
  var rows = all("#pages tbody tr"), sections = all("section.page");
  var multi = $("#f-multi"), minMt = $("#f-mt"), boiler = $("#f-boiler"), count = $("#f-count");
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function hue(s) { return Math.round(130 * (1 - Math.min(Math.max(s, 0), 1))); }

  // --- blocks, built from the page's JSON with textContent only ---------------------------------
  function block(b, main) {  // [lines, boilerplate, lang, conf %, MT, text, evidence, cut]
    var boil = b[1] === 1, lang = b[2], mt = b[4], foreign = !!lang && !!main && lang !== main;
    var li = el("li", "blk " + (boil ? "boiler" : "content") + (foreign ? " foreign" : ""));
    li.dataset.kind = boil ? "boilerplate" : "content";
    if (foreign) li.style.setProperty("--lc", COLOURS[lang] || "#c44e52");
    if (mt !== null && !boil) { li.classList.add("scored"); li.style.setProperty("--h", hue(mt)); }
    li.appendChild(el("span", "ln", String(b[0])));
    var tag = el("span", "lang" + (!lang ? " none" : "") + (foreign ? " foreign" : "") +
                 (lang && b[3] < 50 ? " weak" : ""), lang || "\u2013");
    if (lang) { tag.dataset.lang = lang; tag.dataset.c = b[3]; }
    li.appendChild(tag);
    var tx = li.appendChild(el("span", "tx", b[5]));
    if (b[7]) tx.appendChild(el("span", "cut", " \u2026 [" + b[7] + " more characters]"));
    if (mt !== null) li.appendChild(el("span", "mt" + (boil ? " dim" : ""), mt.toFixed(2)));
    if (b[6]) { li._why = b[6]; li._why.score = mt; li.classList.add("why"); li.tabIndex = 0; }
    return li;
  }
  function render(sec) {
    if (sec._done) return;
    sec._done = true;
    var data = document.getElementById("d-" + sec.id);
    if (!data) return;
    var page = JSON.parse(data.textContent), main = sec.dataset.lang, ol = sec.querySelector("ol.blocks");
    var frag = document.createDocumentFragment();
    page.b.forEach(function (b) { frag.appendChild(block(b, main)); });
    if (page.more) frag.appendChild(el("li", "note", page.more + " more blocks left out (at most " +
                                       page.b.length + " blocks per page)"));
    if (!page.b.length) frag.appendChild(el("li", "note", "no blocks"));
    ol.textContent = "";
    ol.appendChild(frag);
  }
  // What comes into view first, then the rest in slices that leave the page responsive.
  if ("IntersectionObserver" in window) {
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { if (e.isIntersecting) { render(e.target); io.unobserve(e.target); } });
    }, { rootMargin: "1500px 0px" });
    sections.forEach(function (s) { io.observe(s); });
  }
  var next = 0;
  function background() {
    var t0 = performance.now();
    while (next < sections.length && performance.now() - t0 < 40) render(sections[next++]);
    if (next < sections.length) setTimeout(background, 0);
    else document.documentElement.dataset.rendered = "all";
  }
  addEventListener("hashchange", function () {
    var s = document.getElementById(location.hash.slice(1));
    if (s && s.classList.contains("page")) render(s);
  });

  // --- filters and sorting ----------------------------------------------------------------------
  function apply() {
    var m = multi.checked, t = parseFloat(minMt.value) || 0, n = 0;
    rows.forEach(function (r) {
      var mt = r.dataset.mt === "" ? null : parseFloat(r.dataset.mt);
      var ok = (!m || r.dataset.multi === "1") && (t <= 0 || (mt !== null && mt >= t));
      r.hidden = !ok;
      var s = document.getElementById(r.dataset.page);
      if (s) s.hidden = !ok;
      if (ok) n++;
    });
    count.textContent = n.toLocaleString("en") + " of " + rows.length.toLocaleString("en") + " pages shown";
    document.body.classList.toggle("hide-boiler", boiler.checked);
  }
  [multi, minMt, boiler].forEach(function (e) { e.addEventListener("input", apply); e.addEventListener("change", apply); });
  all("#hist rect").forEach(function (bar) {
    bar.addEventListener("click", function () { minMt.value = bar.dataset.lo; apply(); });
  });
  var ths = all("#pages thead th");
  ths.forEach(function (th, i) {
    th.addEventListener("click", function () {
      var desc = !th.classList.contains("desc") && (th.classList.contains("asc") || th.dataset.type === "num");
      ths.forEach(function (o) { o.classList.remove("asc", "desc"); });
      th.classList.add(desc ? "desc" : "asc");
      var num = th.dataset.type === "num", sign = desc ? -1 : 1;
      var key = function (r) { var c = r.cells[Math.min(i, r.cells.length - 1)]; return c ? c.dataset.v || "" : ""; };
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (num) {
          if (x === "" || y === "") return (x === "") - (y === "");  // pages without a value last
          return sign * (parseFloat(x) - parseFloat(y));
        }
        return sign * x.localeCompare(y);
      });
      var body = $("#pages tbody");
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });

  // --- the evidence behind a block: click to pin, hover its score for a glance -------------------
  function feats(title, items, colour, scale) {
    var col = el("div", "col");
    col.appendChild(el("h4", null, title));
    if (!items.length) col.appendChild(el("div", "dim", "none"));
    items.forEach(function (f) {
      var row = el("div", "f"), bar = el("i");
      row.appendChild(el("span", null, f[0]));
      bar.style.width = Math.max(2, Math.round(90 * Math.abs(f[1]) / scale)) + "px";
      bar.style.background = colour;
      row.appendChild(bar);
      row.appendChild(el("b", null, (f[1] > 0 ? "+" : "") + f[1].toFixed(2)));
      col.appendChild(row);
    });
    return col;
  }
  function evidence(blk) {
    var w = blk._why, box = el("div", "ev"), cols = el("div", "cols");
    var mt = w.mt || [], scale = 0.01;
    mt.forEach(function (f) { scale = Math.max(scale, Math.abs(f[1])); });
    if (w.mt) {
      cols.appendChild(feats("toward MT", mt.filter(function (f) { return f[1] > 0; }), "#cf222e", scale));
      cols.appendChild(feats("toward human", mt.filter(function (f) { return f[1] <= 0; }), "#1a7f37", scale));
    }
    if (w.src) {
      var s = w.src, sc = 0.01;
      s.why.forEach(function (f) { sc = Math.max(sc, Math.abs(f[1])); });
      var t = s.lang === "en" ? "reads as written in English (" + s.score.toFixed(2) + ")"
                              : "translated from " + s.lang + " (" + s.score.toFixed(2) + ")";
      cols.appendChild(feats(t, s.why, "#8250df", sc));
    }
    box.appendChild(cols);
    box.addEventListener("click", function (e) { e.stopPropagation(); });
    return box;
  }
  var tip = $("#tip");
  document.addEventListener("click", function (e) {
    var blk = e.target.closest ? e.target.closest(".blk.why") : null;
    if (!blk || e.target.closest("a")) return;
    var open = blk.querySelector(".ev");
    if (open) { open.remove(); return; }
    blk.appendChild(evidence(blk));
    tip.hidden = true;
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.matches && e.target.matches(".blk.why")) e.target.click();
  });
  document.addEventListener("mouseover", function (e) {
    var t = e.target;
    if (t.classList && t.classList.contains("lang") && t.dataset.c && !t.title) {
      var sec = t.closest("section.page"), main = sec ? sec.dataset.lang : "";
      t.title = t.dataset.lang + ", confidence " + (t.dataset.c / 100).toFixed(2) +
                (main && t.dataset.lang !== main ? " (the page is " + main + ")" : "");
    }
    if (t.classList && t.classList.contains("ln") && !t.title) {
      t.title = t.parentNode.dataset.kind + ", line " + t.textContent;
    }
    var pill = t.closest ? t.closest(".blk.why .mt") : null;
    if (!pill) { tip.hidden = true; return; }
    var blk = pill.parentNode;
    if (blk.querySelector(".ev")) return;
    tip.textContent = "";
    tip.appendChild(evidence(blk));
    var r = pill.getBoundingClientRect();
    tip.hidden = false;
    tip.style.left = Math.max(8, r.right - tip.offsetWidth) + "px";
    var below = r.bottom + 6;
    tip.style.top = (below + tip.offsetHeight > window.innerHeight ? r.top - tip.offsetHeight - 6 : below) + "px";
  });

  apply();
  if (location.hash) { var h = document.getElementById(location.hash.slice(1)); if (h && h._done === undefined && h.classList.contains("page")) render(h); }
  document.documentElement.dataset.ready = String(Math.round(performance.now()));
  setTimeout(background, 0);
})();
"""
