"""``connectflow report``: one self-contained HTML file for a set of flows.

A summary across flows (findings per flow and per rule, which ones ``connectflow patch``
can fix), then a section per flow: its trigger, its graph drawn as inline SVG (layout in
:mod:`connectflow.layout`), and its findings, marked on their nodes. Clicking a finding
highlights its node. Everything is inlined: the page loads nothing, so it opens offline
and leaks nothing. Every piece of text from a flow file is HTML-escaped here.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from connectflow.flowview import SEVERITIES, FlowView, worst
from connectflow.graphformats import node_lines
from connectflow.layout import LINE_HEIGHT, PAD, Box, Drawing, draw

CSS = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;color:#1d1d1f;background:#f6f7f9}
header,main{max-width:1400px;margin:0 auto;padding:0 24px}
h1{font-size:22px;margin:20px 0 4px}h2{font-size:18px;margin:28px 0 6px}h3{font-size:15px;margin:16px 0 6px}
table{border-collapse:collapse;background:#fff;margin:8px 0 16px}
th,td{border:1px solid #dde;padding:4px 10px;text-align:left;vertical-align:top}th{background:#eef0f4}
td.num{text-align:right}.muted{color:#667}
section.flow{background:#fff;border:1px solid #dde;border-radius:8px;padding:4px 20px 16px;margin:20px 0}
.graph{overflow:auto;border:1px solid #eee;border-radius:6px;background:#fcfcfd;max-height:80vh}
svg text{font:11px Helvetica,Arial,sans-serif;fill:#1d1d1f}
.node rect{fill:#fff;stroke:#8a94a6;stroke-width:1.2}
.node.start rect{fill:#eef6ee;stroke:#4b8b4b}
.node.unreachable rect{stroke-dasharray:6 4;fill:#f4f4f4}
.node.sev-error rect{fill:#fde2e1;stroke:#c62828;stroke-width:2}
.node.sev-warning rect{fill:#fff4d6;stroke:#b26a00;stroke-width:2}
.node.sev-info rect{fill:#e3f2fd;stroke:#1565c0;stroke-width:2}
.node.highlight rect{stroke:#6a1b9a;stroke-width:4;filter:drop-shadow(0 0 6px #ab47bc)}
.node .badge{font-weight:bold}
.end circle{fill:#455a64}.end text{fill:#fff;font-size:8px}
.unconnected rect{fill:#fff;stroke:#c62828;stroke-dasharray:4 3}.unconnected text{fill:#c62828}
.edge path{fill:none;stroke:#8a94a6;stroke-width:1.2}.edge.dashed path{stroke:#c62828;stroke-dasharray:5 4}
.edge text{font-size:9px;fill:#445}
ul.findings{list-style:none;padding:0;margin:6px 0}
ul.findings li{padding:5px 8px;margin:3px 0;border-left:4px solid #ccc;background:#fafafa;cursor:pointer}
ul.findings li.error{border-color:#c62828}ul.findings li.warning{border-color:#b26a00}ul.findings li.info{border-color:#1565c0}
ul.findings li.selected{background:#f3e5f5}
.sev{display:inline-block;min-width:58px;font-weight:bold}.sev.error{color:#c62828}.sev.warning{color:#b26a00}.sev.info{color:#1565c0}
@media print{section.flow{break-before:page}.graph{max-height:none;overflow:visible}}
code{font:12px ui-monospace,Menlo,Consolas,monospace;background:#f0f1f4;padding:0 3px;border-radius:3px}
"""

