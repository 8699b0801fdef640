"""Every kind of patch on every reference flow, in both value encodings.

For each patch: the bytes that change lie inside the planned values (checked
span-wise, also inside JSON documents stored in strings), the semantic diff is
exactly the plan, the findings the patch is for are gone, patching again
changes nothing, and the encoded file ends up as the encoding of the patched
decoded file.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REFERENCE_DIR, REFERENCE_FLOWS, needs_reference
from connectflow.catalogue import is_destination_variable
from connectflow.cli import cli
from connectflow.copies import auth_copies, auth_name_copy
from connectflow.lint import Selection, lint_source
from connectflow.lint.registry import builtin_registry
from connectflow.load import load_bytes, load_source
from connectflow.load.locate import SourceMap
from connectflow.model import as_text, build_flow
from connectflow.patch.apply import unescape
from connectflow.patch.plan import Auth, Settings, same
from connectflow.patch.run import prepare
from connectflow.profile import load_profile
from flowkit import dumps, encode

REGISTRY = builtin_registry()
QUEUE = "0b8e4f6a-1111-4222-8333-444455556666"
ROUTED = "wxcc-task-routed-flow.json"


def assert_confined(before: str, after: str, pointers, raw_old=None, raw_new=None) -> None:
    """Outside the spans of the patched values, ``before`` and ``after`` are the same bytes.

    Values inside a JSON document stored in a string are followed into it; ``raw_*``
    map a range of such a decoded string back to the bytes of the file.
    """
    raw_old = raw_old or (lambda a, b: before[a:b])
    raw_new = raw_new or (lambda a, b: after[a:b])
    old_map, new_map = SourceMap(before), SourceMap(after)
    groups = defaultdict(list)
    for pointer in pointers:
        resolved = old_map.resolve(pointer)
        assert resolved is not None, pointer
        groups[resolved.pointer].append(resolved.inner)
    i_old = i_new = 0
    for prefix in sorted(groups, key=lambda q: old_map.span(q).start):
        old_span, new_span = old_map.span(prefix), new_map.span(prefix)
        assert raw_old(i_old, old_span.start) == raw_new(i_new, new_span.start), f"bytes before {prefix} changed"
        inner = [p for p in groups[prefix] if p]
        if inner:
            old_text, old_offsets = unescape(before[old_span.start:old_span.end])
            new_text, new_offsets = unescape(after[new_span.start:new_span.end])
            assert_confined(old_text, new_text, inner,
                            lambda a, b, s=old_span.start, o=old_offsets: raw_old(s + o[a], s + o[b]),
                            lambda a, b, s=new_span.start, o=new_offsets: raw_new(s + o[a], s + o[b]))
        i_old, i_new = old_span.end, new_span.end
    assert raw_old(i_old, len(before)) == raw_new(i_new, len(after)), "bytes after the last value changed"


def kinds_for(flow) -> dict[str, Settings]:
    """Each kind of patch that applies to ``flow``, with values a tenant would give."""
    kinds = {"set": Settings(sets=((f"{flow.start.pointer}/value/attributes/label", '"Start here"'),))}
    trigger = flow.trigger
    if trigger and any(is_destination_variable(c.variable) for c in trigger.effective_conditions):
        kinds["asset"] = Settings(asset_ids=("LC40211337",))
    prebuilt = flow.nodes_of("prebuiltnode")
    if prebuilt:
        integrations = sorted({as_text(n.param_value("integration_id")) for n in prebuilt})
        kinds["auth"] = Settings(auth=tuple(Auth(i, "4711", "Tenant WxCC Auth") for i in integrations))
    labels = {n.label for n in prebuilt}
    if "Queue Task" in labels:
        kinds["queue"] = Settings(queue=QUEUE)
    if "Resolve Conversation" in labels:
        kinds["flow_id"] = Settings(flow_id="41897")
    text_variables = [v for v in flow.custom_variables if isinstance(v.value, str)]
    if text_variables:
        kinds["set_var"] = Settings(set_vars=((text_variables[-1].name, "patched by connectflow"),))
    kinds["all"] = Settings(**{field: value for settings in kinds.values()
                               for field, value in vars(settings).items() if value})
    return kinds


CASES = [pytest.param(path, kind, id=f"{path.stem}-{kind}")
         for path in REFERENCE_FLOWS for kind in kinds_for(build_flow(load_source(path).data))]


def _file(path, encoding, tmp_path):
    if encoding == "decoded":
        return path  # read only: prepare never writes
    encoded = tmp_path / path.name
    encoded.write_text(dumps(encode(load_source(path).data)), encoding="utf-8")
    return encoded


def _findings(text: str, rule_id: str):
    rule = REGISTRY.get(rule_id)
    if rule is None:
        pytest.fail(f"{rule_id} is not registered in builtin_registry(): the patch test needs the lint rule "
                    f"that reports what this patch fixes ({rule_id}); add it or fix its registration")
    return lint_source(load_bytes("flow.json", text.encode()), [rule], Selection())


@needs_reference
@pytest.mark.parametrize("encoding", ["decoded", "encoded"])
@pytest.mark.parametrize(("path", "kind"), CASES)
def test_patch_is_minimal_exact_and_idempotent(path, kind, encoding, tmp_path):
    flow_file = _file(path, encoding, tmp_path)
    settings = kinds_for(build_flow(load_source(path).data))[kind]
    result, _ = prepare(str(flow_file), settings, None, REGISTRY)
    assert result.patches, f"{kind} plans nothing on {path.name}"
    # Minimal: only the bytes of the planned values change.
    assert_confined(result.before, result.after, [p.pointer for p in result.patches])
    # Exact: the semantic diff is the plan, value for value.
    planned = {p.pointer: p for p in result.patches}
    assert {c.pointer for c in result.changes} == set(planned)
    for change in result.changes:
        assert same(change.new, planned[change.pointer].new), change
    # Idempotent: the patched file plans nothing, and comes out byte for byte.
    again_file = tmp_path / f"again-{path.name}"
    again_file.write_bytes(result.output)
    again, _ = prepare(str(again_file), settings, None, REGISTRY)
    assert again.patches == [] and again.output == result.output


@needs_reference
@pytest.mark.parametrize(("path", "kind"), CASES)
def test_encoded_patch_is_the_encoding_of_the_decoded_patch(path, kind, tmp_path):
    settings = kinds_for(build_flow(load_source(path).data))[kind]
    decoded, _ = prepare(str(path), settings, None, REGISTRY)
    encoded, _ = prepare(str(_file(path, "encoded", tmp_path)), settings, None, REGISTRY)
    assert json.loads(encoded.after) == encode(json.loads(decoded.after))
    assert build_flow(json.loads(encoded.after)).model_dump() == build_flow(json.loads(decoded.after)).model_dump()
    assert [(c.pointer, c.new) for c in encoded.changes] == [(c.pointer, c.new) for c in decoded.changes]


ASSET_FLOWS = [p for p in REFERENCE_FLOWS if "asset" in kinds_for(build_flow(load_source(p).data))]
AUTH_FLOWS = [p for p in REFERENCE_FLOWS if "auth" in kinds_for(build_flow(load_source(p).data))]


@needs_reference
def test_reference_flows_cover_every_kind():
    kinds = {kind for _, kind in (c.values for c in CASES)}
    assert kinds == {"set", "asset", "auth", "queue", "flow_id", "set_var", "all"}
    assert {p.name for p in ASSET_FLOWS} == {"wxcc-task-routed-flow.json", "wxcc-task-close-flow.json",
                                             "wxcc-task-modified-flow.json"}


@needs_reference
@pytest.mark.parametrize("encoding", ["decoded", "encoded"])
@pytest.mark.parametrize("path", ASSET_FLOWS, ids=lambda p: p.name)
def test_asset_id_clears_cf101(path, encoding, tmp_path):
    result, _ = prepare(str(_file(path, encoding, tmp_path)), Settings(asset_ids=("LC40211337",)), None, REGISTRY)
    assert _findings(result.before, "CF101"), "the template's placeholder is reported before the patch"
    assert _findings(result.after, "CF101") == []
    trigger = build_flow(json.loads(result.after)).trigger
    assert len(trigger.all_copies) == 3
    assert {as_text(c.value) for c in trigger.all_copies} == {"LC40211337"}


@needs_reference
@pytest.mark.parametrize("encoding", ["decoded", "encoded"])
@pytest.mark.parametrize("path", AUTH_FLOWS, ids=lambda p: p.name)
def test_auth_on_every_prebuilt_node_clears_cf301(path, encoding, tmp_path):
    settings = kinds_for(build_flow(load_source(path).data))["auth"]
    result, _ = prepare(str(_file(path, encoding, tmp_path)), settings, None, REGISTRY)
    assert _findings(result.before, "CF301"), "unauthorized nodes are reported before the patch"
    assert _findings(result.after, "CF301") == []
    for node in build_flow(json.loads(result.after)).nodes_of("prebuiltnode"):
        assert [as_text(c.value) for c in auth_copies(node)] == ["4711"] * len(auth_copies(node)) != []
        assert auth_name_copy(node).value == "Tenant WxCC Auth"


@needs_reference
def test_queue_and_flow_id_reach_every_copy_in_sms_inbound():
    path = REFERENCE_DIR / "wxcc-sms-inbound.json"
    result, _ = prepare(str(path), Settings(queue=QUEUE, flow_id="41897"), None, REGISTRY)
    where = sorted((p.reason, as_text(p.new)) for p in result.patches)
    assert where == sorted([
        ("Queue Task queueid (nodeInput)", QUEUE), ("Queue Task queueid (extraParamsData)", QUEUE),
        ("Queue Task queueid (request_body)", QUEUE),
        ("Queue Task queueid (methodRequestParameters)", QUEUE),  # value
        ("Queue Task queueid (methodRequestParameters)", QUEUE),  # desc
        ("Resolve Conversation flowId (extraParamsData)", "41897"),  # nodeInput is {} in this template
        ("Resolve Conversation flowId (methodRequestParameters)", "41897"),  # "Flow Id" header: value
        ("Resolve Conversation flowId (methodRequestParameters)", "41897"),  # desc
    ])
    flow = build_flow(json.loads(result.after))
    assert isinstance(flow.nodes["1097"].param_value("extraParamsData")["flowId"], int), "a number stays a number"
    queue_task = flow.nodes["736"]
    assert queue_task.param_value("nodeInput")["queueid"] == queue_task.param_value("extraParamsData")["queueid"] \
        == next(i["value"] for i in queue_task.param_value("request_body") if i["name"] == "queueid") == QUEUE
    # The org's queue list (queuenameOptions, queueInfo) is a menu of choices, not a copy of the choice.
    assert "6fe228c8-b375-4489-97b7-c30bf3d1cae1" in json.dumps(queue_task.param_value("nodeInput")["queuenameOptions"])


@needs_reference
def test_routed_flow_demo_changes_the_three_condition_copies_and_nothing_else():
    """The README demo: `connectflow patch --asset-id LC40211337 wxcc-task-routed-flow.json`."""
    path = REFERENCE_DIR / "wxcc-task-routed-flow.json"
    result, _ = prepare(str(path), Settings(asset_ids=("LC40211337",)), None, REGISTRY)
    assert [p.reason for p in result.patches] == [
        "start condition webex.destination (start_node_info)",
        "start condition webex.destination (apiReqConditions)",
        "start condition webex.destination (conditions)",
    ]
    assert result.after == result.before.replace('"OR06143228"', '"LC40211337"')
    assert result.before.count('"OR06143228"') == 3


@needs_reference
@pytest.mark.parametrize("encoding", ["decoded", "encoded"])
def test_set_on_one_copy_writes_every_copy(encoding, tmp_path):
    """A --set on one copy of a prebuilt setting, or on one of an Evaluate's two scripts, writes all."""
    path = REFERENCE_DIR / ROUTED
    flow = build_flow(load_source(path).data)
    screen_pop, evaluate = flow.nodes["1326"], flow.nodes["1520"]
    script = evaluate.param_value("exp").replace("var responseObj", "var obj")
    settings = Settings(sets=((screen_pop.param("extraParamsData").text_pointer + "/screenPopUrl", '"crm.example.com"'),
                              (evaluate.param("exp").text_pointer, json.dumps(script))))
    result, _ = prepare(str(_file(path, encoding, tmp_path)), settings, None, REGISTRY)
    assert sorted(p.reason for p in result.patches) == sorted(
        [f"--set {screen_pop.param('extraParamsData').text_pointer}/screenPopUrl ({where})"
         for where in ("nodeInput", "extraParamsData", "request_body", "methodRequestParameters",
                       "methodRequestParameters")]
        + [f"--set {evaluate.param('exp').text_pointer} ({where})" for where in ("expression", "exp")])
    assert_confined(result.before, result.after, [p.pointer for p in result.patches])
    after = build_flow(json.loads(result.after))
    assert after.nodes["1520"].param_value("expression") == after.nodes["1520"].param_value("exp") == script
    node = after.nodes["1326"]
    assert node.param_value("nodeInput")["screenPopUrl"] == node.param_value("extraParamsData")["screenPopUrl"] \
        == node.param_value("request_body")[2]["value"] == "crm.example.com"


