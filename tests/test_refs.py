"""Variable references (connectflow.refs): scanning, parsing, classifying, and finding them
with logical pointers, in both value encodings."""

from __future__ import annotations

import pytest

from conftest import REFERENCE_DIR, REFERENCE_FLOWS, needs_reference
from connectflow.load import load_bytes, load_source
from connectflow.load.locate import split
from connectflow.model import build_flow, decode
from connectflow.refs import (Kind, Scope, classify, find_references, first_of_each, output_declared, parse, scan,
                              script_assignments, strings)
from flowkit import FLOWS, apply_edits, dumps, encode

SCOPE = Scope(custom=frozenset({"conversationId", "facebook.psid"}), assigned=frozenset({"detailsJson"}))


def _at(document, pointer):
    """The value at a logical pointer, going on through JSON held in strings."""
    value = document
    for segment in split(pointer):
        value = decode(value)
        value = value[int(segment)] if isinstance(value, list) else value[segment]
    return value


def _both(document, name="flow.json"):
    return [load_bytes(name, dumps(document).encode()), load_bytes(name, dumps(encode(document)).encode())]


# -- scanning --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("$(n2.webex.ID)", [("$(n2.webex.ID)", "n2.webex.ID", None)]),
    ("Hi $(name), code $(1100)", [("$(name)", "name", None), ("$(1100)", "1100", "is only digits")]),
    ("$(n2. abc.attachmentCount)", [("$(n2. abc.attachmentCount)", "n2. abc.attachmentCount", "contains whitespace")]),
    ("$()", [("$()", "", "is empty")]),
    ("$( )", [("$( )", " ", "is empty")]),
    ("Hi $(n80.name, welcome", [("$(n80.name, welcome", "n80.name, welcome", "has no closing parenthesis")]),
    ("$(abc $(def)", [("$(abc ", "abc ", "has no closing parenthesis"), ("$(def)", "def", None)]),
    ("$(a\nb)", [("$(a", "a", "has no closing parenthesis")]),
    ("$(a(b)) $(c)", [("$(a(b)", "a(b", "contains a parenthesis"), ("$(c)", "c", None)]),
    ("no reference, $ alone, (parens)", []),
])
def test_scan(text, expected):
    assert [(written, body, problem) for _, written, body, problem in scan(text)] == expected


def test_scan_reports_offsets():
    assert [offset for offset, *_ in scan("ab $(x) $(y)")] == [3, 8]


def test_scan_in_scripts_skips_javascript_calls():
    script = 'var a = $("#id"); var b = $(function () { return 1; }); var c = "$(n2. sms.message)"; $(n2.x);'
    assert [(body, problem) for _, _, body, problem in scan(script, script=True)] == [
        ("n2. sms.message", "contains whitespace"), ("n2.x", None)]


def test_parse():
    assert parse("n2.webex.ID") == ("2", "webex.ID")
    assert parse("n1097.taskId") == ("1097", "taskId")
    assert parse("name") == (None, None)
    assert parse("n2") == (None, None)


def test_script_assignments():
    script = ("var responseObj = response;\nlet x=1, y = 2;\nconst z = 3;\ncustomerId = requestObj.data.customerId;\n"
              "if (a == b && c === d && e != f && g <= h) { obj.prop = 1; }\ncount += 1;")
    assert script_assignments(script) == {"responseObj", "x", "y", "z", "customerId"}


@pytest.mark.parametrize(("body", "where", "kind"), [
    ("n2.sms.message", "param", Kind.NODE),
    ("conversationId", "param", Kind.CUSTOM),
    ("facebook.psid", "param", Kind.CUSTOM),
    ("detailsJson", "param", Kind.ASSIGNED),
    ("transid", "outcome", Kind.SYSTEM),
    ("flowname", "param", Kind.SYSTEM),
    ("serviceName", "param", Kind.SYSTEM),
    ("sms.message", "param", Kind.NAMESPACE),
    ("webex.taskId", "nodevariablestore", Kind.PRODUCER),
    ("status", "nodevariablestore", Kind.PRODUCER),
    ("name", "edge", Kind.PLACEHOLDER),
    ("name", "param", Kind.UNDEFINED),
    ("ConversationId", "param", Kind.UNDEFINED),
    ("crm.customerId", "param", Kind.UNDEFINED),
])
def test_classify(body, where, kind):
    assert classify(body, SCOPE, where) is kind


