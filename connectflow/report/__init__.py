"""Output formats, one module each, picked by name.

Every module has ``render(result, registry, *, statistics, color, **options) -> str``.
``connectflow lint`` may write several in one run (``--format github --format
sarif=report.sarif``); ``outputs`` parses those specs and ``emit`` writes them.
"""

from __future__ import annotations

import os
from importlib import import_module

FORMATS = {
    "text": "connectflow.report.text",
    "json": "connectflow.report.json_",
    "sarif": "connectflow.report.sarif",
    "github": "connectflow.report.github",
    "junit": "connectflow.report.junit",
    "gitlab": "connectflow.report.gitlab",
    "markdown": "connectflow.report.markdown",
}
# The formats that print a finding's fingerprint, made from its stable pointer: a run whose
# outputs are all others (and that reads no baseline nor profile) need not work them out.
FINGERPRINTED = frozenset({"sarif", "gitlab"})


class OutputError(Exception):
    """A --format or --output-file that cannot be honoured; ``str()`` says which."""


def render(name: str, result, registry, *, statistics: bool = False, color: bool | None = None, **options) -> str:
    return import_module(FORMATS[name]).render(result, registry, statistics=statistics, color=color, **options)


def outputs(specs: tuple[str, ...] | list[str], output_file: str | None) -> list[tuple[str, str | None]]:
    """``["github", "sarif=report.sarif"]`` -> ``[("github", None), ("sarif", "report.sarif")]``.
    A format without ``=path`` goes to ``output_file`` (stdout when None); at most one may."""
    chosen = []
    for spec in specs or ("text",):
        name, has_path, path = spec.partition("=")
        name = name.strip().lower()
        if name not in FORMATS:
            raise OutputError(f"--format {spec!r}: unknown format (choose from {', '.join(FORMATS)})")
        if has_path and not path:
            raise OutputError(f"--format {spec!r}: no file after '='")
        chosen.append((name, path if has_path else output_file))
    to_default = [name for name, path in chosen if path == output_file]
    if len(to_default) > 1:
        where = output_file or "stdout"
        raise OutputError(f"formats {', '.join(to_default)} would all go to {where}: give each but one a file "
                          "(--format NAME=FILE)")
    targets = [os.path.abspath(path) for _, path in chosen if path]
    if len(set(targets)) != len(targets):
        raise OutputError("two formats name the same output file")
    return chosen


def emit(chosen: list[tuple[str, str | None]], result, registry, *, statistics: bool = False,
         color: bool | None = None, echo, **options) -> None:
    """Render each format; files are written atomically, the rest goes to ``echo``."""
    for name, path in chosen:
        if path is None:
            echo(render(name, result, registry, statistics=statistics, color=color, **options))
            continue
        from connectflow.patch.write import write_atomic

        text = render(name, result, registry, statistics=statistics, color=False, **{"width": 80, **options})
        try:
            write_atomic(path, (text + "\n").encode("utf-8"))
        except OSError as err:
            raise OutputError(f"{path}: cannot write the {name} report: {err.strerror or err}") from None
