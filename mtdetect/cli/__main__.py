"""`python -m mtdetect.cli` is the `mtdetect` command (for environments without the script)."""

from mtdetect.cli import main

main()
