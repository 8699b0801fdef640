"""GitHub Actions workflow commands: findings become annotations on the pull request.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step and drops
the rest without a word. So: the most severe findings first, up to those limits, then
one notice with the totals and how many were not shown (the notice budget keeps a slot
for it). When ``$GITHUB_STEP_SUMMARY`` is set, the Markdown report is appended to it,
so every finding is still one click away.
"""

from __future__ import annotations

import os

from connectflow.lint.suppress import relative_to
from connectflow.report.common import most_severe_first, plural, summary, visible

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
LIMIT = 10  # per level and step (docs.github.com, "Workflow commands": annotations)


def escape_data(text: str) -> str:
    """The message part of a workflow command (GitHub's own escaping rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file, title): ``:`` and ``,`` would end it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(f) -> str:
    # GitHub places an annotation by a path relative to the checkout.
    path = relative_to(f.path, os.environ.get("GITHUB_WORKSPACE") or os.getcwd())
    props = [f"file={escape_property(path)}"]
    if f.line:
        props += [f"line={f.line}", f"col={f.column}"]
    props.append(f"title={escape_property(visible(f'{f.rule} {f.name}'))}")
    node = f" [{f.node_label} ({f.node_id})]" if f.node_id else ""
    message = visible(f.message + node) + (f". Fix: {visible(f.fix)}" if f.fix else "")
    message += "".join(f"\nsee {visible(r.path)}" + (f":{r.line}" if r.line else "")
                       + (f": {visible(r.message)}" if r.message else "") for r in f.related)
    return f"::{LEVELS[f.severity.value]} {','.join(props)}::{escape_data(message)}"


def annotations(result) -> list[str]:
    budget = {"error": LIMIT, "warning": LIMIT, "notice": LIMIT - 1}
    lines, hidden = [], 0
    for f in most_severe_first(result.findings):
        level = LEVELS[f.severity.value]
        if budget[level] > 0:
            budget[level] -= 1
            lines.append(_annotation(f))
        else:
            hidden += 1
    note = summary(result)
    if hidden:
        note += (f" {plural(hidden, 'finding')} not shown as annotations (GitHub shows {LIMIT} per level): "
                 "see the job summary or the SARIF report.")
    lines.append(f"::notice title={escape_property('connectflow lint')}::{escape_data(note)}")
    return lines


def render(result, registry, *, statistics: bool = False, color=None, step_summary: str | None = None, **_) -> str:
    target = step_summary if step_summary is not None else os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        from connectflow.report.markdown import render as markdown

        try:
            with open(target, "a", encoding="utf-8") as stream:
                stream.write(markdown(result, registry, statistics=statistics) + "\n")
        except OSError as err:  # the annotations still carry the result
            import sys

            print(f"connectflow: warning: cannot write the job summary {target}: {err.strerror or err}",
                  file=sys.stderr)
    return "\n".join(annotations(result))
