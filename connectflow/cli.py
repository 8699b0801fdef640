"""Command line: parse options, call the core, print, exit. No logic lives here.

Exit codes: 0 clean, 1 findings (or changes, for ``patch --check``), 2 bad
input, usage or configuration, 3 an internal error (a bug: please report it).
Heavy modules (networkx, deepdiff, rich, pydantic models) are imported inside
the commands so that ``connectflow --help`` starts fast.
"""

from __future__ import annotations

import os
import sys

import click

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class InputError(click.ClickException):
    """A one-line problem with the user's input; exits 2."""

    exit_code = EXIT_INPUT

    def show(self, file=None) -> None:
        click.echo(f"connectflow: error: {self.format_message()}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="connectflow")
def cli() -> None:
    """Lint and patch Cisco Webex Connect flow files before they are uploaded."""


@cli.command()
@click.argument("flow", type=click.Path(dir_okay=False))
def show(flow: str) -> None:
    """Summarize FLOW: trigger, start conditions, nodes and where each event goes."""
    from connectflow.load import LoadError, load_source
    from connectflow.show import render_show

    try:
        source = load_source(flow)
    except LoadError as err:
        raise InputError(str(err)) from None
    render_show(source)


def main() -> None:
    try:
        cli.main(prog_name="connectflow", standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as err:  # a bug: one line, not a traceback, unless asked for
        if os.environ.get("CONNECTFLOW_DEBUG"):
            raise
        click.echo(f"connectflow: internal error: {type(err).__name__}: {err} "
                   "(set CONNECTFLOW_DEBUG=1 for a traceback)", err=True)
        sys.exit(EXIT_INTERNAL)
