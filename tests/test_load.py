"""Loader, model and graph on the real reference flows, in both value encodings."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner

from conftest import REFERENCE_DIR, REFERENCE_FLOWS, needs_reference
from connectflow.cli import cli
from connectflow.graph import FlowGraph
from connectflow.load import LoadError, load_bytes, load_source
from connectflow.load.locate import SourceMap
from connectflow.load.decode import loads
from connectflow.model import as_text, build_flow, decode
from flowkit import dumps, encode, webhook_flow

ROUTED = REFERENCE_DIR / "wxcc-task-routed-flow.json"


def _both(path):
    source = load_source(path)
    encoded = load_bytes(path.name, dumps(encode(source.data)).encode())
    return source, encoded


@needs_reference
@pytest.mark.parametrize("path", REFERENCE_FLOWS, ids=lambda p: p.name)
def test_children_and_ends_are_the_objects_their_constructors_make(path):
    """build_flow makes children and End bindings without their __init__: the objects must be the same."""
    import dataclasses

    source, encoded = _both(path)
    for flow in (build_flow(source.data), build_flow(encoded.data)):
        for item in [*(c for node in flow.nodes.values() for c in node.children), *flow.ends]:
            kind = type(item)
            made = kind(**{f.name: getattr(item, f.name) for f in dataclasses.fields(kind) if f.init})
            assert item == made and repr(item) == repr(made) and item.raw is made.raw


@pytest.mark.parametrize("text", [
    "[redacted]", "[r", "[", "{", "{x", "{}", "[]", '{ "a": 1}', "[ 1, 2]", "[\n1]", '{"a"', "1520", "0", "-0",
    "01", "1\u0663", "12 ", "1e5", "-12", "1.50", "12345678901234567890123", "true", "nullx", "nodeName",
])
def test_decode_fast_paths_agree_with_loads(text):
    """decode answers some strings without the JSON decoder ("[redacted]", ids): as loads would."""
    try:
        expected = loads(text)
    except ValueError:
        expected = text
    assert decode(text) == expected and type(decode(text)) is type(expected)


@needs_reference
@pytest.mark.parametrize("path", REFERENCE_FLOWS, ids=lambda p: p.name)
def test_both_encodings_load_to_equal_models(path):
    source, encoded = _both(path)
    assert encoded.data != source.data, "the encoded fixture really is encoded"
    plain, other = build_flow(source.data), build_flow(encoded.data)
    assert plain.model_dump() == other.model_dump()
    assert plain.nodes and plain.trigger is not None and plain.start is not None


@needs_reference
@pytest.mark.parametrize("path", REFERENCE_FLOWS, ids=lambda p: p.name)
def test_nothing_is_dropped(path):
    """Every cell is a node, an edge, an End, the workflowdata cell or kept as unclassified."""
    data = load_source(path).data
    flow = build_flow(data)
    accounted = len(flow.nodes) + len(flow.edges) + len(flow.ends) + len(flow.unclassified) + 1
    assert accounted == len(data["cells"])
    for item in [*flow.nodes.values(), *flow.edges, *flow.ends]:  # raw cells kept whole, unknown keys included
        assert item.raw is data["cells"][int(item.pointer.split("/")[2])]


@needs_reference
def test_task_routed_facts():
    for source in _both(ROUTED):
        flow = build_flow(source.data)
        trigger = flow.trigger
        assert (trigger.channel, trigger.event_name, trigger.event_id) == ("28", "Task Routed", "50026")
        [condition] = trigger.effective_conditions
        assert (condition.variable, condition.operator, as_text(condition.value)) == (
            "webex.destination", "equals", "OR06143228")
        assert len(trigger.all_copies) == 3 and trigger.rule_condition_status is True
        screen_pop = flow.nodes["1326"]
        assert (screen_pop.kind, screen_pop.label) == ("prebuiltnode", "Screen Pop")
        assert screen_pop.param_value("auth_id") == -1
        assert screen_pop.param_value("resourceinfo")["resource_list"][0]["auth_id"] == -1
        assert {"onScreenPopSuccess", "serviceUnavailable", "oninvaliddata"} <= set(screen_pop.declared_events)
        # End bindings attach to their parent nodes; they have no edges.
        bound = {(e.parent_node, e.event) for e in flow.ends}
        assert ("1326", "onScreenPopSuccess") in bound and ("1520", "onerror") in bound
        graph = FlowGraph(flow)
        assert graph.successors("2") == [("onbegin", "1520")]
        assert ("1", "1326") in graph.successors("1520")  # Evaluate success edge: numeric name
        assert graph.orphan_ends() == [] and graph.dangling_edges() == []
        assert graph.reachable == {"2", "1520", "1326"}


@needs_reference
def test_branch_and_unknown_tags_are_kept():
    flow = build_flow(load_source(REFERENCE_DIR / "wxcc-sms-inbound.json").data)
    branch = flow.nodes["1362"]
    assert (branch.tag, branch.kind) == ("evaluate", "branch")
    assert "None of the above" in branch.declared_events
    data = load_source(ROUTED).data
    data["cells"][2]["value"]["tag"] = "datatransform"
    data["cells"][2]["value"]["brandNewField"] = {"x": 1}
    node = build_flow(data).nodes[data["cells"][2]["id"]]
    assert node.kind == "datatransform" and not node.known
    assert node.raw["value"]["brandNewField"] == {"x": 1}


@needs_reference
def test_pointer_to_line_and_column():
    source = load_source(ROUTED)
    pointer = "/cells/0/value/attributes/start_node_info/conditions/0/value"
    line, column = source.locate(pointer)
    text_line = source.text.splitlines()[line - 1]
    assert text_line[column - 1:].startswith('"OR06143228"')
    # A pointer into a node's param resolves to that param's value.
    line, column = source.locate("/cells/2/value/attributes/label")
    assert source.text.splitlines()[line - 1][column - 1:].startswith('"Screen Pop"')


@needs_reference
def test_pointer_through_string_encoded_setting():
    source = load_bytes("routed.json", dumps(encode(load_source(ROUTED).data)).encode())
    flow = build_flow(source.data)
    start = flow.start
    pointer = start.param("apiReqConditions").text_pointer + "/0/value"
    resolved = source.sourcemap.resolve(pointer)
    assert resolved.inner == "/0/value" and source.text[resolved.span.start] == '"'
    assert json.loads(json.loads(source.text[resolved.span.start:resolved.span.end]))[0]["value"] == "OR06143228"


def test_sourcemap_spans_and_escaped_keys():
    text = '{"a/b": [1, {"c~d": "x\\"y"}], "n": -1.5e3, "t": true}'
    spans = SourceMap(text)
    assert text[spans.span("/a~1b/1/c~0d").start:spans.span("/a~1b/1/c~0d").end] == '"x\\"y"'
    assert text[spans.span("/n").start:spans.span("/n").end] == "-1.5e3"
    assert spans.resolve("/n/0") is None
    assert spans.locate("/t") == (1, len(text) - 4)


# -- bad input: exit 2, one line naming the file, never a traceback ---------------

BAD_INPUTS = {
    "empty.json": (b"", "file is empty"),
    "truncated.json": (b'{"cells": [{"id": "1"', "truncated JSON"),
    "broken.json": (b'{"cells": [}', "invalid JSON at line 1"),
    "binary.json": (bytes(range(256)) * 4, "binary file"),
    "latin1.json": ('{"cells": [], "x": "caf\u00e9"}'.encode("latin-1"), "not UTF-8"),
    "not-a-flow.json": (b'{"name": "x"}', "no 'cells' list"),
    "list.json": (b"[1, 2]", "not a Webex Connect flow"),
    "flow.workflow": (b"957854bec02cddd422b17e261b19a1c6" * 8, "encrypted Cisco .workflow export"),
    "model.xml": (b'<mxGraphModel><root><mxCell id="0"/></root></mxGraphModel>', "not yet supported"),
    "other.xml": (b"<html></html>", "not an mxGraph"),
    "notes.txt": (b"hello world", "not a flow file"),
}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BAD_INPUTS["Task Close Flow.workflow.zip"] = (
    _zip({"Task Close Flow.workflow": b"957854bec02cddd422b17e261b19a1c6" * 4}), "encrypted Cisco .workflow export")
BAD_INPUTS["two.zip"] = (_zip({"a.json": b"{}", "b.json": b"{}"}), "exactly one flow file")


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_exit_2(tmp_path, name):
    content, expected = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError) as raised:
        load_source(path)
    assert expected in str(raised.value)
    for command in (["show", str(path)], ["lint", str(path)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output
        if command[0] == "show":
            lines = result.output.strip().splitlines()
            assert len(lines) == 1 and str(path) in lines[0] and expected in lines[0]
        else:
            assert str(path) in result.output and expected in " ".join(result.output.split())  # wrapped


def test_missing_file_and_directory(tmp_path):
    result = CliRunner().invoke(cli, ["show", str(tmp_path / "nope.json")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_one_unreadable_file_does_not_stop_the_others(tmp_path):
    from flowkit import messenger_flow

    (tmp_path / "bad.json").write_text("{")
    (tmp_path / "good.json").write_text(dumps(messenger_flow()))
    result = CliRunner().invoke(cli, ["lint", "--format", "json", str(tmp_path)])
    report = json.loads(result.output)
    assert result.exit_code == 2
    assert report["summary"]["files"] == 2 and report["summary"]["unreadable"] == 1
    assert {f["file"].rsplit("/", 1)[-1] for f in report["findings"]} >= {"bad.json"}


@needs_reference
@pytest.mark.parametrize("path", REFERENCE_FLOWS, ids=lambda p: p.name)
def test_show_prints_trigger_and_nodes(path):
    from connectflow.names import channel_name

    result = CliRunner().invoke(cli, ["show", str(path)])
    assert result.exit_code == 0, result.output
    flow = build_flow(load_source(path).data)
    assert f"Trigger: {channel_name(flow.trigger.channel)}" in result.output
    for node in flow.nodes.values():
        assert f"[{node.id}]" in result.output
    assert "onBegin →" in result.output


def test_help_does_not_import_heavy_modules():
    code = ("import sys; from connectflow.cli import cli; "
            "cli.main(['--help'], standalone_mode=False); "
            "heavy = [m for m in ('networkx', 'deepdiff', 'rich', 'pydantic', 'jsonpath_ng') if m in sys.modules]; "
            "print('HEAVY', heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in result.stdout
    assert "lint" in result.stdout and "show" in result.stdout


def test_lint_without_a_profile_does_not_import_heavy_modules(tmp_path):
    """A small lint's start-up (issue 14): pydantic is the profile's, networkx the graph API's,
    deepdiff patch's; a flow without a profile needs none of them."""
    flow = tmp_path / "flow.json"
    flow.write_text(dumps(webhook_flow()))
    code = ("import sys; from connectflow.cli import cli\n"
            "try:\n    cli.main(['lint', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('networkx', 'deepdiff', 'pydantic') if m in sys.modules]; "
            "print('HEAVY', heavy)")
    result = subprocess.run([sys.executable, "-c", code, str(flow)], capture_output=True, text=True, cwd=tmp_path)
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr
    assert "1 flow checked" in result.stdout


