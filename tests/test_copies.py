"""connectflow.copies: the one description of where a setting's copies live, for lint and patch."""

from __future__ import annotations

from connectflow.copies import RESOLVE_CONVERSATION, auth_copies, copies_at, is_kind, setting_copies
from connectflow.model import build_flow
from flowkit import param, wxcc_flow


def _flow(flow_id_header: dict | None = None, resource: dict | None = None):
    document = wxcc_flow()
    resolve = next(c for c in document["cells"] if c.get("id") == "50")
    if flow_id_header is not None:
        resolve["value"]["children"].append(param("methodRequestParameters", [flow_id_header]))
    if resource is not None:
        next(c for c in resolve["value"]["children"] if c["attributes"]["name"] == "resourceinfo")["text"][
            "resource_list"].append(resource)
    flow = build_flow(document)
    return flow, flow.nodes["50"]


def test_display_name_and_api_key_name_the_same_setting():
    flow, node = _flow({"name": "Flow Id", "key": "flowId", "type": "header", "value": 5101, "desc": 5101})
    found = setting_copies(node, "flowId")
    assert [c.where for c in found] == ["nodeInput.flowId", "extraParamsData.flowId", 'request_body "FlowId"',
                                        'methodRequestParameters "Flow Id"', 'methodRequestParameters "Flow Id".desc']
    assert [c.pointer for c in setting_copies(node, "Flow Id")] == [c.pointer for c in found]
    assert [c.pointer for c in copies_at(flow, found[-1].pointer)] == [c.pointer for c in found]


def test_a_desc_that_is_a_real_description_is_no_copy():
    flow, node = _flow({"name": "Flow Id", "key": "flowId", "value": 5101, "desc": "this flow's id"})
    assert [c.store for c in setting_copies(node, "flowId")][-1:] == ["methodRequestParameters"]
    desc = node.param("methodRequestParameters").text_pointer + "/0/desc"
    assert copies_at(flow, desc) == []


def test_a_resource_entry_without_auth_id_is_listed_only_when_asked():
    _, node = _flow(resource={"integration_id": 50302})
    assert [c.where for c in auth_copies(node)] == ["auth_id", "resourceinfo.resource_list[0].auth_id"]
    missing = auth_copies(node, missing=True)[-1]
    assert (missing.where, missing.present, missing.value) == ("resourceinfo.resource_list[1].auth_id", False, None)


def test_a_renamed_node_is_known_by_its_method():
    document = wxcc_flow()
    resolve = next(c for c in document["cells"] if c.get("id") == "50")
    resolve["value"]["attributes"]["label"] = "Close the loop"
    for child in resolve["value"]["children"]:
        if child["attributes"]["name"] == "integration_id":
            child["text"] = 1
    node = build_flow(document).nodes["50"]
    assert node.label == "Close the loop" and is_kind(node, RESOLVE_CONVERSATION)
