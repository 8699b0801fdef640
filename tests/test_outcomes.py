"""A node's outcomes come from one place, the graph: lint (CF401) and show read the same
``FlowGraph.outcomes`` and always agree, on every reference flow and sample."""

from __future__ import annotations

import copy
import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from conftest import REFERENCE_FLOWS
from connectflow.graph import END_PREFIX, FlowGraph
from connectflow.lint import Selection, lint_source
from connectflow.lint.registry import builtin_registry
from connectflow.load import load_bytes, load_source
from connectflow.model import build_flow
from connectflow.flowview import build_view
from connectflow.names import node_title
from connectflow.show import render_show
from flowkit import dumps, edge, encode, node, param, wxcc_flow

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "samples" / "cce").glob("*.json"))
CF401 = builtin_registry().get("CF401")


def _show(source) -> str:
    out = io.StringIO()
    render_show([build_view(source)], Console(file=out, width=400, no_color=True, highlight=False), width=400)
    return out.getvalue()


def _exits(text: str) -> list[str]:
    """Every "label → target" that show prints, one line per target."""
    lines = (line.strip() for line in text.splitlines() if " → " in line)
    return [f"{label} → {target}" for line in lines for label, targets in [line.split(" → ", 1)]
            for target in re.split(r"(?<=\]|d), (?=\S)", targets)]


@pytest.mark.parametrize("path", [*REFERENCE_FLOWS, *SAMPLES], ids=lambda p: p.name)
def test_show_prints_exactly_the_graph_outcomes_and_lints_open_ones(path):
    source = load_source(path)
    flow = build_flow(source.data)
    graph = FlowGraph(flow)
    expected, open_outcomes = [], set()
    for node_id in flow.nodes:
        for outcome in graph.outcomes(node_id):
            for target in outcome.targets:
                shown = "End" if target.startswith(END_PREFIX) else f"{node_title(flow.nodes[target])} [{target}]"
                expected.append(f"{outcome.label} → {shown}")
            if not outcome.connected:
                expected.append(f"{outcome.label} → {'not connected' if outcome.declared else 'not used (optional)'}")
            if outcome.declared and not outcome.connected:
                open_outcomes.add((node_id, outcome.event))
    assert sorted(_exits(_show(source))) == sorted(expected)
    linted = {(f.node_id, re.match(r"outcome (.+?) has no connection", f.message).group(1))
              for f in lint_source(source, [CF401], Selection())}
    assert linted == open_outcomes


def _flow_with(*cells) -> dict:
    data = wxcc_flow()
    data["cells"].extend(copy.deepcopy(cells))
    return data


def _outcomes(data: dict, node_id: str):
    return {o.event: o for o in FlowGraph(build_flow(data)).outcomes(node_id)}


def test_an_evaluate_success_edge_shows_as_success():
    source = load_bytes("flow.json", dumps(wxcc_flow()).encode())
    assert "Success → Resolve Conversation [50]" in _show(source)
    assert " 1 → " not in _show(source)
    success = _outcomes(wxcc_flow(), "9")["1"]
    assert (success.label, success.port, success.targets) == ("Success", "MP", ("50",))


def test_outcomes_are_ordered_success_then_error_then_timeout():
    ports = [o.port for o in FlowGraph(build_flow(wxcc_flow())).outcomes("50")]
    assert ports == sorted(ports, key="MP BP TP".split().index)
    assert ports[0] == "MP" and ports[-1] == "TP"


RECEIVE = node("95", "receive", "Receive", [
    {"tag": "event", "attributes": {"name": "ontimeout", "targetcount": 1}, "text": ""},
    param("viewData", [{"name": "SMS", "icon": "sms", "id": 1, "params": {"keyword": "*"}},
                       {"name": "In-app messaging", "icon": "app", "id": 15,
                        "params": {"events": [{"name": "OnFormResponse"}]}}]),
])


def test_a_receive_node_has_its_channel_events():
    outcomes = _outcomes(_flow_with(RECEIVE, edge("120", "95", "90", "sms.mo")), "95")
    assert {"sms.mo", "app.onformresponse", "ontimeout"} <= set(outcomes)
    assert outcomes["sms.mo"].targets == ("90",) and not outcomes["sms.mo"].declared
    assert not outcomes["app.onformresponse"].declared  # a channel event need not be connected


def test_an_edge_on_an_unknown_event_counts_as_an_outcome():
    unknown = node("96", "aiagent", "AI Agent", [])
    outcomes = _outcomes(_flow_with(unknown, edge("121", "96", "90", "onhandoff")), "96")
    assert outcomes["onhandoff"].targets == ("90",)


def test_a_renamed_branch_fallback_is_the_outcome_not_none_of_the_above():
    data = wxcc_flow()
    branch = data["cells"][4]["value"]["children"]
    next(c for c in branch if c["attributes"].get("name") == "allConditionsFail")["text"] = "Otherwise"
    data["cells"][24]["value"]["params"][0]["value"] = "Otherwise"
    for form in (data, encode(data)):
        outcomes = _outcomes(form, "60")
        assert "None of the above" not in outcomes
        assert outcomes["Otherwise"].targets == ("end:422",)
        text = _show(load_bytes("flow.json", dumps(form).encode()))
        assert "Otherwise → End" in text and "None of the above" not in text


def test_a_copied_node_does_not_inherit_the_originals_end():
    copy_of_sms = node("91", "umppublic", "SMS copy",
                       [{"tag": "event", "attributes": {"name": "onerror", "targetcount": 1}, "text": ""}])
    data = _flow_with(copy_of_sms)
    stale = copy.deepcopy(data["cells"][31])  # End 450: SMS 90's onerror
    stale["id"] = "452"
    data["cells"].append(stale)
    graph = FlowGraph(build_flow(data))
    assert [(o.node_id, o.event) for o in graph.unhandled()] == [("91", "onerror")]
    assert [end.id for end in graph.stale_ends] == ["452"]
    text = _show(load_bytes("flow.json", dumps(data).encode()))
    assert "onError → not connected" in text
