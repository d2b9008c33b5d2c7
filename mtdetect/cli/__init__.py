"""The `mtdetect` command: a thin layer over the library, one module per command."""

from __future__ import annotations

import click

from mtdetect import __version__
from mtdetect.cli.filter import filter_command
from mtdetect.cli.relate import relate_command
from mtdetect.cli.scan import scan_command

EXIT_CODES_HELP = """Exit codes: 0 success; 1 some input could not be read or was malformed (the rest
was still processed; one line per problem on stderr); 2 usage error."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="mtdetect")
def main() -> None:
    """Find machine-translated English and mixed-language content in web pages."""


main.add_command(scan_command, "scan")
main.add_command(filter_command, "filter")
main.add_command(relate_command, "relate")
