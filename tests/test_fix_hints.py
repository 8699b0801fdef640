"""Fix hints that work: every fix that names a `connectflow patch` command is run, with its
placeholders filled as a user would, on the very flow it was printed for, and must clear the
findings it was printed for (same rule, same place)."""

from __future__ import annotations

import collections
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REFERENCE_DIR, needs_reference
from connectflow.cli import cli
from connectflow.lint import Selection, lint_source
from connectflow.lint.registry import builtin_registry
from connectflow.load import load_source

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "cce"
REGISTRY = list(builtin_registry())
COMMAND = re.compile(r"connectflow patch (.+)$")
# What a user types for each placeholder a hint leaves open.
FILLED = {"NEW_ID": "LC73019288", "AUTH_ID": "7301", "NAME": "Example Insurance Auth", "VALUE": "crm.example.net",
          "PAGE_ID": "104857600213377", "WA_NUMBER": "14155550199", "DOMAIN": "chat.example.net",
          "EMAIL": "care@example.net", "APP_ID": "a_638911204357710057", "QUEUE_ID": "3f1c2a7e-5b9d-4e61-8a0f-2c7d9e4b6a10",
          "FLOW_ID": "96872"}
SENDER = "14155550142"


def _filled(command: str) -> list[str]:
    words = shlex.split(command)
    return [SENDER if prev == "--sms-sender" else re.sub(r"\b(" + "|".join(FILLED) + r")\b",
                                                        lambda m: FILLED[m.group(1)], word)
            for prev, word in zip(["", *words], words)]


def _check_hints(flow: Path, tmp_path: Path) -> int:
    findings = lint_source(load_source(flow), REGISTRY, Selection())
    by_command = collections.defaultdict(list)
    for finding in findings:
        match = COMMAND.search(finding.fix or "")
        if match:
            by_command[match.group(1)].append(finding)
    for i, (command, printed_for) in enumerate(sorted(by_command.items())):
        target = tmp_path / f"{i}-{flow.name}"
        result = CliRunner().invoke(cli, ["patch", *_filled(command), str(flow), "-o", str(target)])
        assert result.exit_code == 0, f"{flow.name}: connectflow patch {command}\n{result.output}"
        after = {(f.rule, f.pointer) for f in lint_source(load_source(target), REGISTRY, Selection())}
        left = [f"{f.rule} {f.pointer}" for f in printed_for if (f.rule, f.pointer) in after]
        assert not left, f"{flow.name}: connectflow patch {command} left {left}"
    return len(by_command)


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_every_hinted_command_clears_its_findings_on_the_samples(name, tmp_path):
    assert _check_hints(SAMPLES / name, tmp_path) > 0


@needs_reference
@pytest.mark.parametrize("name", ["wxcc-task-routed-flow.json", "gallery-webhook-sms.json"])
def test_every_hinted_command_clears_its_findings_on_reference_flows(name, tmp_path):
    assert _check_hints(REFERENCE_DIR / name, tmp_path) > 0