# Clicking a finding highlights its node (and scrolls it into view); clicking a node selects its findings.
SCRIPT = """
document.addEventListener('click', function (event) {
  var item = event.target.closest('li[data-node]');
  var node = event.target.closest('g.node');
  if (!item && !node) return;
  var flow = (item || node).closest('section.flow');
  var id = item ? item.getAttribute('data-node') : node.getAttribute('data-node');
  flow.querySelectorAll('.highlight').forEach(function (e) { e.classList.remove('highlight'); });
  flow.querySelectorAll('li.selected').forEach(function (e) { e.classList.remove('selected'); });
  var target = flow.querySelector('g.node[data-node="' + CSS.escape(id) + '"]');
  if (target) {
    target.classList.add('highlight');
    if (item) target.scrollIntoView({block: 'center', inline: 'center'});
  }
  flow.querySelectorAll('li[data-node="' + CSS.escape(id) + '"]').forEach(function (e) { e.classList.add('selected'); });
});
"""


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _svg_box(box: Box, view: FlowView, flow_index: int) -> str:
    x, y = box.x - box.width / 2, box.y - box.height / 2
    if box.kind == "end":
        return (f'<g class="end" data-end="{_attr(box.id)}"><circle cx="{box.x:.1f}" cy="{box.y:.1f}" r="11"/>'
                f'<text x="{box.x:.1f}" y="{box.y + 3:.1f}" text-anchor="middle">End</text></g>')
    if box.kind == "unconnected":
        return (f'<g class="unconnected"><rect x="{x:.1f}" y="{y:.1f}" width="{box.width:.1f}" '
                f'height="{box.height:.1f}" rx="4"/><text x="{box.x:.1f}" y="{box.y + 4:.1f}" '
                f'text-anchor="middle">not connected</text></g>')
    node = view.node(box.id)
    classes = ["node", f"kind-{node.kind}"]
    if node.node.tag == "start":
        classes.append("start")
    if not node.reachable:
        classes.append("unreachable")
    if node.severity:
        classes.append(f"sev-{node.severity}")
    texts = []
    for i, line in enumerate(box.lines):
        weight = ' class="badge"' if node.findings and i == len(box.lines) - 1 else ""
        texts.append(f'<text x="{x + PAD:.1f}" y="{y + PAD / 2 + LINE_HEIGHT * (i + 1) - 3:.1f}"{weight}>'
                     f"{escape(line)}</text>")
    tip = escape(f"{node.title} [{node.id}]")
    return (f'<g class="{" ".join(classes)}" id="f{flow_index}-node-{_attr(node.id)}" data-node="{_attr(node.id)}">'
            f"<title>{tip}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{box.width:.1f}" height="{box.height:.1f}" rx="6"/>'
            + "".join(texts) + "</g>")


def _svg_line(line) -> str:
    if len(line.points) < 2:
        return ""
    path = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in line.points)
    # The label sits on the last segment, past its middle: edges fanning out of one node
    # spread apart towards their targets, so their labels overlap less than at the source.
    (x0, y0), (x1, y1) = line.points[-2], line.points[-1]
    lx, ly = x0 + (x1 - x0) * 0.6, y0 + (y1 - y0) * 0.6
    label = line.label if len(line.label) <= 48 else line.label[:47] + "…"
    return (f'<g class="edge{" dashed" if line.dashed else ""}"><path d="{path}" marker-end="url(#arrow)"/>'
            f'<text x="{lx + 4:.1f}" y="{ly:.1f}"><title>{escape(line.label)}</title>{escape(label)}</text></g>')


def _svg(view: FlowView, drawing: Drawing, flow_index: int) -> str:
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{drawing.width:.0f}" height="{drawing.height:.0f}" '
             f'viewBox="0 0 {drawing.width:.0f} {drawing.height:.0f}" role="img" '
             f'aria-label="{_attr("flow graph of " + view.path)}">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8a94a6"/></marker></defs>']
    parts += [_svg_line(line) for line in drawing.lines]
    parts += [_svg_box(box, view, flow_index) for box in drawing.boxes.values()]
    parts.append("</svg>")
    return "".join(parts)


def _finding_item(finding, view: FlowView) -> str:
    node = view.node(finding.node_id) if finding.node_id else None
    where = f' <span class="muted">— {escape(node.title)} [{escape(node.id)}]</span>' if node else ""
    line = f' <span class="muted">line {finding.line}</span>' if finding.line else ""
    fix = f'<br><span class="muted">fix: {escape(finding.fix)}</span>' if finding.fix else ""
    data = f' data-node="{_attr(node.id)}"' if node else ""
    return (f'<li class="{finding.severity.value}"{data}><span class="sev {finding.severity.value}">'
            f"{finding.severity.value}</span> <code>{escape(finding.rule)}</code> {escape(finding.name)}: "
            f"{escape(finding.message)}{where}{line}{fix}</li>")


