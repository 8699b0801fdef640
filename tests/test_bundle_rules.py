"""Cross-flow rule cases: tests/rules/CF7xx.yml (``bundle: true``) list sets of flows.

Each case names its flows (``key: {flow: <flowkit base>, edits: [...]}``, written to
``<key>.json``), an optional tenant profile (TOML text, written to ``tenant.toml``) and
exactly which findings the rule gives: the flow (or ``tenant.toml``) and pointer each is
reported at, and the flows and pointers of its related locations. The set is linted the
way ``connectflow lint --bundle`` does it, in both value encodings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from connectflow.lint import Selection, lint_paths
from connectflow.lint.registry import builtin_registry
from connectflow.profile import load_profile
from flowkit import FLOWS, apply_edits, dumps, encode

CASES_DIR = Path(__file__).parent / "rules"
REGISTRY = builtin_registry()


def _cases():
    for path in sorted(CASES_DIR.glob("CF7*.yml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert spec.get("bundle"), f"{path.name}: CF7xx rules are bundle rules"
        for case in spec["cases"]:
            for encoding in ("decoded", "encoded"):
                yield pytest.param(spec["rule"], case, encoding, id=f"{path.stem}-{case['name']}-{encoding}")


def _name(path: str, folder: Path) -> str:
    return Path(path).stem if Path(path).parent == folder else path


@pytest.mark.parametrize(("rule_id", "case", "encoding"), list(_cases()))
def test_bundle_rule_case(rule_id, case, encoding, tmp_path):
    for key, spec in case["flows"].items():
        document = apply_edits(FLOWS[spec["flow"]](), spec.get("edits", []))
        (tmp_path / f"{key}.json").write_text(dumps(encode(document) if encoding == "encoded" else document))
    profile = None
    if "profile" in case:
        (tmp_path / "tenant.toml").write_text(case["profile"])
        profile = load_profile(tmp_path / "tenant.toml")
    paths = [str(tmp_path / f"{key}.json") for key in case["flows"]]
    rule = REGISTRY.get(rule_id)
    assert rule is not None and rule.scope == "bundle", f"{rule_id} is not a registered bundle rule"
    result = lint_paths(paths, REGISTRY, Selection(select=[rule_id]), lambda _path: profile, bundle=True)
    got = sorted((_name(f.path, tmp_path), f.pointer,
                  tuple(sorted((_name(r.path, tmp_path), r.pointer) for r in f.related))) for f in result.findings)
    want = sorted((f["file"], f["pointer"], tuple(sorted((r["file"], r["pointer"]) for r in f.get("related", []))))
                  for f in case.get("findings", []))
    assert got == want, "\n".join(f"{f.rule} {f.path} {f.pointer}: {f.message}" for f in result.findings)
    for expected in case.get("findings", []):
        if "message" in expected:
            there = [f.message for f in result.findings
                     if (_name(f.path, tmp_path), f.pointer) == (expected["file"], expected["pointer"])]
            assert any(expected["message"] in message for message in there), there
    assert all(f.line for f in result.findings if f.path.endswith(".json")), "flow findings resolve to a line"
    assert all(r.line for f in result.findings for r in f.related), "related locations resolve to a line"


def test_bundle_rules_run_only_over_a_set():
    """One flow alone is no set: without --bundle the CF7xx rules stay silent; with it they run."""
    from connectflow.lint import lint_source  # the per-flow entry point never runs bundle rules
    from connectflow.load import load_bytes

    source = load_bytes("webhook.json", dumps(FLOWS["webhook"]()).encode())
    assert lint_source(source, list(REGISTRY), Selection(select=["CF7"])) == []
