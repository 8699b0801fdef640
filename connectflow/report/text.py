"""Text output for people: grouped by file, wrapped to the terminal, coloured on a terminal.

Each finding shows where (line:column), severity, rule id and name and the node; the
message is wrapped under it. Identical fix hints are given once per file, after the
findings they fix. ``concise``: one line a finding (``path:line:col: CF101 [error] ...``).
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections import Counter
from itertools import groupby

import click

from connectflow.report.common import fixable_note, ordered, profile_note, summary, visible

STYLE = {"error": {"fg": "red", "bold": True}, "warning": {"fg": "yellow"}, "info": {"fg": "cyan"}}
INDENT = 2


def _width(color: bool) -> int:
    if sys.stdout.isatty():
        import shutil  # only on a terminal: shutil brings bz2 and lzma

        return max(40, shutil.get_terminal_size((80, 24)).columns)
    return 80


def wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "",
         break_long_words: bool = True) -> list[str]:
    """``textwrap.wrap`` of ``text`` with these options and ``break_on_hyphens=False``, worked out
    here for the common text: printable, its words one space apart, none too long for its line.
    textwrap costs some 10 µs a call, most of writing a thousand flows' findings (75,000 lines);
    any other text is its to wrap. Greedy as textwrap is: a word goes on the line when the line,
    a space and the word fit."""
    def by_textwrap() -> list[str]:
        return textwrap.wrap(text, width, initial_indent=initial_indent, subsequent_indent=subsequent_indent,
                             break_on_hyphens=False, break_long_words=break_long_words)

    if not text or not text.isprintable() or text[0] == " " or text[-1] == " " or "  " in text:
        return by_textwrap()
    room = width - len(initial_indent)
    if len(text) <= room:
        return [initial_indent + text]
    words = text.split(" ")
    if max(map(len, words)) > min(room, width - len(subsequent_indent)):
        return by_textwrap()  # a word too long for a line: textwrap breaks it, or gives it a line of its own
    lines, line, indent = [], words[0], initial_indent
    for word in words[1:]:
        if len(line) + 1 + len(word) <= room:
            line += " " + word
        else:
            lines.append(indent + line)
            line, indent, room = word, subsequent_indent, width - len(subsequent_indent)
    lines.append(indent + line)
    return lines


def render(result, registry, *, statistics: bool = False, color: bool | None = None, concise: bool = False,
           width: int | None = None, **_) -> str:
    if color is None:  # rendered into a string, so ask about the real stdout
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    width = width or _width(color)

    def style(text: str, **how) -> str:
        return click.style(text, **how) if color else text

    lines: list[str] = []
    findings = ordered(result.findings)
    if concise:
        for f in findings:
            where = f"{f.line}:{f.column}" if f.line else "1:1"
            node = f" ({visible(f.node_label)} {f.node_id})" if f.node_id else ""
            lines.append(f"{visible(f.path)}:{where}: {style(f.rule, bold=True)} "
                         f"[{style(f.severity.value, **STYLE[f.severity.value])}] {visible(f.message)}{node}"
                         + "".join(f" [see {visible(r.path)}" + (f":{r.line}:{r.column}" if r.line else "") + "]"
                                   for r in f.related))
    else:
        for path, group in groupby(findings, key=lambda f: f.path):
            group = list(group)
            lines.append(style(visible(path), bold=True, underline=True))
            column = max(len(f"{f.line}:{f.column}" if f.line else "-") for f in group)
            hanging = " " * (INDENT + column + 2)
            for f in group:
                where = f"{f.line}:{f.column}" if f.line else "-"
                node = f"  {visible(f.node_label) or 'node'} ({visible(f.node_id)})" if f.node_id else ""
                lines.append(f"{' ' * INDENT}{where:>{column}}  {style(f'{f.severity.value:<7}', **STYLE[f.severity.value])} "
                             f"{style(f.rule, bold=True)} {f.name}{node}")
                lines.extend(wrap(visible(f.message), width, initial_indent=hanging,
                                   subsequent_indent=hanging) or [hanging])
                for other in f.related:  # the other flows a cross-flow finding involves
                    at = f":{other.line}:{other.column}" if other.line else ""
                    lines.extend(wrap(f"see {visible(other.path)}{at}: {visible(other.message)}", width,
                                       initial_indent=hanging, subsequent_indent=hanging + "  ",
                                       break_long_words=False))
            hints = Counter((f.fix, f.rule) for f in group if f.fix)
            by_hint: dict[str, list[str]] = {}
            for (fix, rule_id), count in hints.items():
                by_hint.setdefault(fix, []).append(f"{rule_id}" + (f" ×{count}" if count > 1 else ""))
            for fix, rules in by_hint.items():
                lead = f"{' ' * INDENT}fix {', '.join(rules)}: "
                lines.extend(wrap(visible(fix), width, initial_indent=lead, subsequent_indent=" " * (INDENT + 4)))
            lines.append("")
    if statistics and findings:
        lines.append(style("Statistics", bold=True))
        for rule_id, count in sorted(Counter(f.rule for f in findings).items()):
            name = next(f.name for f in findings if f.rule == rule_id)
            lines.append(f"  {count:>5}  {rule_id}  {name}")
        lines.append("")
    for closing in (profile_note(result), summary(result), fixable_note(result)):
        if closing:
            lines.extend(wrap(closing, width, break_long_words=False))
    return "\n".join(lines).rstrip("\n")
