"""``connectflow report`` and ``lint --report`` without a browser: the page is self-contained,
carries every flow, node and finding, escapes the flow's text, and fails cleanly."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner
from flowkit import dumps, event, messenger_flow, node, param

from connectflow.cli import cli

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "samples" / "cce"


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def _report(tmp_path, *paths) -> tuple[str, _Page]:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", *map(str, paths), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"report: {out.resolve().as_uri()}"
    text = out.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    return text, page


def test_report_is_self_contained(tmp_path):
    text, page = _report(tmp_path, SAMPLES)
    for tag, attrs in page.tags:
        assert "src" not in attrs, (tag, attrs)
        assert not (attrs.get("href") or "#").split("#")[0], (tag, attrs)
        assert tag not in ("link", "iframe", "img", "object", "embed"), tag
    assert re.findall(r"url\(([^)]*)\)", text) == ["#arrow"] * len(re.findall(r"url\(", text))
    assert "@import" not in text and "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    csp = next(a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp["content"]
    assert len(page.scripts) == 1  # the inline click handler, nothing loaded


def test_every_flow_node_and_finding_is_in_the_page(tmp_path):
    _, page = _report(tmp_path, SAMPLES)
    lint = json.loads(CliRunner().invoke(cli, ["lint", "--format", "json", str(SAMPLES)]).output)
    sections = [a for t, a in page.tags if t == "section"]
    assert len(sections) == 13
    nodes = [a for t, a in page.tags if t == "g" and "node" in (a.get("class") or "").split()]
    from connectflow.flowview import build_views

    assert len(nodes) == sum(len(v.flow.nodes) for v in build_views([str(SAMPLES)], lint=False))
    items = [a for t, a in page.tags if t == "li" and (a.get("class") or "") in ("error", "warning", "info")]
    assert len(items) == lint["summary"]["findings"]


def test_flow_text_is_escaped(tmp_path):
    flow = messenger_flow()
    flow["cells"].append(node("77", "evaluate", '<script>alert(1)</script>"\' onload="x',
                              [param("expression", "1;"), event("onerror")], key="evaluate"))
    path = tmp_path / "hostile.json"
    path.write_text(dumps(flow))
    text, page = _report(tmp_path, path)
    assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert len(page.scripts) == 1 and all("onload" not in a for _, a in page.tags)


def test_lint_report_link_is_the_last_line(tmp_path):
    out = tmp_path / "lint.html"
    result = CliRunner().invoke(cli, ["lint", "--no-color", str(SAMPLES), "--report", str(out)])
    assert result.exit_code == 1
    assert result.output.rstrip("\n").splitlines()[-1] == f"report: {out.resolve().as_uri()}"
    assert out.read_text().count("<section") == 13
    machine = CliRunner().invoke(cli, ["lint", "--format", "json", str(SAMPLES), "--report", str(out)])
    json.loads(machine.stdout)  # the link goes to stderr, stdout stays JSON


def test_the_page_is_the_same_whether_lint_read_the_flows_here_or_in_workers(tmp_path):
    """In one process the report draws the flows lint already read; with --jobs 2 lint reads
    them in worker processes and the report reads them again. Either way: the same page."""
    pages = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs-{jobs}.html"
        result = CliRunner().invoke(cli, ["lint", "--no-color", "--jobs", jobs, str(SAMPLES), "--report", str(out)])
        assert result.exit_code == 1, result.output
        pages.append(out.read_text(encoding="utf-8"))
    report, _ = _report(tmp_path, SAMPLES)
    assert pages[0] == pages[1] == report
    assert pages[0].count("<section") == 13


def test_bad_input_is_one_line_and_keeps_the_old_report(tmp_path):
    out = tmp_path / "report.html"
    out.write_text("previous report")
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    result = CliRunner().invoke(cli, ["report", str(SAMPLES), str(bad), "-o", str(out)])
    assert result.exit_code == 2
    assert result.output.strip().startswith("connectflow: error: ") and str(bad) in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert out.read_text() == "previous report"


def test_report_and_show_leave_out_what_the_profile_suppresses(tmp_path):
    flow = tmp_path / "routed.json"
    flow.write_bytes((SAMPLES / "routed.json").read_bytes())
    (tmp_path / "connectflow.toml").write_text(
        '[[lint.suppress]]\nrule = "CF101"\nreason = "the test tenant keeps the template destinations"\n')
    lint = json.loads(CliRunner().invoke(cli, ["lint", "--format", "json", str(flow)]).output)
    shown = json.loads(CliRunner().invoke(cli, ["show", "--format", "json", str(flow)]).output)
    in_show = [f for n in shown["nodes"] for f in n["findings"]] + shown["findings"]
    assert sorted(f["rule"] for f in in_show) == sorted(f["rule"] for f in lint["findings"])
    assert "CF101" not in {f["rule"] for f in in_show}
    text, _ = _report(tmp_path, flow)
    assert "CF101" not in text
