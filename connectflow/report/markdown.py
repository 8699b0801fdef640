"""Markdown summary: for a pull-request comment or GitHub's job summary ($GITHUB_STEP_SUMMARY).

Totals first, then a table of findings (most severe first, capped so the page stays
readable and under GitHub's 1 MiB summary limit), then the fix hints once each.
Everything taken from a flow file is escaped: it cannot add links, images or HTML.
"""

from __future__ import annotations

import html
import re
from collections import Counter

from connectflow.report.common import fixable_note, most_severe_first, profile_note, related_text, summary, visible

MAX_ROWS = 200
ICONS = {"error": "🔴 error", "warning": "🟡 warning", "info": "🔵 info"}
# Mid-line (every escaped string follows "| " or "- "), only these can start markup.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")


def escape(text: str | None) -> str:
    """Literal text inside Markdown (and a table cell): no markup, no HTML, no line break."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(visible(text), quote=False))


def render(result, registry, *, statistics: bool = False, color=None, **_) -> str:
    lines = ["## connectflow lint", "", f"**{summary(result)}** {escape(profile_note(result))}", ""]
    findings = most_severe_first(result.findings)
    if findings:
        lines += ["| | Rule | File | Line | Node | Finding |", "|---|---|---|---|---|---|"]
        for f in findings[:MAX_ROWS]:
            node = f"{escape(f.node_label)} ({escape(f.node_id)})" if f.node_id else ""
            lines.append(f"| {ICONS[f.severity.value]} | {f.rule} {escape(f.name)} | {escape(f.path)} "
                         f"| {f.line or ''} | {node} | {escape(f.message + related_text(f))} |")
        if len(findings) > MAX_ROWS:
            lines += ["", f"… and {len(findings) - MAX_ROWS} more (the JSON or SARIF report has them all)."]
        hints = Counter(f.fix for f in findings if f.fix)
        if hints:
            lines += ["", "**How to fix**", ""]
            lines += [f"- {escape(fix)} ({count}×)" for fix, count in hints.most_common()]
        note = fixable_note(result)
        if note:
            lines += ["", escape(note)]
    if statistics and findings:
        lines += ["", "| Rule | Findings |", "|---|---|"]
        lines += [f"| {rule_id} | {count} |" for rule_id, count in sorted(Counter(f.rule for f in findings).items())]
    return "\n".join(lines).rstrip("\n")
