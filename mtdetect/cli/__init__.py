"""The `mtdetect` command: a thin layer over the library, one module per command.

Commands are imported only when run (click's documented lazy-group pattern), so `--help` and
`scan` do not pay for the libraries that `relate` or `train` need.
"""

from __future__ import annotations

import importlib

import click

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


@click.group(cls=LazyGroup, lazy_commands=COMMANDS, epilog=EXIT_CODES_HELP,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mtdetect")
def main() -> None:
    """Find machine-translated English and mixed-language content in web pages."""
