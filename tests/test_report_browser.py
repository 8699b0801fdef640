"""The HTML report opened in a real headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright's Python package): every node drawn, severity classes, click-to-highlight, no
network request, and a screenshot.

Skips only when no Chromium is installed and CI is not set; under CI=true a missing browser
fails. To refresh the README's screenshot:

    CONNECTFLOW_SCREENSHOT=docs/report.png .venv/bin/python -m pytest tests/test_report_browser.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from chromium import launch, require_chromium
from click.testing import CliRunner

from connectflow.cli import cli
from connectflow.flowview import build_views

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "samples" / "cce"
require_chromium()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    here = os.getcwd()
    os.chdir(ROOT)  # file names in the page as a user in a checkout sees them (samples/cce/...)
    try:
        result = CliRunner().invoke(cli, ["report", "samples/cce", "-o", str(path)])
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def page(report, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as playwright:
        context = launch(playwright, tmp_path_factory.mktemp("chromium-profile"),
                         viewport={"width": 1400, "height": 900})

        def record(route):
            requests.append(route.request.url)
            if route.request.url == report.as_uri():
                route.continue_()
            else:
                route.abort()

        context.route("**/*", record)
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        page.requests = requests
        yield page
        context.close()


def test_every_node_of_every_flow_is_drawn(page):
    views = build_views([str(SAMPLES)], lint=True)
    assert page.locator("section.flow").count() == len(views) == 13
    for index, view in enumerate(views):
        section = page.locator(f"section#flow-{index}")
        drawn = section.locator("svg g.node").evaluate_all("gs => gs.map(g => g.getAttribute('data-node'))")
        assert sorted(drawn) == sorted(view.flow.nodes), view.path
        for node in section.locator("svg g.node").all()[:3]:
            box = node.bounding_box()
            assert box and box["width"] > 20 and box["height"] > 10  # rendered, not just present
        assert section.locator("svg g.end").count() == len(view.ends)


def test_nodes_with_findings_carry_their_worst_severity(page):
    views = build_views([str(SAMPLES)], lint=True)
    seen = set()
    for index, view in enumerate(views):
        for node in view.nodes:
            classes = page.locator(f"#f{index}-node-{node.id}").get_attribute("class").split()
            severities = {c for c in classes if c.startswith("sev-")}
            assert severities == ({f"sev-{node.severity}"} if node.severity else set()), (view.path, node.id)
            seen |= severities
    assert "sev-error" in seen
    colour = page.locator("g.node.sev-error rect").first.evaluate("r => getComputedStyle(r).stroke")
    assert colour == "rgb(198, 40, 40)"


def test_clicking_a_finding_highlights_its_node(page):
    item = page.locator("section#flow-9 ul.findings li[data-node]").nth(1)
    node_id = item.get_attribute("data-node")
    item.click()
    node = page.locator(f"#f9-node-{node_id}")
    assert "highlight" in node.get_attribute("class").split()
    assert page.locator("g.node.highlight").count() == 1
    assert node.locator("rect").evaluate("r => getComputedStyle(r).strokeWidth") == "4px"
    other = page.locator("section#flow-9 ul.findings li[data-node]").first
    other.click()
    assert page.locator("g.node.highlight").count() == 1
    assert page.locator(f"#f9-node-{other.get_attribute('data-node')}").get_attribute("class").count("highlight") == 1


def test_no_request_leaves_the_page(page, report):
    page.wait_for_timeout(300)
    assert set(page.requests) == {report.as_uri()}, page.requests


def test_summary_table_and_screenshot(page, tmp_path):
    assert page.locator("table").first.locator("tr").count() == 14  # header + 13 flows
    assert "CF301" in page.locator("table").nth(1).inner_text()
    shot = tmp_path / "report.png"
    page.locator("section#flow-9 ul.findings li[data-node]").first.click()
    page.locator("section#flow-9").scroll_into_view_if_needed()
    page.screenshot(path=str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    if os.environ.get("CONNECTFLOW_SCREENSHOT"):
        target = Path(os.environ["CONNECTFLOW_SCREENSHOT"])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)
