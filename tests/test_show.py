"""``connectflow show``: the flow in the Flow Builder's words, checked against the graph."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REFERENCE_FLOWS
from flowkit import dumps, event, messenger_flow, node, param, webhook_flow
from rich.console import Console

from connectflow import catalogue
from connectflow.cli import cli
from connectflow.flowview import build_view
from connectflow.graph import END_PREFIX
from connectflow.load import load_source
from connectflow.show import render_show

SAMPLES = sorted((Path(__file__).parents[1] / "samples" / "cce").glob("*.json"))
ALL_FLOWS = SAMPLES + REFERENCE_FLOWS
HEADER = re.compile(r"^ (\d+)\. (.*) \[([^\]]+)\]$")


def _plain(paths, width=10_000, lint=False) -> str:
    """show's text, unwrapped (one logical line a line), without colour."""
    stream = io.StringIO()
    views = [build_view(load_source(p)) if not lint else _linted(p) for p in paths]
    render_show(views, Console(file=stream, width=width, color_system=None, highlight=False), width=width)
    return stream.getvalue()


def _linted(path):
    from connectflow.flowview import build_views

    return build_views([str(path)])[0]


def _blocks(text: str) -> list[tuple[str, list[str], bool]]:
    """``(node id, the lines under it, reached from Start)`` in printed order."""
    blocks, reached = [], True
    for line in text.splitlines():
        if line.startswith("Not reached from Start"):
            reached = False
            continue
        match = HEADER.match(line)
        if match:
            blocks.append((match.group(3), [], reached))
        elif blocks and line.startswith("    "):
            blocks[-1][1].append(line.strip())
        elif blocks and line and not line.startswith(" "):
            break  # the next section (custom variables, ...)
    return blocks


def _target_ids(text: str) -> list[str]:
    """The targets an outcome line names, in order: node ids, "End", "not connected"."""
    pattern = r"\[([^\]]+)\](?=,|$)|\b(End|not connected|not used \(optional\))(?=,|$)"
    return [a or b for a, b in re.findall(pattern, text)]


@pytest.mark.parametrize("path", ALL_FLOWS, ids=lambda p: p.name)
def test_nodes_in_walk_order_with_every_outcome(path):
    view = build_view(load_source(path))
    graph, flow = view.graph, view.flow
    blocks = _blocks(_plain([path]))
    printed = [node_id for node_id, _, _ in blocks]
    assert sorted(printed) == sorted(flow.nodes), "every node printed exactly once"
    assert printed[0] == flow.start.id
    position = {node_id: i for i, node_id in enumerate(printed)}
    reached = [node_id for node_id, _, is_reached in blocks if is_reached]
    assert set(reached) == graph.reachable, "unreachable nodes come last, under their own heading"
    for node_id in reached[1:]:  # a walk: each node is entered from one printed before it
        sources = {s for s, _ in graph.graph.in_edges(node_id)}
        assert any(position[s] < position[node_id] for s in sources if s in position), node_id
    for node_id, lines, _ in blocks:
        outcomes = graph.outcomes(node_id)
        outcome_lines = [line for line in lines if " → " in line]
        assert len(outcome_lines) == len(outcomes), (node_id, outcome_lines, outcomes)
        for line, outcome in zip(outcome_lines, outcomes):  # the graph's order: success, error, timeout
            assert line.startswith(outcome.label or outcome.event), (line, outcome)
            expected = [t if not t.startswith(END_PREFIX) else "End" for t in outcome.targets]
            if not outcome.targets:  # lint's unhandled outcome, or a port the node may leave unused
                expected = ["not connected"] if outcome.declared else ["not used (optional)"]
            assert _target_ids(line.split(" → ", 1)[1]) == expected, (line, outcome)
        # depth first, success first: the first outcome target not yet printed comes right after
        targets = [t for o in outcomes for t in o.targets if t in flow.nodes and position[t] > position[node_id]]
        if targets:
            assert position[targets[0]] == position[node_id] + 1, (node_id, targets[0])


@pytest.mark.parametrize("path", ALL_FLOWS, ids=lambda p: p.name)
def test_trigger_channel_and_node_kinds_have_names(path):
    view = build_view(load_source(path))
    channel = view.flow.trigger.channel
    assert channel in catalogue.names("channels"), f"no name for channel {channel} in catalogue.toml"
    text = _plain([path])
    assert f"Trigger: {catalogue.names('channels')[channel]} [{channel}]" in text
    for raw in ("prebuiltnode", "umppublic", "umpapplebc", "(evaluate)", "(http)"):
        assert raw not in text, f"internal name {raw} shown"


