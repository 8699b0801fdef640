"""Text output: grouped by file, one line a finding, colours on a terminal."""

from __future__ import annotations

import io
import os
import sys
from collections import Counter
from itertools import groupby

from rich.console import Console
from rich.markup import escape

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render(result, registry, *, statistics: bool = False, color: bool | None = None) -> str:
    buffer = io.StringIO()
    if color is None:  # rendered into a buffer, so ask about the real stdout
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    console = Console(file=buffer, force_terminal=color, no_color=not color, highlight=False,
                      color_system="standard" if color else None, width=200, soft_wrap=True)
    findings = sorted(result.findings, key=lambda f: f.sort_key)
    for path, group in groupby(findings, key=lambda f: f.path):
        console.print(f"[bold underline]{escape(path)}[/]")
        for f in group:
            where = f"{f.line}:{f.column}" if f.line else "-"
            node = f" [dim]{escape(f.node_label or '')} ({f.node_id})[/]" if f.node_id else ""
            console.print(f"  {where:>9}  [{STYLE[f.severity.value]}]{f.severity.value:<7}[/] "
                          f"[bold]{f.rule}[/]{node} {escape(f.message)}")
            if f.fix:
                console.print(f"  {'':>9}  [dim]fix: {escape(f.fix)}[/]")
        console.print()
    if statistics and findings:
        console.print("[bold]Statistics[/]")
        for rule_id, count in sorted(Counter(f.rule for f in findings).items()):
            rule = registry.get(rule_id)
            console.print(f"  {count:>5}  {rule_id}  {rule.name if rule else 'unreadable-flow'}")
        console.print()
    counts = Counter(f.severity.value for f in findings)
    flows = f"{result.files} flow{'s' if result.files != 1 else ''}"
    if findings:
        summary = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
                            for s in ("error", "warning", "info") if counts[s])
        console.print(f"{flows} checked: {summary}.")
    else:
        console.print(f"{flows} checked: no findings.")
    return buffer.getvalue().rstrip("\n")
