"""``connectflow show``: a flow explained in the Flow Builder's words, 80 columns wide.

The trigger by channel and event name, the start conditions with their joins, then the
nodes in flow order (walked from Start: success outcomes first, then error and timeout
ports), each with what it is, its authorization, template sample values, lint's findings
and every outcome with where it goes; nodes not reached from Start come last. Everything
comes from a :class:`~connectflow.flowview.FlowView`, the same one the graph formats draw.
"""

from __future__ import annotations

import textwrap

from rich.console import Console
from rich.text import Text

from connectflow.flowview import FlowView, ViewNode

WIDTH = 80
LONGEST = 2000  # characters of one item (25 lines at 80 columns); the rest is counted, not printed
STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
TEMPLATE = "template sample value"

from connectflow import redact
from connectflow.escape import visible  # the shared escaping of file-derived text


def _wrapped(text: str, indent: int, hang: int = 2, width: int = WIDTH) -> list[str]:
    return textwrap.wrap(text, width, initial_indent=" " * indent, subsequent_indent=" " * (indent + hang),
                         break_on_hyphens=False, break_long_words=True) or [" " * indent]


class _Printer:
    def __init__(self, console: Console, width: int = WIDTH):
        self.console, self.width = console, width
        self.masked = redact.text  # the flow's own Secrets while it is printed (render_flow)
        self.pending: list[Text] = []

    def flush(self) -> None:
        """Print the pending lines in one call: Rich costs about a millisecond per call, so a
        flow with huge labels (thousands of wrapped lines) took seconds line by line."""
        if self.pending:
            self.console.print(Text("\n").join(self.pending), soft_wrap=True)
            self.pending = []

    def line(self, text: str = "", indent: int = 0, style: str | None = None, hang: int = 2) -> None:
        # Masked first (every line: the flow's credential values, header lines, token members;
        # not with --show-secrets), escaped before wrapping (a control character cannot start a
        # line). Styled Text, never markup: Rich's markup escaping loses or un-escapes
        # backslashes before a tag (two printed as one; three printed the closing tag as text).
        text = visible(self.masked(text))
        if len(text) > LONGEST:  # a 200 KB label, printed once per edge into its node, drowned the page
            text = f"{text[:LONGEST]}… ({len(text) - LONGEST:,} more characters; --format json has them all)"
        self.pending += [Text(part, style=style or "") for part in _wrapped(text, indent, hang, self.width)]


def _counts(findings) -> str:
    from collections import Counter

    counts = Counter(f.severity.value for f in findings)
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}"
             for s in ("error", "warning", "info") if counts[s]]
    return ", ".join(parts) if parts else "no findings"


def _finding(out: _Printer, finding, indent: int) -> None:
    out.line(f"{finding.severity.value} {finding.rule} {finding.name}: {finding.message}", indent,
             STYLE[finding.severity.value], hang=4)


def _node(out: _Printer, view: FlowView, node: ViewNode, number: int) -> None:
    out.line(f"{number}. {node.title} [{node.id}]", 1, "bold", hang=len(str(number)) + 2)
    pad = len(str(number)) + 3
    if node.integration:
        out.line(node.integration, pad)
    if node.authorization:
        out.line(node.authorization, pad, None if node.authorization.startswith("authorized") else "red")
    for value in view.template_values(node) if node.node.tag != "start" else ():  # conditions: above
        out.line(f"{TEMPLATE}: {value}", pad, "magenta")
    for finding in node.findings:
        _finding(out, finding, pad)
    outcomes: dict[tuple, list] = {}  # an outcome bound to several Ends or nodes: one line
    for edge in node.edges:
        outcomes.setdefault((edge.event, edge.label, edge.port), []).append(edge)
    for (event, label, _), edges in outcomes.items():
        name = label or event  # the editor's words ("Success"), not the stored name ("1")
        targets = ", ".join(view.target_title(e) for e in edges)
        style = "red" if edges[0].unhandled else "dim" if edges[0].optional else None
        out.line(f"{name} → {targets}", pad, style, hang=4)


def render_flow(view: FlowView, out: _Printer) -> None:
    out.masked = view.masked
    flow = view.flow
    out.line(f"{view.path}" + (f"  (flow id {view.flow_id})" if view.flow_id else ""), style="bold")
    out.line(f"Trigger: {view.trigger}", 2, hang=9)
    conditions = view.conditions()
    if not conditions:
        out.line("Start conditions: none (runs for every event of this kind)", 2)
    for index, (join, text, template) in enumerate(conditions):
        lead = "Start conditions: " if index == 0 else f"{join:>16}  "
        out.line(f"{lead}{text}" + (f"  ({TEMPLATE})" if template else ""), 2, "magenta" if template else None,
                 hang=18)
    for condition in view.inactive_conditions():
        out.line(f"inactive leftover condition: {condition}", 2, "dim")
    if view.linted:
        out.line(f"Lint: {_counts(view.findings)}", 2)
        for finding in view.flow_findings:
            _finding(out, finding, 4)
    reached = [n for n in view.nodes if n.reachable]
    unreached = [n for n in view.nodes if not n.reachable]
    out.line()
    out.line("Flow from Start" if reached else "No Start node: nodes in file order", style="bold underline")
    for number, node in enumerate(reached, 1):
        _node(out, view, node, number)
    if unreached and reached:
        out.line()
        out.line(f"Not reached from Start ({len(unreached)})", style="bold yellow")
    for number, node in enumerate(unreached, len(reached) + 1):
        _node(out, view, node, number)
    variables = view.variables()
    if variables:
        out.line()
        out.line("Custom variables", style="bold underline")
        for name, shown, template in variables:
            out.line(f"{name} = {shown or '(empty)'}"
                     + (f"  ({TEMPLATE})" if template else ""), 1, "magenta" if template else None, hang=4)
    problems = [f"cell {c.id or c.pointer}: {c.reason}" for c in flow.unclassified]
    problems += [f"End {e.id}: parent node {e.parent_node} does not exist" for e in view.graph.orphan_ends()]
    problems += [f"edge {e.id}: {e.source} → {e.target} has a missing endpoint" for e in view.graph.dangling_edges()]
    if problems:
        out.line()
        out.line("Not classified or not attached", style="bold underline")
        for problem in problems:
            out.line(problem, 1, hang=4)


def render_show(views: list[FlowView], console: Console | None = None, width: int = WIDTH) -> None:
    """Print ``views`` one after another, wrapped at ``width`` columns."""
    console = console or Console(highlight=False, emoji=False)  # ':x:' in a label stays text
    out = _Printer(console, width)
    for index, view in enumerate(views):
        if index:
            out.line()
            out.line("─" * min(width, WIDTH), style="dim")
        render_flow(view, out)
        out.flush()
