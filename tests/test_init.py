"""connectflow init: a profile skeleton from the flows whose TODOs, once filled, make patch + lint clean;
a profile that still holds a TODO is refused, naming the key."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from connectflow.cli import cli

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "cce"
TENANT = {  # what a team would type in: the tenant of samples/tenant.toml
    ("assets", "sms"): "14155550142", ("assets", "livechat"): "LC73019288",
    ("assets", "email"): "a_638911204357710042", ("assets", "messenger"): "a_638911204357710057",
    ("assets", "whatsapp"): "a_638911204357710063",
    ("channel", "fb_page_id"): "104857600213377", ("channel", "wa_number"): "14155550199",
    ("channel", "live_chat_domain"): "chat.example.net", ("channel", "biz_email"): "care@example.net",
    ("variables", "domain"): "finesse.example.net",
}


def _fill(text: str) -> str:
    section, lines, auth_id = "", [], 7300
    for line in text.splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        key = line.split("=", 1)[0].strip().strip('"')
        if '"TODO"' in line and section == "authorizations":
            auth_id += 1
            line = line.replace('id = "TODO"', f"id = {auth_id}").replace('name = "TODO"', f'name = "Tenant {auth_id}"')
        elif '"TODO"' in line:
            line = line.replace('"TODO"', json.dumps(TENANT[section, key]))
        lines.append(line)
    return "\n".join(lines) + "\n"


def test_init_from_the_samples_then_patch_and_lint_clean(tmp_path):
    profile = tmp_path / "connectflow.toml"
    result = CliRunner().invoke(cli, ["init", str(SAMPLES), "-o", str(profile)])
    assert result.exit_code == 0, result.output
    text = profile.read_text(encoding="utf-8")
    for key in ("[assets]", "[channel]", "[variables]", "[ecc]", "[authorizations]", '"50910"', "user_DR_MediaResourceID"):
        assert key in text
    # Unfilled, the profile is refused with the key, by lint and by patch alike.
    lint = CliRunner().invoke(cli, ["lint", "--profile", str(profile), str(SAMPLES)])
    assert lint.exit_code == 2 and re.search(r"connectflow\.toml: assets\.\w+\.0: still TODO", lint.output), lint.output
    profile.write_text(_fill(text), encoding="utf-8")
    out = tmp_path / "patched"
    patch = CliRunner().invoke(cli, ["patch", "--profile", str(profile), "-o", str(out), str(SAMPLES)])
    assert patch.exit_code == 0, patch.output
    # Each flow alone: the samples as a set still double-trigger with one asset per channel
    # (CF701; issue 11's per-asset demo makes the set ready).
    clean = CliRunner().invoke(cli, ["lint", "--no-bundle", "--profile", str(profile), str(out)])
    assert clean.exit_code == 0 and "no findings" in clean.output, clean.output


def test_init_never_overwrites_a_profile(tmp_path):
    profile = tmp_path / "connectflow.toml"
    profile.write_text("[assets]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(SAMPLES / "closed.json"), "-o", str(profile)])
    assert result.exit_code == 2 and "exists already" in result.output
    assert profile.read_text(encoding="utf-8") == "[assets]\n"
