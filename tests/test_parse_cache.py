"""The parses of rule files and of the shipped TOML tables are kept between runs: a lint imports
no YAML or TOML parser once they are."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from connectflow.parse_cache import cache_file, parsed_file, toml
from connectflow.lint.yaml_rules import builtin_rules_dir, load_dir

ROOT = Path(__file__).resolve().parents[1]
FLOW = ROOT / "samples" / "cce" / "created.json"
PROBE = ("import sys; sys.argv = ['connectflow', 'lint', '--format', 'json', sys.argv[1]]\n"
         "from connectflow.cli import main\n"
         "try:\n    main()\n"
         "except SystemExit:\n    pass\n"
         "print(*(f'{name} imported' if name in sys.modules else f'{name} not imported'\n"
         "        for name in ('yaml', 'tomllib')), sep=', ', file=sys.stderr)")


def _lint(cache_home: Path, *extra: str) -> tuple[str, str]:
    # The flow where no connectflow.toml or pyproject.toml is found above it (the checkout's would
    # be read as its profile, with tomllib)
    flow = cache_home / "flows" / FLOW.name
    if not flow.exists():
        flow.parent.mkdir(parents=True)
        shutil.copyfile(FLOW, flow)
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home))
    done = subprocess.run([sys.executable, "-c", PROBE, str(flow), *extra], capture_output=True, text=True,
                          env=env, cwd=flow.parent, timeout=60)
    return done.stdout, done.stderr.strip().splitlines()[-1]


def test_a_second_lint_reads_the_kept_parses_and_finds_the_same(tmp_path):
    first, imported = _lint(tmp_path)
    assert imported == "yaml imported, tomllib imported"
    kept = json.loads((tmp_path / "connectflow" / "parses.json").read_text())
    assert {Path(name).name for name in kept["files"]} >= {p.name for p in builtin_rules_dir().glob("*.yaml")} \
        | {"catalogue.toml", "settings.toml"}
    second, imported = _lint(tmp_path)
    assert imported == "yaml not imported, tomllib not imported"
    assert second == first and json.loads(second)["findings"]


def test_a_kept_table_is_its_parse_and_a_changed_one_is_parsed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    table = tmp_path / "table.toml"
    table.write_text('[entry]\nwhat = "one"\nrules = ["CF101"]\n')
    assert parsed_file(table, toml) == {"entry": {"what": "one", "rules": ["CF101"]}}
    assert parsed_file(table, lambda _path: {"not": "parsed"}) == {"entry": {"what": "one", "rules": ["CF101"]}}
    table.write_text('[entry]\nwhat = "two, longer"\n')
    assert parsed_file(table, toml) == {"entry": {"what": "two, longer"}}
    table.write_text(table.read_text() + 'when = 2026-12-03\n')  # a date: JSON cannot keep it
    assert parsed_file(table, toml)["entry"]["when"].year == 2026
    assert parsed_file(table, toml)["entry"]["when"].year == 2026


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
