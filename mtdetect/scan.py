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

ENGLISH = "en"


class Scanner:
    """Turns pages into `PageReport`s.

    mt: score English blocks for machine translation (needs the shipped model, or `model_dir`).
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
            from mtdetect.mt import MTScorer  # the MT model is only loaded when asked for

            self.scorer = MTScorer.load(model_dir) if model_dir else MTScorer.load()

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

    # --- the stages -----------------------------------------------------------------------
    def _scan_blocks(self, path: str, blocks: list[Block]) -> PageReport:
        for block, (lang, score) in zip(blocks, self.identifier.identify([b.text for b in blocks])):
            block.lang, block.lang_score = lang, score
        classify_blocks(blocks)
        report = PageReport(path=path, blocks=blocks)
        report.lang, report.langs, report.multilingual = summarize_languages(blocks)
        if self.scorer is not None:
            self._score_mt(report)
        if self.guesser is not None:
            self._guess_source(report)
        return report

    def _score_mt(self, report: PageReport) -> None:
        from mtdetect.mt import pool_page_score

        english = [b for b in report.blocks if b.lang == ENGLISH]
        for block, score in zip(english, self.scorer.score([b.text for b in english])):
            block.mt_score = score
        # The page is pooled with the coefficients fitted with the model that scored its blocks.
        report.mt_score = pool_page_score(report.blocks, self.scorer.pooling)


    def _guess_source(self, report: PageReport) -> None:
        """Per English block long enough, and for the page from its English content blocks
        (all English blocks when none is content), the language it was translated from."""
        english = [b for b in report.blocks if b.lang == ENGLISH and self.guesser.long_enough(b.text)]
        if not english:
            return
        logp = self.guesser.log_proba([b.text for b in english])
        for block, row in zip(english, logp):
            guess = self.guesser.guess(row)
            block.source_lang = {"lang": guess["lang"], "score": guess["score"]}
        chosen = [i for i, b in enumerate(english) if b.kind == "content"] or list(range(len(english)))
        report.source_lang = self.guesser.pool([english[i].text for i in chosen], logp[chosen])


def scan_paths(paths: Iterable[Union[str, Path]], mt: bool = True) -> list[PageReport]:
    """Convenience: scan files and directories with a fresh Scanner."""
    return list(Scanner(mt=mt).scan_paths(paths))
