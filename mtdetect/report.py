"""Reports for people (rich tables) and for programs (JSON, JSONL) from `PageReport`s."""

from __future__ import annotations

import json
from typing import IO, Iterable, Optional, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mtdetect.document import BOILERPLATE, PageReport

FORMATS = ("table", "json", "jsonl")


def format_langs(langs: dict[str, float], top: int = 3) -> str:
    parts = [f"{lang} {share:.0%}" for lang, share in list(langs.items())[:top]]
    if len(langs) > top:
        parts.append(f"+{len(langs) - top}")
    return " ".join(parts)


def format_score(score: Optional[float]) -> str:
    return "-" if score is None else f"{score:.2f}"


def format_source(guess: Optional[dict]) -> str:
    """'ru 0.74' for a guess, '-' for none."""
    return "-" if not guess else f"{guess['lang']} {guess['score']:.2f}"


def _mt_style(score: Optional[float]) -> str:
    if score is None:
        return "dim"
    return "bold red" if score >= 0.5 else "green"


def page_table(reports: Sequence[PageReport]) -> Table:
    table = Table(title="mtdetect scan", header_style="bold")
    table.add_column("path", overflow="fold")
    table.add_column("lang")
    table.add_column("languages (share of letters)")
    table.add_column("multi")
    table.add_column("MT", justify="right")
    table.add_column("from")
    table.add_column("content", justify="right")
    table.add_column("boilerplate", justify="right")
    for r in reports:
        if r.error is not None:
            table.add_row(r.path, Text(f"error: {r.error}", style="red"), "", "", "", "", "", "")
            continue
        n_boiler = sum(1 for b in r.blocks if b.kind == BOILERPLATE)
        table.add_row(
            r.path,
            r.lang or "-",
            format_langs(r.langs),
            Text("yes", style="bold yellow") if r.multilingual else "no",
            Text(format_score(r.mt_score), style=_mt_style(r.mt_score)),
            format_source(r.source_lang),
            str(len(r.blocks) - n_boiler),
            str(n_boiler),
        )
    return table


def blocks_table(report: PageReport, explanations: Optional[dict[int, list]] = None) -> Table:
    title = (
        f"{report.path}  lang={report.lang or '-'}  [{format_langs(report.langs)}]"
        f"  multilingual={'yes' if report.multilingual else 'no'}  MT={format_score(report.mt_score)}"
        f"  from={format_source(report.source_lang)}"
    )
    table = Table(title=title, header_style="bold", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("lines")
    table.add_column("kind")
    table.add_column("lang")
    table.add_column("conf", justify="right")
    table.add_column("MT", justify="right")
    table.add_column("from")
    table.add_column("text", overflow="fold", ratio=1)
    for b in report.blocks:
        lines = str(b.line_start) if b.line_start == b.line_end else f"{b.line_start}-{b.line_end}"
        text = b.text if len(b.text) <= 160 else b.text[:157] + "..."
        cell = Text(text, style="dim" if b.kind == BOILERPLATE else "")
        for label, key in (("why", b.index), ("from", ("source", b.index))):
            if explanations and explanations.get(key):
                why = ", ".join(f"{name} {weight:+.2f}" for name, weight in explanations[key])
                cell.append(f"\n  {label}: {why}", style="cyan")
        table.add_row(
            str(b.index),
            lines,
            Text(b.kind, style="dim" if b.kind == BOILERPLATE else "bold"),
            b.lang or "-",
            f"{b.lang_score:.2f}",
            Text(format_score(b.mt_score), style=_mt_style(b.mt_score)),
            format_source(b.source_lang),
            cell,
        )
    return table


def print_tables(
    reports: Sequence[PageReport],
    console: Console,
    blocks: bool = False,
    explanations: Optional[dict[str, dict[int, list]]] = None,
) -> None:
    if not blocks:
        console.print(page_table(reports))
        return
    for r in reports:
        if r.error is not None:
            console.print(Text(f"{r.path}: error: {r.error}", style="red"))
        else:
            console.print(blocks_table(r, (explanations or {}).get(r.path)))


def explain_page(scanner, report: PageReport, blocks: Optional[Iterable] = None) -> dict:
    """The `--explain` evidence for one page's blocks (all of them, or `blocks`):
    {block.index: [(feature, weight)], ("source", block.index): [(n-gram, weight)]}.

    MT features for every block with an MT score (when the scanner's MT model can explain),
    source-language n-grams for every block with a source guess.
    """
    blocks = report.blocks if blocks is None else list(blocks)
    why: dict = {}
    explain = getattr(scanner.scorer, "explain", None) if scanner.scorer is not None else None
    if explain is not None:
        why.update({b.index: explain(b.text) for b in blocks if b.mt_score is not None})
    if scanner.guesser is not None:
        why.update({("source", b.index): scanner.guesser.explain(b.text, b.source_lang["lang"], k=4)
                    for b in blocks if b.source_lang})
    return why


def write_json(reports: Iterable[PageReport], out: IO[str], blocks: bool = True) -> None:
    json.dump([r.to_dict(blocks=blocks) for r in reports], out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(reports: Iterable[PageReport], out: IO[str], blocks: bool = True) -> None:
    for r in reports:
        out.write(json.dumps(r.to_dict(blocks=blocks), ensure_ascii=False) + "\n")
