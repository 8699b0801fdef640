"""The editor bridge in a real browser: Debian's Chromium (driven by Playwright's Python
package, never a downloaded browser), the real mxGraph library (npm ``mxgraph``, installed
by ``npm ci`` in tests/browser), and a page served from 127.0.0.1 whose model is built
from each reference flow in the editor's own form (see tests/browser/editor-model.js).

Round trip on every reference flow: export -> equals the flow -> lint gives the file's
findings -> patch --editor-script -> run it -> export again -> equals ``patch -o``'s file.
A tampered model, another flow and a page without an editor make the apply script refuse
and change nothing. Script-breaking strings round-trip unchanged and never execute.

Locally these tests skip, with the reason, when no browser (or mxGraph) is installed;
under ``CI=true`` that is a failure.
"""

from __future__ import annotations

import copy
import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REFERENCE_FLOWS, needs_reference
from connectflow.cli import cli
from connectflow.editor import bookmarklet, export_snippet
from connectflow.lint import Selection, lint_source
from connectflow.lint.registry import builtin_registry
from connectflow.load import load_source
from connectflow.profile import load_profile
from flowkit import dom_form, dumps

HERE = Path(__file__).parent / "browser"
TENANT = HERE / "tenant.toml"
MXCLIENT = HERE / "node_modules" / "mxgraph" / "javascript" / "mxClient.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EXPORTED_KEYS = ("flowId", "temporary_name", "cells", "customVariables", "outcomes")

# Values that end a <script> element, close a string, escape, interpolate or end a line in
# JavaScript. If any of them ever ran, window.__pwned would be set.
HOSTILE_OLD = ('</script><script>window.__pwned="old"</script> "double" \'single\' back\\slash \\" '
               '${window.__pwned="template"} `tick` \u2028line\u2029para <!-- x --> ]]> &amp;')
HOSTILE_NEW = ('</SCRIPT ><script>window.__pwned="new"</script>\\u2028 ");window.__pwned="quote";(" '
               "${window.__pwned='new'} \u2028\u2029 \\\\ */ /* //")


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}: .ci/run installs it")
    pytest.skip(reason)


def _chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def server():
    """tests/browser served from 127.0.0.1; ``server.pages`` adds pages the tests write."""
    if not MXCLIENT.is_file() and shutil.which("npm"):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=HERE, timeout=600, check=False)
    if not MXCLIENT.is_file():
        _unavailable(f"mxGraph is not installed ({MXCLIENT} missing: run `npm ci` in {HERE})")
    pages: dict[str, str] = {}

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            if self.path in pages:
                body = pages[self.path].encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(HERE)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.pages = pages
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    if executable is None:
        _unavailable("no Chromium found (apt-get install chromium chromium-driver)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright's Python package is not installed (pip install '.[test]')")
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(accept_downloads=True)
    tab = context.new_page()
    tab.console_messages = []
    tab.on("console", lambda message: tab.console_messages.append(message.text))
    tab.on("pageerror", lambda error: tab.console_messages.append(f"pageerror: {error}"))
    tab.goto(f"{server.url}/editor.html")
    yield tab
    context.close()


def run_snippet(page, snippet: str):
    """The snippet's completion value, as ``eval`` in the console gives it."""
    return page.evaluate("source => (0, eval)(source)", snippet)


def load_flow(page, flow: dict) -> None:
    page.evaluate("flow => cfLoadFlow(flow)", flow)


def export(page) -> dict:
    text = run_snippet(page, export_snippet(download=False))
    assert isinstance(text, str), page.console_messages
    return json.loads(text)


def editor_part(document: dict) -> dict:
    return {key: document.get(key) for key in EXPORTED_KEYS}


def findings(path) -> list[tuple]:
    profile = load_profile(TENANT)
    return sorted((f.rule, str(f.node_id), f.message)
                  for f in lint_source(load_source(path), builtin_registry(), Selection(), profile))


def hostile_leaf(reference: Path) -> str:
    """The pointer of the first plain-text setting of a node other than Start, Evaluate and
    Branch (whose strings are outcome names) that no finding is about: where the hostile
    strings go (every reference flow has one)."""
    flow = json.loads(reference.read_text(encoding="utf-8"))
    flagged = {f.pointer for f in lint_source(load_source(reference), builtin_registry(), Selection())}
    for index, cell in enumerate(flow["cells"]):
        value = cell.get("value")
        if not isinstance(value, dict) or value.get("tag") in (None, "workflowdata", "start", "evaluate"):
            continue
        for number, child in enumerate(value.get("children") or []):
            if child.get("tag") == "param" and isinstance(child.get("text"), str) and child["text"][:1] not in "{[" \
                    and f"/cells/{index}/value/children/{number}/text" not in flagged:
                return f"/cells/{index}/value/children/{number}/text"
    raise AssertionError("no plain-text node setting")


