"""Output formats, one module each, picked by name."""

from __future__ import annotations

from importlib import import_module

FORMATS = {
    "text": "connectflow.report.text",
    "json": "connectflow.report.json_",
    "sarif": "connectflow.report.sarif",
    "github": "connectflow.report.github",
}


def render(name: str, result, registry, *, statistics: bool = False, color: bool | None = None) -> str:
    return import_module(FORMATS[name]).render(result, registry, statistics=statistics, color=color)
