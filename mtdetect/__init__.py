"""mtdetect: find translation artifacts and mixed-language content in web pages.

    from mtdetect import Scanner
    report = Scanner().scan_file("page.html")
    report.lang, report.langs, report.multilingual, report.mt_score
    for block in report.blocks: block.kind, block.lang, block.lang_score, block.mt_score
"""

__version__ = "0.1.0"

from mtdetect.document import Block, PageReport  # noqa: E402
from mtdetect.scan import Scanner, scan_paths  # noqa: E402

__all__ = ["Block", "PageReport", "Scanner", "scan_paths", "__version__"]
