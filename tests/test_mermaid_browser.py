"""``show --format mermaid`` rendered by the real Mermaid library (the release GitHub's
renderer is built on, fetched by tests/mermaid/fetch.sh) in headless Chromium: every sample
and reference flow parses and draws every node, and hostile labels stay text.

Skips locally when Chromium or mermaid.min.js is missing (run `bash tests/mermaid/fetch.sh`);
under CI=true both must be there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from chromium import IN_CI, launch, require_chromium
from conftest import REFERENCE_FLOWS
from flowkit import dumps, edge, event, messenger_flow, node, param

from connectflow.flowview import build_view, build_views
from connectflow.graphformats import to_mermaid
from connectflow.load import load_source

ROOT = Path(__file__).parents[1]
SAMPLES = sorted((ROOT / "samples" / "cce").glob("*.json"))
MERMAID_JS = Path(os.environ.get("MERMAID_JS", ROOT / "tests" / "mermaid" / "mermaid.min.js"))

require_chromium()
if not MERMAID_JS.is_file() and not IN_CI:
    pytest.skip(f"{MERMAID_JS} not found (bash tests/mermaid/fetch.sh fetches it)", allow_module_level=True)

RENDER = """async text => {
  await mermaid.parse(text);
  const {svg} = await mermaid.render('d' + (window.count = (window.count || 0) + 1), text);
  const holder = document.createElement('div');
  holder.innerHTML = svg;
  document.body.appendChild(holder);
  const classes = level => holder.querySelectorAll('g.node.' + level).length;
  return {nodes: holder.querySelectorAll('g.node').length, error: classes('error'),
          warning: classes('warning'), info: classes('info'), text: holder.textContent};
}"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    assert MERMAID_JS.is_file(), "CI=true but mermaid.min.js is missing: .ci/run must run tests/mermaid/fetch.sh"
    folder = tmp_path_factory.mktemp("mermaid")
    (folder / "page.html").write_text(f'<!DOCTYPE html><html><body><script src="{MERMAID_JS.resolve().as_uri()}">'
                                      "</script></body></html>")
    with sync_playwright() as playwright:
        context = launch(playwright, tmp_path_factory.mktemp("chromium-profile"))
        page = context.new_page()
        page.goto((folder / "page.html").as_uri())
        page.evaluate("mermaid.initialize({startOnLoad: false, securityLevel: 'strict'})")
        yield page
        context.close()


@pytest.mark.parametrize("path", SAMPLES + REFERENCE_FLOWS, ids=lambda p: p.name)
def test_mermaid_renders_every_node_with_its_severity(page, path):
    view = build_views([str(path)])[0]
    drawn = page.evaluate(RENDER, to_mermaid(view))
    unconnected = sum(1 for e in view.edges if e.unhandled)
    assert drawn["nodes"] == len(view.nodes) + len(view.ends) + unconnected
    for level in ("error", "warning", "info"):
        assert drawn[level] == sum(1 for n in view.nodes if n.severity == level), level


def test_hostile_labels_render_as_text(page, tmp_path):
    flow = messenger_flow()
    label = 'Say "hi" <b>&</b> [x] {y} |z| #1 `c` &amp; #35; ; }] --> <img src=x onerror=alert(1)>'
    flow["cells"].append(node("77", "evaluate", label, [param("expression", "1;"), event("onerror")], key="evaluate"))
    flow["cells"].append(edge("78", "77", "40", 'pick | "this" --> [it]'))
    path = tmp_path / "hostile.json"
    path.write_text(dumps(flow))
    drawn = page.evaluate(RENDER, to_mermaid(build_view(load_source(path))))
    shown = "Say 'hi' ‹b›&‹/b› [x] {y} |z| #1 'c' ＆amp; ＃35; ; }] --› ‹img src=x onerror=alert(1)›"
    assert shown in drawn["text"]  # the label, with look-alikes for what Mermaid would read
    assert "pick | 'this' --› [it]" in drawn["text"]
    assert page.evaluate("document.querySelectorAll('img').length") == 0
