"""The scan pipeline: read -> segment -> language per block -> content/boilerplate ->
MT score per English block -> page summary.

`Scanner` loads the models once and is reused for every page; the CLI, the filter pass and the
engine integrations all go through it, so a page gets the same report whichever way it comes in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from mtdetect.document import Block, PageReport
from mtdetect.langid import LanguageIdentifier
from mtdetect.read import InputError, Page, ReadError, iter_input_files, looks_like_html, read_page
from mtdetect.segment import segment
from mtdetect.segment.boilerplate import classify_blocks
from mtdetect.summary import summarize_languages


class Scanner:
    """Turns pages into `PageReport`s.

    mt: score English blocks for machine translation (the shipped models, or `model_dir`).
    mt_model: "fast" (n-gram scorer), "accurate" (n-gram and encoder stacked on every page) or
        "cascade" (the encoder only on pages the fast scorer leaves unsure); `mtdetect/mt/combine.py`.
    source: guess the language English blocks were translated from (`mtdetect.source`).
    """

    def __init__(
        self,
        mt: bool = True,
        model_dir: Optional[Union[str, Path]] = None,
        identifier: Optional[LanguageIdentifier] = None,
        source: bool = True,
        mt_model: str = "fast",
    ):
        from mtdetect.mt.modes import MT_MODES

        if mt_model not in MT_MODES:
            raise ValueError(f"mt_model must be one of {', '.join(MT_MODES)}, not {mt_model!r}")
        self.mt_model = mt_model
        self.identifier = identifier or LanguageIdentifier()
        self.guesser = None
        if source:
            from mtdetect.source import SourceGuesser

            self.guesser = SourceGuesser.load()
        self.scorer = None
        if mt:
            from mtdetect.mt.combine import MTStage  # the MT models are only loaded when asked for

            self.scorer = MTStage.load(mt_model, model_dir)

    # --- one page -------------------------------------------------------------------------
    def scan_text(self, text: str, path: str = "<text>", html: Optional[bool] = None) -> PageReport:
        """Scan a page given as a string; `html=None` sniffs HTML from the content."""
        is_html = looks_like_html(path, text) if html is None else html
        return self._scan_blocks(path, segment(text, is_html))

    def scan_page(self, page: Page) -> PageReport:
        return self._scan_blocks(page.path, segment(page.text, page.is_html))

    def scan_file(self, path: Union[str, Path], html: Optional[bool] = None) -> PageReport:
        """Scan one file ('-' for stdin). Unreadable input gives a report with `error` set."""
        try:
            page = read_page(path, html=html)
        except ReadError as err:
            return PageReport(path=str(path) if str(path) != "-" else "<stdin>", error=str(err))
        return self.scan_page(page)

    def scan_paths(self, paths: Iterable[Union[str, Path]], html: Optional[bool] = None) -> Iterator[PageReport]:
        """Every page under `paths` (files, directories recursively, '-'), in order."""
        for item in iter_input_files(paths):
            if isinstance(item, InputError):
                yield PageReport(path=item.path, error=item.error)
            else:
                yield self.scan_file(item, html=html)

    # --- many pages at once ----------------------------------------------------------------
    def scan_texts(self, texts: Iterable[str], paths: Optional[Iterable[str]] = None,
                   html: Optional[bool] = None) -> list[PageReport]:
        """Scan a batch of pages given as strings: the same reports as `scan_text` one by one,
        with the MT scorers called once for the whole batch (the filter pass's chunks)."""
        texts = list(texts)
        paths = list(paths) if paths is not None else [f"<text {i}>" for i in range(len(texts))]
        reports = []
        for text, path in zip(texts, paths):
            is_html = looks_like_html(path, text) if html is None else html
            reports.append(self._language_and_content(path, segment(text, is_html)))
        self._score(reports)
        return reports

    # --- the stages -----------------------------------------------------------------------
    def _scan_blocks(self, path: str, blocks: list[Block]) -> PageReport:
        report = self._language_and_content(path, blocks)
        self._score([report])
        return report

    def _language_and_content(self, path: str, blocks: list[Block]) -> PageReport:
        for block, (lang, score) in zip(blocks, self.identifier.identify([b.text for b in blocks])):
            block.lang, block.lang_score = lang, score
        classify_blocks(blocks)
        report = PageReport(path=path, blocks=blocks)
        report.lang, report.langs, report.multilingual = summarize_languages(blocks)
        return report

    def _score(self, reports: list[PageReport]) -> None:
        if self.scorer is not None:
            self.scorer.score_pages(reports)  # mtdetect/mt/combine.py decides block and page scores
        if self.guesser is not None:
            for report in reports:
                self._guess_source(report)


    def _guess_source(self, report: PageReport) -> None:
        """Per English block long enough, and for the page from its English content blocks
        (all English blocks when none is content), the language it was translated from: `en`
        unless the page MT score (when MT is on) or the guesser's own confidence says it is a
        translation (`mtdetect.source.page.guess_page`)."""
        from mtdetect.source.page import guess_page

        report.source_lang = guess_page(self.guesser, report.blocks,
                                        report.mt_score if self.scorer is not None else None)


def scan_paths(paths: Iterable[Union[str, Path]], mt: bool = True) -> list[PageReport]:
    """Convenience: scan files and directories with a fresh Scanner."""
    return list(Scanner(mt=mt).scan_paths(paths))
