"""Graph formats: DOT parsed by a real parser, JSON against its schema, Mermaid's syntax;
all three carry every node and every outcome of the graph."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pydot
import pytest
from click.testing import CliRunner
from conftest import REFERENCE_FLOWS
from flowkit import dumps, event, messenger_flow, node, param
from referencing import Registry, Resource

from connectflow.cli import cli
from connectflow.flowview import build_view, build_views
from connectflow.graphformats import to_dot, to_mermaid, view_dict
from connectflow.load import load_source

ROOT = Path(__file__).parents[1]
SAMPLES = sorted((ROOT / "samples" / "cce").glob("*.json"))
ALL_FLOWS = SAMPLES + REFERENCE_FLOWS


def _view(path):
    return build_views([str(path)])[0]


def _schema_validator():
    lint_schema = json.loads((ROOT / "docs" / "json-output.schema.json").read_text())
    graph_schema = json.loads((ROOT / "docs" / "graph.schema.json").read_text())
    registry = Registry().with_resource(lint_schema["$id"], Resource.from_contents(lint_schema))
    return jsonschema.Draft202012Validator(graph_schema, registry=registry)


def _hostile_flow(tmp_path) -> Path:
    """A node label with every character the formats treat specially."""
    flow = messenger_flow()
    flow["cells"].append(node("77", "evaluate", 'Say "hi" <b>&</b> [x] {y} |z| #1 `c` \\n ; }] -->',
                              [param("expression", "1;"), event("onerror")], key="evaluate"))
    path = tmp_path / "hostile.json"
    path.write_text(dumps(flow))
    return path


@pytest.mark.parametrize("path", ALL_FLOWS, ids=lambda p: p.name)
def test_dot_parses_with_every_node_and_outcome(path):
    view = _view(path)
    graphs = pydot.graph_from_dot_data(to_dot(view))
    assert graphs and len(graphs) == 1
    graph = graphs[0]
    drawn = {n.get_name().strip('"'): n for n in graph.get_nodes() if n.get_name() not in ("node", "edge")}
    unconnected = [e for e in view.edges if e.unhandled]
    assert set(drawn) >= {n.id for n in view.nodes} | {e.id for e in view.ends}
    assert len(drawn) == len(view.nodes) + len(view.ends) + len(unconnected)
    edges = graph.get_edges()
    outcomes = [o for n in view.nodes for o in view.graph.outcomes(n.id)]
    assert len(edges) == sum(len(o.targets) or o.declared for o in outcomes)
    assert sum(1 for e in edges if e.get("style") == "dashed") == len(unconnected)
    for item in view.nodes:
        assert (drawn[item.id].get("class") or "").strip('"') == (item.severity or "")


def test_dot_escapes_labels(tmp_path):
    view = build_view(load_source(_hostile_flow(tmp_path)))
    graph = pydot.graph_from_dot_data(to_dot(view))[0]
    label = graph.get_node('"77"')[0].get("label")
    assert 'Say \\"hi\\" <b>&</b>' in label and "\\\\n" in label


@pytest.mark.parametrize("path", ALL_FLOWS, ids=lambda p: p.name)
def test_json_matches_schema_and_graph(path):
    view = _view(path)
    document = json.loads(CliRunner().invoke(cli, ["show", "--format", "json", str(path)]).output)
    _schema_validator().validate(document)
    assert [n["id"] for n in document["nodes"] if n["kind"] != "end"] == [n.id for n in view.nodes]
    expected = [(n.id, o.event, t) for n in view.nodes for o in view.graph.outcomes(n.id) for t in (o.targets or [None])]
    assert [(e["source"], e["event"], e["target"]) for e in document["edges"]] == expected
    ends = {n["id"] for n in document["nodes"] if n["kind"] == "end"}
    assert {e["target"] for e in document["edges"] if (e["target"] or "").startswith("end:")} == ends
    findings = sum(len(n["findings"]) for n in document["nodes"]) + len(document["findings"])
    assert findings == len(view.findings)


def test_json_several_flows_and_no_lint():
    result = CliRunner().invoke(cli, ["show", "--format", "json", "--no-lint", *map(str, SAMPLES[:3])])
    document = json.loads(result.output)
    _schema_validator().validate(document)
    assert len(document["flows"]) == 3
    assert all(not f["flow"]["linted"] and not any(n["findings"] for n in f["nodes"]) for f in document["flows"])


MERMAID_LINE = re.compile(
    r'^  (?:'
    r'(?P<id>[A-Za-z][A-Za-z0-9_]*)(?:\(\["[^"]*"\]\)|\["[^"]*"\]|\(\("End"\)\))'  # node
    r'|(?P<src>[A-Za-z][A-Za-z0-9_]*) (?P<arrow>-->|-\.->)\|"(?P<label>[^"]*)"\| (?P<dst>[A-Za-z][A-Za-z0-9_]*)'
    r'(?:\[/"not connected"/\])?'  # edge
    r'|classDef [a-z]+ [^;]+'
    r'|class [A-Za-z0-9_,]+ [a-z]+'
    r')$')


@pytest.mark.parametrize("path", ALL_FLOWS, ids=lambda p: p.name)
def test_mermaid_is_the_flowchart_syntax_github_renders(path):
    view = _view(path)
    text = to_mermaid(view)
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "flowchart TD"
    declared, edges, dashed = set(), 0, 0
    for line in lines[1:]:
        match = MERMAID_LINE.match(line)
        assert match, f"not plain flowchart syntax: {line!r}"
        if match.group("id"):
            assert match.group("id") not in declared
            declared.add(match.group("id"))
        if match.group("src"):
            edges += 1
            dashed += match.group("arrow") == "-.->"
            assert match.group("src") in declared
            assert match.group("dst") in declared or match.group("arrow") == "-.->"
    assert len(declared) == len(view.nodes) + len(view.ends)
    outcomes = [o for n in view.nodes for o in view.graph.outcomes(n.id)]
    assert edges == sum(len(o.targets) or o.declared for o in outcomes)
    assert dashed == sum(1 for o in outcomes if o.declared and not o.targets)
    styled = {}
    for line in lines:
        if line.startswith("  class "):
            ids, level = line.split()[1:]
            styled.update(dict.fromkeys(ids.split(","), level))
    for item in view.nodes:
        if item.severity:
            assert styled.get(f"n{item.id}") == item.severity, item.id
        else:
            assert styled.get(f"n{item.id}") in (None, "unreachable"), item.id


def test_mermaid_escapes_labels(tmp_path):
    text = to_mermaid(build_view(load_source(_hostile_flow(tmp_path))))
    line = next(line for line in text.splitlines() if line.startswith("  n77["))
    assert MERMAID_LINE.match(line), line
    assert "Say 'hi' ‹b›&‹/b› [x] {y} |z| #1 'c' \\n ; }] --›" in line


def test_mermaid_for_several_flows_is_markdown_with_one_block_each():
    result = CliRunner().invoke(cli, ["show", "--format", "mermaid", *map(str, SAMPLES[:2])])
    assert result.exit_code == 0
    assert result.output.count("```mermaid\nflowchart TD\n") == 2


def test_readme_mermaid_example_is_what_show_prints_today():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```mermaid\n(.*?)```", readme, re.S).group(1)
    here = Path.cwd()
    import os

    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(cli, ["show", "--format", "mermaid", "samples/cce/created.json"])
    finally:
        os.chdir(here)
    assert block == result.output
