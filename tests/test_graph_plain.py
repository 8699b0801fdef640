"""Lint's graph queries walk adjacency lists; they agree with networkx on every flow."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from conftest import REFERENCE_FLOWS
from connectflow.graph import END_PREFIX, FlowGraph
from connectflow.load import load_source
from connectflow.model import build_flow

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "samples" / "cce").glob("*.json"))


@pytest.mark.parametrize("path", [*REFERENCE_FLOWS, *SAMPLES], ids=lambda p: p.name)
def test_reachability_and_successors_agree_with_networkx(path):
    flow = build_flow(load_source(path).data)
    graph = FlowGraph(flow)
    assert set(graph.graph.nodes) >= set(flow.nodes)
    start = flow.start
    if start is not None:
        expected = {n for n in nx.descendants(graph.graph, start.id) | {start.id} if not n.startswith(END_PREFIX)}
        assert graph.reachable == expected
    for node_id in flow.nodes:
        assert graph.successors(node_id) == sorted(
            (data["event"], target) for _, target, data in graph.graph.out_edges(node_id, data=True))


def test_lint_does_not_import_networkx():
    import subprocess
    import sys

    sample = SAMPLES[0]
    code = ("import sys; from connectflow.cli import main; sys.argv = ['connectflow', 'lint', %r]\n"
            "try: main()\nexcept SystemExit: pass\n"
            "assert 'networkx' not in sys.modules, 'networkx imported'" % str(sample))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[1])
    assert result.returncode == 0, result.stderr