def test_every_channel_of_the_reference_flows_is_named():
    if not REFERENCE_FLOWS:
        pytest.skip("reference flows not found (CI provides ../shared)")
    channels = {build_view(load_source(p)).flow.trigger.channel for p in REFERENCE_FLOWS}
    assert channels <= set(catalogue.names("channels")), channels - set(catalogue.names("channels"))


@pytest.mark.parametrize("auth_id, state", [(4711, "authorized (Engage Auth, id 4711)"),
                                            (-1, "no runtime authorization")])
def test_integration_node_method_ids_and_authorization(tmp_path, auth_id, state):
    flow = webhook_flow()
    for cell in flow["cells"]:
        for item in cell.get("value", {}).get("children", []) if isinstance(cell.get("value"), dict) else []:
            if item.get("attributes", {}).get("name") == "auth_id":
                item["text"] = auth_id
            if item.get("attributes", {}).get("name") == "resourceinfo":
                item["text"]["resource_list"][0]["auth_id"] = auth_id
    path = tmp_path / "flow.json"
    path.write_text(dumps(flow))
    blocks = {node_id: lines for node_id, lines, _ in _blocks(_plain([path]))}
    assert blocks["30"][:2] == ["Webex Engage integration 50140, group 50021", state]
    assert "1. Start: Configure Webhook [2]" not in _plain([path])  # numbered lines are indented by one
    assert " 3. Add Participant [30]" in _plain([path])


def test_findings_beside_their_node_and_no_lint_hides_them(tmp_path):
    path = SAMPLES[0]
    text = _plain([path], lint=True)
    view = _linted(path)
    blocks = {node_id: lines for node_id, lines, _ in _blocks(text)}
    for finding in view.findings:
        if finding.node_id in blocks:
            assert any(line.startswith(f"{finding.severity.value} {finding.rule} ") for line in blocks[finding.node_id])
    assert "Lint: " in text
    quiet = CliRunner().invoke(cli, ["show", "--no-lint", str(path)])
    assert quiet.exit_code == 0
    assert "Lint: " not in quiet.output and not re.search(r"\b(error|warning) CF\d{3}\b", quiet.output)


def test_several_flows_fit_80_columns():
    result = CliRunner().invoke(cli, ["show", *map(str, SAMPLES)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for path in SAMPLES:
        assert str(path) in result.output
    too_wide = [line for line in result.output.splitlines() if len(line) > 80]
    assert not too_wide, too_wide[:3]


def test_template_sample_values_are_marked():
    text = " ".join(_plain([SAMPLES[0].parent / "routed.json"]).split())
    assert "inboundWebhook.destination equals IM28095016 (template sample value)" in text


def test_unreachable_node_listed_last_under_its_heading(tmp_path):
    flow = messenger_flow()
    flow["cells"].append(node("77", "evaluate", "Orphan Script", [param("expression", "return 1;"), event("onerror")],
                              key="evaluate"))
    path = tmp_path / "flow.json"
    path.write_text(dumps(flow))
    text = _plain([path])
    assert "Not reached from Start (1)" in text
    assert text.index("Not reached from Start") < text.index("Orphan Script (Evaluate) [77]")
    assert _blocks(text)[-1][0] == "77"


def test_file_text_cannot_inject_markup_or_control_characters(tmp_path):
    flow = messenger_flow()
    for cell in flow["cells"]:
        if cell.get("id") == "40":
            cell["value"]["attributes"]["label"] = "[red]x[/red]\x1b[2J\nforged line"
    path = tmp_path / "flow.json"
    path.write_text(dumps(flow))
    result = CliRunner().invoke(cli, ["show", "--no-lint", str(path)], color=True)
    assert result.exit_code == 0, result.output
    assert "[red]x[/red]" in result.output
    assert "\x1b[2J" not in result.output
    assert not any(line.startswith("forged line") for line in result.output.splitlines())


def test_bad_file_among_several_is_one_line_exit_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    result = CliRunner().invoke(cli, ["show", str(SAMPLES[0]), str(bad)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith("connectflow: error: ")
    assert str(bad) in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("path", ALL_FLOWS, ids=lambda p: p.name)
def test_not_connected_is_exactly_what_lint_reports(path):
    view = _linted(path)
    printed = set()
    for node_id, lines, _ in _blocks(_plain([path])):
        for line in lines:
            if line.endswith("→ not connected"):
                printed.add((node_id, line.split(" → ")[0]))
    unhandled = view.graph.unhandled()
    assert len(printed) == len(unhandled)
    assert {n for n, _ in printed} == {o.node_id for o in unhandled}
    assert {n for n, _ in printed} == {f.node_id for f in view.findings if f.rule == "CF401"}


def test_a_branch_has_no_success_port():
    view = build_view(load_source(SAMPLES[0].parent / "created.json"))
    branch = next(n for n in view.nodes if n.kind == "branch")
    assert "1" not in [e.event for e in branch.edges]
