"""mtdetect as a datatrove filter step.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from mtdetect.integrations.datatrove import MTDetectFilter

    LocalPipelineExecutor(pipeline=[
        JsonlReader("crawl/"),
        MTDetectFilter(keep_langs=["en"], max_mt=0.5, max_foreign=0.2,
                       exclusion_writer=JsonlWriter("dropped/")),
        JsonlWriter("kept/"),
    ], tasks=4).run()

Each document gets ``doc.metadata["mtdetect"]``: the same summary `mtdetect filter` writes
(lang, langs, multilingual, mt_score), judged by the same `mtdetect.filter.decide`. A dropped
document also gets ``doc.metadata["mtdetect_reason"]`` (the full reason, as in the CLI's
rejects), and datatrove's own ``filter_reason`` / ``dropped_<rule>`` statistics get the rule
name only (lang, foreign, mt_score, empty): the full reason holds the measured value, and
datatrove would open one statistics counter per distinct value.
"""

from __future__ import annotations

from typing import Optional, Sequence, Union

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from mtdetect.filter import ANNOTATION_KEY, MAX_SCAN_CHARS, FilterOptions, FilterRules, evaluate_text, reason_rule
from mtdetect.mt.modes import DEFAULT_FILTER_MODE

REASON_METADATA_KEY = "mtdetect_reason"


class MTDetectFilter(BaseFilter):
    """Keeps documents by main language, foreign-language share and MT score.

    Args:
        keep_langs: main languages to keep (ISO 639-1); None or empty for any
        max_mt: drop documents whose MT score is above this
        max_foreign: drop documents whose share of letters outside the kept languages is above
            this (see `mtdetect.filter` for the exact definition)
        mt: score machine translation (needs the MT model); False is faster
        model_dir: MT model directory (default: the shipped model)
        mt_model: "fast" (n-gram scorer), "accurate" (n-gram + encoder stacked) or "cascade"
            (encoder only on pages the fast scorer leaves unsure)
        source: guess the source language (False: faster, source_lang null)
        max_chars: scan at most this many characters of a document (the summary then says
            "truncated": true)
        html: the document text is HTML
        blocks: also store the blocks in the metadata
        label_only: only annotate, drop nothing
        exclusion_writer: receives the dropped documents
    """

    name = "🈂 mtdetect"

    def __init__(
        self,
        keep_langs: Optional[Union[str, Sequence[str]]] = None,
        max_mt: Optional[float] = None,
        max_foreign: Optional[float] = None,
        drop_source_langs: Sequence[str] = (),
        mt: bool = True,
        model_dir: Optional[str] = None,
        mt_model: str = DEFAULT_FILTER_MODE,
        source: bool = True,
        max_chars: int = MAX_SCAN_CHARS,
        html: bool = False,
        blocks: bool = False,
        label_only: bool = False,
        exclusion_writer: DiskWriter = None,
    ):
        super().__init__(exclusion_writer)
        self.rules = FilterRules(keep_langs=tuple([keep_langs] if isinstance(keep_langs, str) else keep_langs or ()),
                                 max_mt=max_mt, max_foreign=max_foreign,
                                 drop_source_langs=tuple(drop_source_langs))
        if max_mt is not None and not mt:
            raise ValueError("max_mt needs the MT scores: set mt=True")
        self.options = FilterOptions(rules=self.rules, html=html, blocks=blocks, label_only=label_only,
                                     mt=mt, model_dir=model_dir, mt_model=mt_model, source=source,
                                     max_chars=max_chars)
        self.label_only = label_only
        # Loaded on first use, in the worker that runs the task: the step itself is pickled to
        # the workers and should stay small (as datatrove's fastText filters do).
        self._scanner = None

    @property
    def scanner(self):
        if self._scanner is None:
            self._scanner = self.options.make_scanner()
        return self._scanner

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_scanner"] = None  # never ship a loaded model to another process
        return state

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        summary, reason = evaluate_text(
            self.scanner, doc.text or "", self.rules,
            html=self.options.html, blocks=self.options.blocks, label_only=self.label_only,
            max_chars=self.options.max_chars,
        )
        doc.metadata[ANNOTATION_KEY] = summary
        if reason is None:
            return True
        doc.metadata[REASON_METADATA_KEY] = reason
        return False, reason_rule(reason)
