"""The MT scoring modes, named in one place (no model imports: the CLI and the filter options
read these without loading a model).

- fast: the hashed n-gram scorer alone (thousands of paragraphs/s on one core).
- accurate: the n-gram scorer and the fine-tuned encoder, their logits stacked, on every page.
- cascade: the n-gram scorer on every page; the encoder only on the pages it leaves unsure.
"""

MT_MODES = ("fast", "accurate", "cascade")
DEFAULT_FILTER_MODE = "fast"  # a filtering pass over millions of documents: throughput first
DEFAULT_SCAN_MODE = "fast"
