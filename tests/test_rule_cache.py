"""The parses of rule files are kept between runs: a lint imports no YAML parser once they are."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from connectflow.lint.rule_cache import cache_file
from connectflow.lint.yaml_rules import builtin_rules_dir, load_dir

ROOT = Path(__file__).resolve().parents[1]
FLOW = ROOT / "samples" / "cce" / "created.json"
PROBE = ("import sys; sys.argv = ['connectflow', 'lint', '--format', 'json', sys.argv[1]]\n"
         "from connectflow.cli import main\n"
         "try:\n    main()\n"
         "except SystemExit:\n    pass\n"
         "print('yaml imported' if 'yaml' in sys.modules else 'yaml not imported', file=sys.stderr)")


def _lint(cache_home: Path, *extra: str) -> tuple[str, str]:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home))
    done = subprocess.run([sys.executable, "-c", PROBE, str(FLOW), *extra], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60)
    return done.stdout, done.stderr.strip().splitlines()[-1]


def test_a_second_lint_reads_the_kept_parses_and_finds_the_same(tmp_path):
    first, imported = _lint(tmp_path)
    assert imported == "yaml imported"
    kept = json.loads((tmp_path / "connectflow" / "rules.json").read_text())
    assert {Path(name).name for name in kept["files"]} >= {p.name for p in builtin_rules_dir().glob("*.yaml")}
    second, imported = _lint(tmp_path)
    assert imported == "yaml not imported"
    assert second == first and json.loads(second)["findings"]


def test_a_changed_rule_file_is_parsed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    rules.mkdir()
    rule = rules / "CF900-x.yaml"
    rule.write_text("id: CF900\nname: x-set\nseverity: warning\nsummary: X.\n"
                    "given: $.customVariables[?(@.name == 'x')]\nthen: {field: value, function: truthy}\n"
                    "message: '{name} is empty'\n")
    assert load_dir(rules)[0].severity.value == "warning"
    rule.write_text(rule.read_text().replace("severity: warning", "severity: error") + "\n")
    assert load_dir(rules)[0].severity.value == "error"
    assert load_dir(rules)[0].severity.value == "error"  # and the new parse is the one kept


def test_a_damaged_or_unwritable_cache_is_passed_over(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    expected = [(r.id, r.name, r.severity) for r in load_dir(builtin_rules_dir())]
    cache_file().write_text('{"version": 1, "files": {"' + str(builtin_rules_dir() / "CF210-fb-page-id.yaml")
                            + '": {"stamp": 5}}, ')
    assert [(r.id, r.name, r.severity) for r in load_dir(builtin_rules_dir())] == expected
    monkeypatch.setenv("XDG_CACHE_HOME", str(FLOW))  # a file, not a folder: nothing can be written there
    assert [(r.id, r.name, r.severity) for r in load_dir(builtin_rules_dir())] == expected