def with_hostile_value(flow: dict, pointer: str) -> dict:
    flow = copy.deepcopy(flow)
    _, _, index, _, _, number, _ = pointer.split("/")
    flow["cells"][int(index)]["value"]["children"][int(number)]["text"] = HOSTILE_OLD
    return flow


def patch(*args) -> None:
    result = CliRunner().invoke(cli, ["patch", *map(str, args)])
    assert result.exit_code == 0, result.output


@needs_reference
@pytest.mark.parametrize("reference", REFERENCE_FLOWS, ids=lambda p: p.stem)
def test_round_trip_through_the_editor(reference, page, tmp_path):
    captured = json.loads(reference.read_text(encoding="utf-8"))
    pointer = hostile_leaf(reference)
    flow = with_hostile_value(captured, pointer)            # the flow as the tenant holds it
    in_editor = dom_form(flow)
    original = tmp_path / reference.name
    original.write_text(dumps(flow), encoding="utf-8")
    load_flow(page, in_editor)

    exported = export(page)
    assert exported == editor_part(in_editor)               # every string exactly as the editor stores it
    (tmp_path / "export").mkdir()
    exported_file = tmp_path / "export" / reference.name    # the profile's [flow_ids] go by file name
    exported_file.write_text(json.dumps(exported, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert findings(exported_file) == findings(original)

    patched_file, script = tmp_path / "patched.json", tmp_path / "apply.js"
    patch("--profile", TENANT, "--set", f"{pointer}={json.dumps(HOSTILE_NEW)}", exported_file,
          "-o", patched_file, "--editor-script", script)
    patched = json.loads(patched_file.read_text(encoding="utf-8"))
    plan_size = script.read_text(encoding="utf-8").count('"where":')
    assert plan_size >= 1

    result = run_snippet(page, script.read_text(encoding="utf-8"))
    assert result == {"applied": plan_size, "refused": []}, page.console_messages
    assert page.evaluate("window.cfChanges") == 1           # one model update: one undoable edit
    assert any("Now click Save" in line for line in page.console_messages)
    again = export(page)
    assert again == editor_part(patched)
    again_file = tmp_path / "again.json"
    again_file.write_text(json.dumps(again, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert findings(again_file) == findings(patched_file)
    assert page.evaluate("window.__pwned") is None

    assert run_snippet(page, script.read_text(encoding="utf-8")) == {"applied": 0, "refused": []}  # idempotent


@needs_reference
@pytest.mark.parametrize("reference", REFERENCE_FLOWS, ids=lambda p: p.stem)
def test_tampered_model_refuses_and_changes_nothing(reference, page, tmp_path):
    captured = json.loads(reference.read_text(encoding="utf-8"))
    in_editor = dom_form(captured)
    source = tmp_path / reference.name
    source.write_text(dumps(in_editor), encoding="utf-8")
    script = tmp_path / "apply.js"
    patch("--profile", TENANT, "--set", f"{hostile_leaf(reference)}={json.dumps(HOSTILE_NEW)}", source,
          "--editor-script", script)
    load_flow(page, in_editor)
    # Someone edits the value after the export: the first value the script would change.
    plan = _plan(script)
    change = plan["changes"][0]
    page.evaluate("""change => {
        const cell = window.ui.editor.graph.getModel().getCell(change.cell);
        if (change.where === 'value') {
            let holder = cell.value;
            for (const key of change.path.slice(0, -1)) holder = holder[key];
            holder[change.path[change.path.length - 1]] = 'edited in the editor';
            return;
        }
        let element = cell.value;
        for (const i of change.element) element = Array.from(element.children)[i];
        if (change.where === 'text') element.textContent = 'edited in the editor';
        else element.setAttribute(change.attribute, 'edited in the editor');
    }""", change)
    before = export(page)
    page.evaluate("window.cfChanges = 0")
    result = run_snippet(page, script.read_text(encoding="utf-8"))
    assert result["applied"] == 0
    assert len(result["refused"]) == 1 and f"cell {change['cell']}" in result["refused"][0]
    assert '"edited in the editor"' in result["refused"][0]
    assert export(page) == before
    assert page.evaluate("window.cfChanges") == 0
    assert any("nothing was changed" in line for line in page.console_messages)


def _plan(script: Path) -> dict:
    text = script.read_text(encoding="utf-8")
    start = text.index("var PLANS = ") + len("var PLANS = ")
    plans, _ = json.JSONDecoder().raw_decode(text, start)
    assert len(plans) == 1
    return plans[0]


ROUTED = next((p for p in REFERENCE_FLOWS if p.name == "wxcc-task-routed-flow.json"), None)
LIVECHAT = next((p for p in REFERENCE_FLOWS if p.name == "wxcc-livechatinbound-flow.json"), None)


def _script_for(reference: Path, tmp_path: Path, *extra) -> tuple[dict, Path]:
    in_editor = dom_form(json.loads(reference.read_text(encoding="utf-8")))
    source = tmp_path / reference.name
    source.write_text(dumps(in_editor), encoding="utf-8")
    script = tmp_path / f"{reference.stem}.apply.js"
    patch("--profile", TENANT, source, "--editor-script", script, *extra)
    return in_editor, script


@needs_reference
def test_export_as_printed_downloads_the_flow_and_so_does_the_bookmarklet(page):
    in_editor = dom_form(json.loads(ROUTED.read_text(encoding="utf-8")))
    load_flow(page, in_editor)
    printed = CliRunner().invoke(cli, ["editor", "export"]).output
    with page.expect_download() as download:
        text = run_snippet(page, printed)
    assert download.value.suggested_filename == f"{in_editor['temporary_name']}.json"
    assert Path(download.value.path()).read_text(encoding="utf-8") == text
    assert json.loads(text) == editor_part(in_editor)

    link = CliRunner().invoke(cli, ["editor", "export", "--bookmarklet"]).output.strip()
    assert link.startswith("javascript:void") and "\n" not in link and "#" not in link
    page.evaluate("""href => { const a = document.createElement('a'); a.id = 'bookmarklet'; a.href = href;
                              a.textContent = 'export'; document.body.appendChild(a); }""", link)
    with page.expect_download() as download:
        page.click("#bookmarklet")
    assert json.loads(Path(download.value.path()).read_text(encoding="utf-8")) == editor_part(in_editor)
    assert page.evaluate("typeof window.ui.editor.graph.getModel") == "function"  # page not replaced


@needs_reference
def test_redacted_export_hides_credentials_for_sharing(page):
    in_editor = dom_form(json.loads(ROUTED.read_text(encoding="utf-8")))
    in_editor["cells"][2]["value"]["children"].append(
        {"tag": "param", "attributes": {"name": "authorization"}, "text": "Bearer abc.def"})
    load_flow(page, in_editor)
    text = run_snippet(page, export_snippet(redact=True, download=False))
    assert "Bearer abc.def" not in text and "[redacted]" in text
    assert json.loads(text)["redactions"].startswith("connectflow editor export --redact")
    assert export(page) == editor_part(in_editor)  # redaction changed the output only, not the model


def test_without_an_editor_both_scripts_say_so_and_raise_nothing(page, tmp_path):
    assert page.evaluate("typeof window.ui") == "undefined"
    assert run_snippet(page, export_snippet(download=False)) is None
    if ROUTED is not None:
        _, script = _script_for(ROUTED, tmp_path)
        result = run_snippet(page, script.read_text(encoding="utf-8"))
        assert result["applied"] == 0 and "window.ui.editor is missing" in result["refused"][0]
    assert any("no flow editor on this page" in line for line in page.console_messages)
    assert not any(line.startswith("pageerror") for line in page.console_messages)


@needs_reference
def test_apply_refuses_another_flow_and_a_changed_cell_set(page, tmp_path):
    _, script = _script_for(ROUTED, tmp_path)
    other = dom_form(json.loads(LIVECHAT.read_text(encoding="utf-8")))
    load_flow(page, other)
    before = export(page)
    result = run_snippet(page, script.read_text(encoding="utf-8"))
    assert result["applied"] == 0
    assert f"this is flow {other['flowId']}" in result["refused"][0] and ROUTED.name in result["refused"][0]
    assert export(page) == before

    routed = dom_form(json.loads(ROUTED.read_text(encoding="utf-8")))
    load_flow(page, routed)
    end_id = routed["cells"][-1]["id"]
    page.evaluate("id => { const m = window.ui.editor.graph.getModel(); m.remove(m.getCell(id)); }", end_id)
    before = export(page)
    result = run_snippet(page, script.read_text(encoding="utf-8"))
    assert result["applied"] == 0
    assert any(f"cell {end_id} " in line and "not in the editor" in line for line in result["refused"])
    assert export(page) == before


@needs_reference
def test_one_update_that_undo_reverts(page, tmp_path):
    in_editor, script = _script_for(LIVECHAT, tmp_path)
    load_flow(page, in_editor)
    result = run_snippet(page, script.read_text(encoding="utf-8"))
    assert result["applied"] > 0 and result["refused"] == []
    assert page.evaluate("window.cfUndo.history.length") == 1
    changed = export(page)
    assert changed["cells"] != in_editor["cells"]
    page.evaluate("window.cfUndo.undo()")
    assert export(page)["cells"] == in_editor["cells"]
    # Custom variables live outside the mxGraph model: undo does not revert them (documented).
    assert export(page)["customVariables"] == changed["customVariables"]


@needs_reference
def test_scripts_inlined_in_a_page_never_break_out(page, server, tmp_path):
    """Both snippets inside <script> elements of a served page, with hostile strings in the flow
    and in the new values: nothing but the snippets runs, and the values arrive unchanged."""
    from connectflow.editor import js_literal

    captured = json.loads(ROUTED.read_text(encoding="utf-8"))
    pointer = hostile_leaf(ROUTED)
    in_editor = dom_form(with_hostile_value(captured, pointer))
    in_editor["customVariables"][0]["value"] = HOSTILE_OLD
    source = tmp_path / "flow.json"
    source.write_text(dumps(in_editor), encoding="utf-8")
    patched, script = tmp_path / "patched.json", tmp_path / "apply.js"
    patch("--profile", TENANT, "--set", f"{pointer}={json.dumps(HOSTILE_NEW)}", "--set-var",
          f"{in_editor['customVariables'][0]['name']}={HOSTILE_NEW}", source, "-o", patched, "--editor-script", script)
    html = (HERE / "editor.html").read_text(encoding="utf-8").replace("</body>", (
        f"<script>cfLoadFlow({js_literal(in_editor)});\n"
        f"window.cfExported = {export_snippet(download=False)}</script>\n"
        f"<script>window.cfResult = {script.read_text(encoding='utf-8')}</script>\n"
        f"<script>window.cfAgain = {export_snippet(download=False)}</script>\n</body>"))
    server.pages["/inline.html"] = html
    page.goto(f"{server.url}/inline.html")
    assert page.evaluate("window.__pwned") is None
    assert not any(line.startswith("pageerror") for line in page.console_messages), page.console_messages
    assert json.loads(page.evaluate("window.cfExported")) == editor_part(in_editor)
    result = page.evaluate("window.cfResult")
    assert result["refused"] == [] and result["applied"] >= 2
    again = json.loads(page.evaluate("window.cfAgain"))
    assert again == editor_part(json.loads(patched.read_text(encoding="utf-8")))
    _, _, index, _, _, number, _ = pointer.split("/")
    assert again["cells"][int(index)]["value"]["children"][int(number)]["text"] == HOSTILE_NEW
    assert again["customVariables"][0]["value"] == HOSTILE_NEW


@needs_reference
def test_a_flow_in_the_decoded_form_applies_too(page, tmp_path):
    """A capture in the decoded form (JSON parsed, as the KB's console script wrote it): the
    script compares the editor's strings by their JSON value and writes JSON text."""
    from connectflow.patch.document import expanded

    patched_file, script = tmp_path / "patched.json", tmp_path / "apply.js"
    patch("--profile", TENANT, ROUTED, "-o", patched_file, "--editor-script", script)
    load_flow(page, dom_form(json.loads(ROUTED.read_text(encoding="utf-8"))))
    result = run_snippet(page, script.read_text(encoding="utf-8"))
    assert result["refused"] == [] and result["applied"] == 6
    again = export(page)
    patched = dom_form(json.loads(patched_file.read_text(encoding="utf-8")))
    assert expanded(again) == expanded(editor_part(patched))


@needs_reference
def test_end_edge_and_outcome_values_apply_as_object_fields(page, tmp_path):
    """Values inside End and edge objects and flow outcomes (plain objects in the editor)."""
    in_editor = dom_form(json.loads(ROUTED.read_text(encoding="utf-8")))
    end_index = next(i for i, c in enumerate(in_editor["cells"]) if (c["value"] or {}).get("type") == "EN")
    edge_index = next(i for i, c in enumerate(in_editor["cells"]) if c.get("edge"))
    source = tmp_path / ROUTED.name
    source.write_text(dumps(in_editor), encoding="utf-8")
    patched_file, script = tmp_path / "patched.json", tmp_path / "apply.js"
    patch("--set", f'/cells/{end_index}/value/params/2/value="4"', "--set",
          f'/cells/{edge_index}/value/label={json.dumps(HOSTILE_NEW)}', "--set",
          f"/outcomes/0/value={json.dumps(HOSTILE_NEW)}", source, "-o", patched_file, "--editor-script", script)
    assert sorted(c["where"] for c in _plan(script)["changes"]) == ["flowResultData", "value", "value"]
    load_flow(page, in_editor)
    assert run_snippet(page, script.read_text(encoding="utf-8")) == {"applied": 3, "refused": []}
    assert export(page) == editor_part(json.loads(patched_file.read_text(encoding="utf-8")))
    page.evaluate("window.cfUndo.undo()")
    assert export(page)["cells"] == in_editor["cells"]
