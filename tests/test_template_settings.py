"""Template values with a setting of their own (settings.toml catalogue_value entries): the Screen
Pop URL, the Live Chat form template's id and name, the Apple Messages business id. Lint reports
each (CF230) with the entry's option, patch writes it from the option or the profile in every
copy, the profile refuses a template value under the entry's key, and init proposes the key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import flowkit
from conftest import REFERENCE_DIR, needs_reference
from connectflow.cli import cli
from connectflow.lint import Selection, lint_source
from connectflow.lint.registry import builtin_registry
from connectflow.load import load_source
from connectflow.profile import load_profile

REGISTRY = list(builtin_registry())
TEMPLATE = {"templateId": "XOPR54HUOO", "templateName": "WX1Form",
            "bizaddress": "6fe67ece-e9fc-40fa-afac-fcbdd4353165"}
TENANT = {"--form-template-id": "K3T9QW2ZLM", "--form-template-name": "Claims Form",
          "--apple-business-id": "0c9a1f3e-5d7b-4e2a-9f61-3b8c2d4e5a70"}
PROFILE = """
[channel]
form_template_id = "K3T9QW2ZLM"
form_template_name = "Claims Form"
apple_business_id = "0c9a1f3e-5d7b-4e2a-9f61-3b8c2d4e5a70"

[screen_pop_urls]
default = "crm.example.net/customer"

[authorizations]
default = { id = 7301, name = "Example Insurance Auth" }
"""


def _flow(tmp_path: Path, encoded: bool = False) -> Path:
    document = flowkit.livechat_flow()
    document["cells"] += [flowkit.prebuilt("50", "Search Conversation", 50305, 50021, 5150, "CCE Auth", TEMPLATE,
                                           [("Success", "success")]),
                          flowkit.edge("101", "40", "50", "Success", "Success"),
                          *[flowkit.end(str(400 + i), 50, name) for i, name in
                            enumerate(["oninvaliddata", "onerror", "ontimeout", "Success"])]]
    path = tmp_path / ("encoded.json" if encoded else "chat.json")
    path.write_text(flowkit.dumps(flowkit.encode(document) if encoded else document), encoding="utf-8")
    return path


def _template_left(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [value for value in TEMPLATE.values() if value in text]


def _cf230(path: Path, profile=None) -> list:
    return [f for f in lint_source(load_source(path), REGISTRY, Selection(), profile) if f.rule == "CF230"]


@pytest.mark.parametrize("encoded", [False, True], ids=["decoded", "encoded"])
def test_lint_names_each_values_own_option(tmp_path, encoded):
    fixes = {f.message.split()[0]: f.fix for f in _cf230(_flow(tmp_path, encoded))}
    assert fixes["XOPR54HUOO"].endswith("connectflow patch --form-template-id VALUE")
    assert fixes["WX1Form"].endswith("connectflow patch --form-template-name VALUE")
    assert fixes["6fe67ece-e9fc-40fa-afac-fcbdd4353165"].endswith("connectflow patch --apple-business-id VALUE")


@pytest.mark.parametrize("encoded", [False, True], ids=["decoded", "encoded"])
def test_the_options_write_every_copy_and_rerunning_is_a_no_op(tmp_path, encoded):
    flow, target = _flow(tmp_path, encoded), tmp_path / "out.json"
    options = [word for pair in TENANT.items() for word in pair]
    result = CliRunner().invoke(cli, ["patch", *options, str(flow), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert _template_left(target) == []
    text = target.read_text(encoding="utf-8")
    assert all(text.count(value) == 3 for value in TENANT.values())  # request_body, nodeInput, extraParamsData
    assert not [f for f in _cf230(target) if f.node_id == "50"]
    again = CliRunner().invoke(cli, ["patch", *options, "--check", str(target)])
    assert again.exit_code == 0, again.output


def test_the_profile_writes_them_and_lint_with_it_is_clean_of_them(tmp_path):
    flow, target, profile_path = _flow(tmp_path), tmp_path / "out.json", tmp_path / "connectflow.toml"
    profile_path.write_text(PROFILE, encoding="utf-8")
    profile = load_profile(profile_path)
    before = [f for f in _cf230(flow, profile) if f.node_id == "50"]
    assert len(before) == 3 and all(f.fix.endswith(f"--profile {profile_path}") for f in before)
    result = CliRunner().invoke(cli, ["patch", "--profile", str(profile_path), str(flow), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert _template_left(target) == [] and _cf230(target, profile) == []


@pytest.mark.parametrize(("text", "said"), [
    ('[channel]\napple_business_id = "7ed2e45e-af30-4a9c-bcb9-582c6dadf346"\n',
     "channel.apple_business_id: Apple Messages for Business id"),
    ('[channel]\nform_template_id = "XOPR54HUOO"\n', "channel.form_template_id: id of the Live Chat form template"),
    ('[screen_pop_urls]\ndefault = "https://www.google.com/"\n', "screen_pop_urls.default: address the Screen Pop"),
    ('[screen_pop_urls]\nrouted = "crm.example.net/a b"\n', "screen_pop_urls.routed: "),
])
def test_the_profile_refuses_a_template_value_under_its_key(tmp_path, text, said):
    profile_path = tmp_path / "tenant.toml"
    profile_path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["lint", "--profile", str(profile_path), str(_flow(tmp_path))])
    assert result.exit_code == 2
    assert result.output.strip().startswith(f"connectflow: error: {profile_path}: {said}"), result.output
    assert len(result.output.strip().splitlines()) == 1


def test_init_proposes_the_keys(tmp_path):
    result = CliRunner().invoke(cli, ["init", str(_flow(tmp_path))])
    assert result.exit_code == 0, result.output
    for key in ("form_template_id", "form_template_name", "apple_business_id"):
        assert f'\n{key} = "TODO"' in result.output
    assert "[screen_pop_urls]" not in result.output  # this flow has no Screen Pop


@needs_reference
def test_the_screen_pop_url_of_the_task_templates_comes_from_the_profile(tmp_path):
    profile_path = tmp_path / "connectflow.toml"
    profile_path.write_text(PROFILE.replace("[channel]", '[assets]\nlivechat = ["LC73019288"]\n\n[channel]'),
                            encoding="utf-8")
    flow = REFERENCE_DIR / "wxcc-task-routed-flow.json"
    init = CliRunner().invoke(cli, ["init", str(flow)])
    assert '[screen_pop_urls]' in init.output and 'default = "TODO"' in init.output
    target = tmp_path / "routed.json"
    result = CliRunner().invoke(cli, ["patch", "--profile", str(profile_path), str(flow), "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "www.google.com" not in text and text.count("crm.example.net/customer") == 5
    assert not [f for f in _cf230(target) if "Screen Pop URL" in f.message]
    hints = [f.fix for f in lint_source(load_source(flow), REGISTRY, Selection(), load_profile(profile_path))
             if f.rule == "CF230" and "Screen Pop URL" in f.message]
    assert hints and all(h.endswith(f"connectflow patch --profile {profile_path}") for h in hints)
