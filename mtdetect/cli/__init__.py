"""The `mtdetect` command: a thin layer over the library, one module per command.

Commands are imported only when run (click's documented lazy-group pattern), so `--help` and
`scan` do not pay for the libraries that `relate` or `train` need: `mtdetect --help` lists the
commands from COMMAND_HELP without importing any of them (click's own listing imports every
command for its help line, and `relate` alone pulls in datasketch and scipy: seconds).
"""

from __future__ import annotations

import importlib

import click
from click.utils import make_default_short_help

from mtdetect import __version__

EXIT_CODES_HELP = """Exit codes: 0 success; 1 some input could not be read or was malformed (the rest
was still processed; one line per problem on stderr); 2 usage error."""

# command name -> "module:attribute"
COMMANDS = {
    "scan": "mtdetect.cli.scan:scan_command",
    "filter": "mtdetect.cli.filter:filter_command",
    "relate": "mtdetect.cli.relate:relate_command",
    "train": "mtdetect.cli.mt:train_command",
    "eval": "mtdetect.cli.mt:eval_command",
}

# The one-line help of each command, as `mtdetect --help` lists it (kept equal to the first line of
# each command's docstring; a mismatch only changes the listing, never a command).
COMMAND_HELP = {
    "scan": "Split pages into blocks, find each block's language and MT score, report per file.",
    "filter": "Annotate JSONL records with their languages and MT score; keep or drop them by rule.",
    "relate": "Find pages that copy, excerpt or paraphrase each other.",
    "train": "Train a model.",
    "eval": "ROC AUC of the MT scorer on a labelled corpus, at paragraph and document level.",
}


class LazyGroup(click.Group):
    def __init__(self, *args, lazy_commands: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(self.lazy_commands))

    def get_command(self, ctx, name):
        if name in self.lazy_commands:
            module, attr = self.lazy_commands[name].split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)

    def format_commands(self, ctx, formatter):
        """The command list of `--help`, without importing the commands."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            text = COMMAND_HELP.get(name)
            if text is None:
                cmd = self.get_command(ctx, name)
                if cmd is None or cmd.hidden:
                    continue
                text = cmd.get_short_help_str(limit)
            else:
                text = make_default_short_help(text, limit)
            rows.append((name, text))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, lazy_commands=COMMANDS, epilog=EXIT_CODES_HELP,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mtdetect")
def main() -> None:
    """Find machine-translated English and mixed-language content in web pages."""
