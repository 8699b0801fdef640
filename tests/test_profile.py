"""The tenant profile: discovery, validation messages, CCE's ECC list, lint settings."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from connectflow.cli import cli
from connectflow.profile import ProfileError, find_profile, load_ecc_list, load_profile
from flowkit import dumps, webhook_flow

ECC_XML = """<?xml version="1.0" encoding="UTF-8"?>
<results>
  <pageInfo><firstPage>/unifiedconfig/config/expandedcallvariable?startIndex=0</firstPage></pageInfo>
  <expandedCallVariables>
    <expandedCallVariable>
      <refURL>/unifiedconfig/config/expandedcallvariable/5000</refURL>
      <name>user.DR_MediaResourceID</name><maximumLength>40</maximumLength>
      <enabled>true</enabled><ciscoProvided>false</ciscoProvided>
    </expandedCallVariable>
    <expandedCallVariable>
      <name>user_DR_CustomerName</name><maximumLength>500</maximumLength><enabled>true</enabled>
    </expandedCallVariable>
    <expandedCallVariable>
      <name>user.Disabled</name><maximumLength>10</maximumLength><enabled>false</enabled>
    </expandedCallVariable>
  </expandedCallVariables>
</results>
"""


def test_ecc_list_xml_and_json(tmp_path):
    (tmp_path / "ecc.xml").write_text(ECC_XML)
    variables = {v.name: v.max_length for v in load_ecc_list(tmp_path / "ecc.xml")}
    # CCE's dotted names are kept; disabled ones are left out; lengths cap at CCE's 210 bytes.
    assert variables == {"user.DR_MediaResourceID": 40, "user_DR_CustomerName": 210}
    (tmp_path / "ecc.json").write_text(json.dumps(
        {"expandedCallVariables": [{"name": "user.Tier", "maximumLength": "12", "enabled": True}]}))
    assert [(v.name, v.max_length) for v in load_ecc_list(tmp_path / "ecc.json")] == [("user.Tier", 12)]


def test_profile_imports_ecc_list_in_payload_form(tmp_path):
    (tmp_path / "ecc.xml").write_text(ECC_XML)
    (tmp_path / "connectflow.toml").write_text('[ecc]\nimport = "ecc.xml"\n'
                                               'variables = [{ name = "user_Extra", max_length = 20 }]\n')
    profile = load_profile(tmp_path / "connectflow.toml")
    assert profile.ecc_variables() == {"user_Extra": 20, "user_DR_MediaResourceID": 40, "user_DR_CustomerName": 210}


@pytest.mark.parametrize(("content", "message"), [
    ("[assets]\nsms = 12\n", "assets.sms: expected a list, not a number"),
    ("[chanel]\nfb_page_id = '1'\n", "chanel: unknown key (did you mean 'channel'?)"),
    ("[channel]\nfb_pageid = '1'\n", "channel.fb_pageid: unknown key (did you mean 'fb_page_id'?)"),
    ("[lint]\nseverity = { CF101 = 'fatal' }\n", "lint.severity.CF101: must be one of 'error', 'warning' or 'info'"),
    ("[ecc]\nvariables = [{ name = 'user_X', max_length = 400 }]\n", "ecc.variables.0.max_length: must be at most 210"),
    ("[assets\n", "invalid TOML"),
    # Values lint would refuse in a flow are refused in the profile, with lint's words.
    ("[channel]\nlive_chat_domain = 'https://chat.example.net'\n",
     "channel.live_chat_domain: liveChatDomain https://chat.example.net has a protocol"),
    ("[channel]\nwa_number = '+14155550199'\n", "channel.wa_number: WANumber +14155550199 is not a phone number"),
    ("[assets]\nlivechat = ['IM28095016']\n", "assets.livechat: asset id IM28095016 is a template sample asset"),
    ("[channel]\nsms_sender = '447418369300'\n", "channel.sms_sender: SMS sender 447418369300 is a template sample"),
    ("[[assets.sms]]\nnumber = '14155550142'\n[[assets.sms]]\nnumber = '14155550177'\nsender_id = 'EX TRAVEL'\n",
     "assets.sms[1].sender_id: SMS sender 'EX TRAVEL' must be a number"),
    ("[authorizations]\n'50021' = { id = -1 }\n", "authorizations.50021.id: authorization id '-1' must be a positive"),
    ("[queues]\ndefault = '6fe228c8-b375-4489-97b7-c30bf3d1cae1'\n", "queues.default: queue id 6fe228c8"),
    ("[variables]\nFBpageid = 'my-page'\n", "variables.FBpageid: FBpageid my-page is not a numeric Facebook Page ID"),
])
def test_profile_mistakes_name_file_and_key(tmp_path, content, message):
    path = tmp_path / "connectflow.toml"
    path.write_text(content)
    with pytest.raises(ProfileError) as raised:
        load_profile(path)
    assert str(raised.value).startswith(f"{path}: ") and message in str(raised.value), str(raised.value)
    assert "\n" not in str(raised.value) and "Input should" not in str(raised.value)
    (tmp_path / "flow.json").write_text(dumps(webhook_flow()))
    result = CliRunner().invoke(cli, ["lint", str(tmp_path / "flow.json")])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    patched = CliRunner().invoke(cli, ["patch", "--profile", str(path), str(tmp_path / "flow.json")])
    assert patched.exit_code == 2 and message in patched.output and patched.output.count("\n") == 1


def test_profile_is_found_walking_up_and_in_pyproject(tmp_path):
    nested = tmp_path / "team" / "flows"
    nested.mkdir(parents=True)
    assert find_profile(nested) is None or not str(find_profile(nested)).startswith(str(tmp_path))
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.connectflow.assets]\nsms = ["1"]\n')
    assert find_profile(nested) == tmp_path / "pyproject.toml"
    assert load_profile(tmp_path / "pyproject.toml").assets.sms == ["1"]
    (tmp_path / "team" / "connectflow.toml").write_text("[assets]\nsms = [\"2\"]\n")
    assert find_profile(nested / "a.json") == tmp_path / "team" / "connectflow.toml"


def test_profile_lint_settings_select_ignore_and_severity(tmp_path):
    document = webhook_flow()
    document["cells"][0]["value"]["attributes"]["start_node_info"]["conditions"][0]["value"] = "OR06143228"
    (tmp_path / "flow.json").write_text(dumps(document))
    (tmp_path / "connectflow.toml").write_text('[lint]\nselect = ["CF101"]\nseverity = { CF101 = "info" }\n')
    result = CliRunner().invoke(cli, ["lint", "--format", "json", str(tmp_path / "flow.json")])
    findings = json.loads(result.output)["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [("CF101", "info")]
    assert result.exit_code == 0  # info is below the default --fail-on warning
    (tmp_path / "connectflow.toml").write_text('[lint]\nignore = ["placeholder-destination"]\n')
    result = CliRunner().invoke(cli, ["lint", "--select", "CF101", str(tmp_path / "flow.json")])
    assert result.exit_code == 0 and "no findings" in result.output


def test_profile_keys_a_rule_may_name_are_the_models():
    """YAML rules check ``equals_profile`` keys against a list kept without pydantic (lint's
    start-up); it must name exactly the profile model's fields and their fields."""
    from pydantic import BaseModel

    from connectflow.profile import Profile
    from connectflow.profile_lookup import PROFILE_KEYS

    keys, stack = set(), [("", Profile)]
    while stack:
        prefix, model = stack.pop()
        for name, info in model.model_fields.items():
            if name.startswith("_") or name == "path":
                continue
            keys.add(prefix + name)
            if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
                stack.append((prefix + name + ".", info.annotation))
    assert PROFILE_KEYS == keys