@pytest.mark.parametrize("damage", [
    {"set": "/customVariables", "value": 7},
    {"set": "/outcomes", "value": True},
    {"set": "/cells/3/value/children/4/text", "value": 3.5},   # newEvents of a prebuilt node
    {"set": "/cells/4/value/params", "value": 1},                # an End's params
    {"set": "/cells/1/value/children/2/text", "value": False},   # the Start's output_variables
])
def test_damaged_shapes_load_and_lint_without_crashing(damage):
    """Real exports are not always well-formed: a list that is a scalar is treated as empty."""
    from connectflow.lint import Selection, lint_source
    from connectflow.lint.registry import builtin_registry
    from flowkit import apply_edits, webhook_flow

    source = load_bytes("damaged.json", dumps(apply_edits(webhook_flow(), [damage])).encode())
    build_flow(source.data)
    lint_source(source, list(builtin_registry()), Selection())


def _sniff_by_copies(raw: bytes):
    """sniff as it was first written, stripping copies of the file: the oracle for the offsets version."""
    from connectflow.load.sniff import _HEX, _ZIP_MAGIC, Format

    if raw.startswith(_ZIP_MAGIC):
        return Format.ZIP
    body = raw.lstrip(b"\xef\xbb\xbf").strip()
    if not body:
        return Format.EMPTY
    if len(body) >= 32 and len(body) % 32 == 0 and _HEX.fullmatch(body):
        return Format.ENCRYPTED
    if b"\x00" in raw[:4096]:
        return Format.BINARY
    if body[:1] in (b"{", b"["):
        return Format.JSON
    if body[:1] == b"<":
        return Format.XML
    return Format.BINARY if any(b < 9 or 13 < b < 32 for b in body[:512]) else Format.UNKNOWN


def test_sniff_reads_offsets_as_stripping_would():
    import random

    from connectflow.load.sniff import sniff

    rng = random.Random(5)
    atoms = [b"\xef\xbb\xbf", b"\xef", b"\xbb", b"\xbf", b" ", b"\t", b"\n", b"\r", b"\x0b", b"\x0c", b"{", b"[", b"<",
             b"a", b"0", b"\x00", b"\x01", b"PK\x03\x04", b"\x1f", b"\xff", b"0123456789abcdef" * 2, b"}"]
    for _ in range(20000):
        raw = b"".join(rng.choice(atoms) for _ in range(rng.randint(0, 12)))
        assert sniff(raw) is _sniff_by_copies(raw), raw
