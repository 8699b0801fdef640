"""docs/rules/ is generated from the registry and the rule cases, and stays in sync."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from connectflow.cli import cli
from connectflow.lint.registry import builtin_registry

ROOT = Path(__file__).resolve().parents[1]


def test_rule_pages_are_up_to_date():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "rule_pages.py"), "--check"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr + "\n(run: python tools/rule_pages.py)"
    ids = {rule.id for rule in builtin_registry()} | {"CF000", "CF001"}
    assert {p.stem for p in (ROOT / "docs" / "rules").glob("CF*.md")} == ids
    index = (ROOT / "docs" / "rules" / "README.md").read_text()
    assert all(f"[{rule_id}]({rule_id}.md)" in index for rule_id in ids)


def test_a_page_has_why_fix_and_both_examples():
    text = (ROOT / "docs" / "rules" / "CF101.md").read_text()
    for part in ("# CF101 placeholder-destination", "## Why and how to fix", "`connectflow patch --asset-id OLD=NEW`",
                 "## Failing example", "OR06143228", "## Passing example", "gives no finding"):
        assert part in text
    assert "``" not in text.replace("```", "")


def test_rules_as_json_for_tools():
    result = CliRunner().invoke(cli, ["rules", "--format", "json"])
    records = json.loads(result.output)
    by_id = {r["id"]: r for r in records}
    assert {"CF000", "CF001", "CF101", "CF212"} <= set(by_id)
    assert by_id["CF000"]["name"] == "unreadable-flow" and by_id["CF000"]["severity"] == "error"
    assert all(r["help_uri"].endswith(f"/docs/rules/{r['id']}.md") for r in records)
    assert all("``" not in r["summary"] + r["explanation"] for r in records)
    one = json.loads(CliRunner().invoke(cli, ["rules", "CF001", "--format", "json"]).output)
    assert one["name"] == "unused-suppression"


def test_rule_text_in_the_terminal_is_plain():
    result = CliRunner().invoke(cli, ["rules", "CF101"])
    assert result.exit_code == 0 and "``" not in result.output
    assert "connectflow patch --asset-id OLD=NEW" in result.output
    assert "CF000  unreadable-flow" in CliRunner().invoke(cli, ["rules"]).output