# -- the WxCC channel templates with the sample tenant profile --------------------------------

SAMPLE_PROFILE = Path(__file__).resolve().parents[1] / "samples" / "tenant.toml"
CHANNEL_TEMPLATES = [p for p in REFERENCE_FLOWS if p.name.startswith("wxcc-") and "inbound" in p.name]
# What no patch can fix: graph defects of Cisco's templates (open outcomes, stale End cells)
# and the Email template's inactive leftover condition; each is pinned in test_reference_rules_*.
NOT_PATCHABLE = {"CF104", "CF401", "CF404", "CF405"}


@needs_reference
@pytest.mark.parametrize("path", CHANNEL_TEMPLATES, ids=lambda p: p.name)
@pytest.mark.parametrize("encoding", [0, 1], ids=["decoded", "encoded"])
def test_channel_template_with_the_sample_profile_is_ready_but_for_graph_defects(path, encoding, tmp_path):
    profile = SAMPLE_PROFILE
    source = load_source(path)
    flow_file = tmp_path / "in" / path.name
    flow_file.parent.mkdir()
    flow_file.write_text(source.text if encoding == 0 else dumps(encode(source.data)), encoding="utf-8")
    before = sorted({f.rule for f in lint_source(load_source(flow_file), list(REGISTRY), Selection(), None)})
    assert set(before) - NOT_PATCHABLE, "the template as imported needs tenant values"
    result = CliRunner().invoke(cli, ["patch", "--profile", str(profile), str(flow_file), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    patched = tmp_path / path.name
    findings = lint_source(load_source(patched), list(REGISTRY), Selection(), load_profile(profile))
    assert {f.rule for f in findings} <= NOT_PATCHABLE, [f"{f.rule} {f.node_id} {f.message}" for f in findings]
    again = CliRunner().invoke(cli, ["patch", "--profile", str(profile), str(patched), "--check"])
    assert again.exit_code == 0, again.output