def test_scope_of_a_flow_has_script_and_transition_targets():
    scope = Scope.of(build_flow(FLOWS["wxcc"]()))
    assert {"detailsJson", "details", "transId", "customerMessage"} <= scope.assigned
    assert scope.custom == {"transId", "customerMessage", "conversationId"}


def test_strings_go_on_through_json_held_in_strings():
    value = [{"name": "Query Parameters", "value": '{"CustomerId": "$(customerId)", "n": 1}'}, "plain $(x)", 3]
    assert list(strings(value, "/text")) == [("/text/0/value/CustomerId", "$(customerId)"), ("/text/1", "plain $(x)")]


def test_strings_skip_only_what_cannot_hold_a_reference():
    """A string without "$(" is passed over unless JSON in it may spell one with an escape."""
    value = {"a": '["\\u0024(escaped)"]', "b": "[1, 2]", "c": "\\u0024(not JSON)", "d": ["$(x)", {"e": "$(y) $(z)"}]}
    assert list(strings(value, "")) == [("/a/0", "$(escaped)"), ("/d/0", "$(x)"), ("/d/1/e", "$(y) $(z)")]


def test_references_are_the_objects_their_constructor_makes():
    """find_references makes a Reference without its __init__ (refs._reference): the same object."""
    import dataclasses

    from connectflow.refs import Reference

    refs = [ref for make in FLOWS.values() for ref in find_references(build_flow(make()))]
    assert refs
    for ref in refs:
        made = Reference(**{f.name: getattr(ref, f.name) for f in dataclasses.fields(Reference)})
        assert ref == made and hash(ref) == hash(made) and repr(ref) == repr(made)
        assert list(vars(ref)) == list(vars(made))


# -- finding -----------------------------------------------------------------------------

def _refs(document):
    return [[(r.pointer, r.text, r.kind, r.where, r.node_id) for r in find_references(build_flow(source.data))]
            for source in _both(document)]


def test_find_references_in_every_place_of_the_base_flow():
    decoded, encoded = _refs(FLOWS["wxcc"]())
    assert decoded == encoded
    found = {(pointer, text): (kind, where, node) for pointer, text, kind, where, node in decoded}
    assert found[("/cells/1/value/children/3/text", "$(n2.sms.transId)")] == (Kind.NODE, "transition", "2")
    assert found[("/cells/3/value/children/10/text/details", "$(detailsJson)")] == (Kind.ASSIGNED, "param", "50")
    assert found[("/cells/4/value/children/2/text/0/conditions/0/varaible", "$(n50.conversationOperation)")] == (
        Kind.NODE, "param", "60")
    assert found[("/cells/13/value/edgeConfig", "$(name)")] == (Kind.PLACEHOLDER, "edge", "60")
    assert found[("/outcomes/2/notification/custompayload/transactionID", "$(transid)")] == (
        Kind.SYSTEM, "outcome", None)
    # End cells carry edgeConfig too, and are not scanned
    assert not any(pointer.startswith(("/cells/23", "/cells/24")) for pointer, *_ in decoded)


def test_find_references_in_custom_variables_and_start_conditions():
    document = FLOWS["webhook"]()
    document = apply_edits(document, [
        {"set": "/cells/0/value/attributes/start_node_info/conditions/0/value", "value": "$(n2.bad ref)"}])
    decoded, encoded = _refs(document)
    assert decoded == encoded
    assert ("/customVariables/0/value", "$(n2.inboundWebhook.body)", Kind.NODE, "custom-variable", None) in decoded
    assert ("/cells/0/value/attributes/start_node_info/conditions/0/value", "$(n2.bad ref)", Kind.MALFORMED,
            "condition", "2") in decoded