def patch_can_fix(finding) -> bool:
    """What lint's own summary counts as fixable (the fix hint names ``connectflow patch``)."""
    return finding.fixable


def _summary(views: list[FlowView]) -> str:
    rows = []
    for index, view in enumerate(views):
        counts = Counter(f.severity.value for f in view.findings)
        unreachable = sum(1 for n in view.nodes if not n.reachable)
        rows.append(f'<tr><td><a href="#flow-{index}">{escape(view.path)}</a></td><td>{escape(view.trigger)}</td>'
                    f'<td class="num">{len(view.nodes)}</td><td class="num">{unreachable}</td>'
                    + "".join(f'<td class="num">{counts[s]}</td>' for s in reversed(SEVERITIES)) + "</tr>")
    by_rule: dict[str, list] = {}
    for view in views:
        for finding in view.findings:
            by_rule.setdefault(finding.rule, []).append((view, finding))
    rule_rows = []
    for rule_id in sorted(by_rule):
        items = by_rule[rule_id]
        first = items[0][1]
        fixable = sum(patch_can_fix(f) for _, f in items)
        rule_rows.append(
            f"<tr><td><code>{escape(rule_id)}</code></td><td>{escape(first.name)}</td>"
            f'<td><span class="sev {worst(f for _, f in items)}">{worst(f for _, f in items)}</span></td>'
            f'<td class="num">{len(items)}</td><td class="num">{len({v.path for v, _ in items})}</td>'
            f'<td>{"yes" if fixable == len(items) else f"{fixable} of {len(items)}" if fixable else "no"}</td></tr>')
    total = sum(len(v.findings) for v in views)
    fixable = sum(patch_can_fix(f) for v in views for f in v.findings)
    return (f"<h2>Summary</h2><p>{len(views)} flow{'s' if len(views) != 1 else ''}, {total} finding"
            f"{'s' if total != 1 else ''}; <code>connectflow patch</code> can fix {fixable} of them.</p>"
            "<table><tr><th>flow</th><th>trigger</th><th>nodes</th><th>unreachable</th><th>errors</th>"
            f"<th>warnings</th><th>info</th></tr>{''.join(rows)}</table>"
            + ("<h3>Findings per rule</h3><table><tr><th>rule</th><th>name</th><th>severity</th><th>findings</th>"
               f"<th>flows</th><th>patch can fix</th></tr>{''.join(rule_rows)}</table>" if rule_rows else ""))


def _flow_section(view: FlowView, index: int) -> str:
    drawing = draw(view, node_lines)
    conditions = "".join(f"<li>{escape(join + ' ' if join else '')}<code>{escape(text)}</code>"
                         f"{' <b>template sample value</b>' if template else ''}</li>"
                         for join, text, template in view.conditions())
    findings = sorted(view.findings, key=lambda f: (-f.severity.rank, f.sort_key))
    listed = "".join(_finding_item(f, view) for f in findings) or "<li>no findings</li>"
    return (f'<section class="flow" id="flow-{index}"><h2>{escape(view.path)}</h2>'
            f"<p>Trigger: {escape(view.trigger)}"
            f"{' · flow id ' + escape(view.flow_id) if view.flow_id else ''}</p>"
            f"<ul>{conditions or '<li>no start conditions: runs for every event of this kind</li>'}</ul>"
            f'<div class="graph">{_svg(view, drawing, index)}</div>'
            f"<h3>Findings ({len(findings)})</h3><ul class=\"findings\">{listed}</ul></section>")


def render_report(views: list[FlowView], title: str = "connectflow report") -> str:
    sections = "".join(_flow_section(view, i) for i, view in enumerate(views))
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            # The page may load nothing: no fetch, no image, no font, no frame (an offline, leak-free file).
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{escape(title)}</h1></header><main>{_summary(views)}{sections}</main>"
            f"<script>{SCRIPT}</script></body></html>\n")


def write_report(views: list[FlowView], output: str, title: str = "connectflow report") -> str:
    """Write the report atomically (patch's writer); returns its file:// address."""
    from pathlib import Path

    from connectflow.patch.write import write_atomic

    target = Path(output).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, render_report(views, title).encode("utf-8"))
    return target.as_uri()
