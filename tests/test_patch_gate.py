"""patch as a gate: the profile is found as lint finds it, nothing to patch with is an error,
re-running is a no-op, a folder run skips flows an option does not apply to, and a node the
profile has no authorization for is named with the keys that would match."""

from __future__ import annotations

import json

from click.testing import CliRunner

from connectflow.cli import cli
from flowkit import FLOWS, apply_edits, dumps


def _run(*args):
    return CliRunner().invoke(cli, ["patch", *map(str, args)])


def _flow(folder, name, kind, sample: bool = False):
    """A flowkit flow; ``sample``: its destination is the template's Live Chat sample IM28095016."""
    text = dumps(FLOWS[kind]())
    path = folder / name
    path.write_text(text.replace("LC40211337", "IM28095016") if sample else text, encoding="utf-8")
    return path


def test_nothing_to_patch_with_is_exit_2(tmp_path):
    flow = _flow(tmp_path, "a.json", "messenger")
    result = _run(flow)
    assert result.exit_code == 2 and "nothing to patch with" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_profile_beside_the_flows_is_found_and_named(tmp_path):
    (tmp_path / "flows").mkdir()
    flow = _flow(tmp_path / "flows", "a.json", "webhook", sample=True)
    profile = tmp_path / "connectflow.toml"
    profile.write_text('[assets]\nlivechat = ["LC73019288"]\n', encoding="utf-8")
    result = _run(flow, "--in-place")
    assert result.exit_code == 0, result.output
    assert f"using profile {profile}" in result.stderr
    assert "LC73019288" in flow.read_text(encoding="utf-8")


def test_re_running_asset_id_old_new_is_a_no_op(tmp_path):
    flow = _flow(tmp_path, "a.json", "webhook")
    first = _run("--asset-id", "LC40211337=LC73019288", flow, "--in-place")
    assert first.exit_code == 0, first.output
    written = flow.read_bytes()
    second = _run("--asset-id", "LC40211337=LC73019288", flow, "--in-place")
    assert second.exit_code == 0, second.output
    assert flow.read_bytes() == written


def test_over_a_folder_a_flow_without_a_target_is_skipped_with_a_note(tmp_path):
    _flow(tmp_path, "queue.json", "wxcc")
    _flow(tmp_path, "cce.json", "messenger")
    result = _run("--queue", "3f1c2a7e-5b9d-4e61-8a0f-2c7d9e4b6a10", tmp_path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "cce.json: note: skipped --queue: no Queue Task node (--queue)" in result.stderr
    queue = json.loads((tmp_path / "out" / "queue.json").read_text(encoding="utf-8"))
    assert "3f1c2a7e-5b9d-4e61-8a0f-2c7d9e4b6a10" in json.dumps(queue)
    # No flow with a target at all is still an error.
    none = _run("--queue", "3f1c2a7e-5b9d-4e61-8a0f-2c7d9e4b6a10", tmp_path / "cce.json")
    assert none.exit_code == 2 and "no Queue Task node" in none.stderr


def test_a_node_without_an_authorization_in_the_profile_is_named_with_its_keys(tmp_path):
    document = apply_edits(FLOWS["messenger"](), [  # as imported: no authorization selected
        {"set": "/cells/2/value/children/2/text", "value": -1},
        {"set": "/cells/2/value/children/6/text/resource_list/0/auth_id", "value": -1}])
    flow = tmp_path / "a.json"
    flow.write_text(dumps(document), encoding="utf-8")
    profile = tmp_path / "tenant.toml"
    profile.write_text('[authorizations]\n"50021" = { id = 7301 }\n', encoding="utf-8")
    result = _run("--profile", profile, flow, "--diff")
    assert result.exit_code == 0, result.output
    assert ("node 'CCE Create Task' (40) has no authorization in the profile; add one to [authorizations] "
            "under one of: '50210', 'CCE Create Task', '50200'") in result.stderr