def test_first_of_each_keeps_one_per_node_and_text():
    refs = find_references(build_flow(FLOWS["wxcc"]()))
    firsts = dict(((r.node_id, r.text), count) for r, count in first_of_each(refs) if r.node_id)
    assert firsts[("70", "$(conversationId)")] == 3  # request_body, nodeInput, extraParamsData
    assert firsts[("60", "$(n50.conversationOperation)")] == 6  # 3 conditions, 3 tests in the expression


def test_output_declared():
    flow = build_flow(FLOWS["wxcc"]())
    start, resolve, evaluate, http = (flow.nodes[i] for i in ("2", "50", "9", "80"))
    assert output_declared(start, "sms.senderNumber") is True
    assert output_declared(start, "sms") is True  # a parent of a declared output
    assert output_declared(start, "webex.taskId") is False
    assert output_declared(resolve, "taskId") is True
    assert output_declared(resolve, "taskid") is False  # case-sensitive
    assert output_declared(evaluate, "anything") is None  # declares nothing: not checked
    assert output_declared(http, "customerName.first") is True
    assert output_declared(http, "http.statusCode") is True  # kind-specific


# -- the reference flows ------------------------------------------------------------------

@needs_reference
@pytest.mark.parametrize("path", REFERENCE_FLOWS, ids=lambda p: p.name)
def test_reference_flow_pointers_lead_to_the_reference(path):
    source = load_source(path)
    encoded = load_bytes(path.name, dumps(encode(source.data)).encode())
    refs = find_references(build_flow(source.data))
    assert [(r.pointer, r.text, r.kind) for r in refs] == [
        (r.pointer, r.text, r.kind) for r in find_references(build_flow(encoded.data))]
    for ref in refs:
        assert ref.text in _at(source.data, ref.pointer)
        assert source.locate(ref.pointer) is not None
        assert encoded.locate(ref.pointer) is not None


@needs_reference
def test_reference_flows_hold_no_malformed_or_undefined_references():
    for path in REFERENCE_FLOWS:
        bad = [(r.pointer, r.text) for r in find_references(build_flow(load_source(path).data))
               if r.kind in (Kind.MALFORMED, Kind.UNDEFINED)]
        assert bad == [], path.name


@needs_reference
def test_reference_flow_kinds():
    routed = find_references(build_flow(load_source(REFERENCE_DIR / "wxcc-task-routed-flow.json").data))
    by_pointer = {r.pointer: r for r in routed}
    # the Screen Pop's nodeInput stored as a document: the pointer goes into it
    assert by_pointer["/cells/2/value/children/33/text/queryParameters/CustomerName"].kind is Kind.ASSIGNED
    assert by_pointer["/cells/1/value/children/22/text"].kind is Kind.PRODUCER  # nodevariablestore $(webex.ID)
    # the editor's dialog template in node attributes is not scanned
    assert not any("templatedialog" in r.pointer for r in routed)
    native = find_references(build_flow(load_source(REFERENCE_DIR / "native-sendsms.json").data))
    assert {(r.pointer, r.kind) for r in native if r.where == "outcome"} == {
        ("/outcomes/0/notification/payload/serviceName", Kind.SYSTEM),
        ("/outcomes/0/notification/custompayload/transactionID", Kind.SYSTEM),
        ("/outcomes/0/notification/custompayload/flowname", Kind.SYSTEM),
        ("/outcomes/0/notification/custompayload/serviceName", Kind.SYSTEM)}
    chatbot = find_references(build_flow(load_source(REFERENCE_DIR / "gallery-chatbot.json").data))
    # gallery profile variables are custom variables named like channel variables
    assert {r.kind for r in chatbot if r.where == "custom-variable"} == {Kind.CUSTOM}
