"""mtdetect: find translation artifacts and mixed-language content in web pages.

    from mtdetect import Scanner
    report = Scanner().scan_file("page.html")
    report.lang, report.langs, report.multilingual, report.mt_score
    for block in report.blocks: block.kind, block.lang, block.lang_score, block.mt_score
"""

__version__ = "0.1.0"

__all__ = ["Block", "PageReport", "Scanner", "scan_paths", "__version__"]


def __getattr__(name):
    # Lazy: `import mtdetect` (and the CLI's --help) should not load the language models.
    if name in ("Block", "PageReport"):
        from mtdetect import document

        return getattr(document, name)
    if name in ("Scanner", "scan_paths"):
        from mtdetect import scan

        return getattr(scan, name)
    raise AttributeError(f"module 'mtdetect' has no attribute {name!r}")
