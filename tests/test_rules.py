"""Rule cases: every rule has tests/rules/<ID>.yml with failing and passing flows.

Each case names a base flow from ``flowkit.FLOWS``, optional edits and an
optional profile, and lists exactly which findings the rule must give
(node id and pointer). Every case runs in both value encodings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from connectflow.lint import Selection, lint_source
from connectflow.lint.registry import builtin_registry
from connectflow.load import load_bytes
from connectflow.profile import parse_profile
from flowkit import FLOWS, TENANT, apply_edits, dumps, encode

CASES_DIR = Path(__file__).parent / "rules"
REGISTRY = builtin_registry()


def _cases():
    for path in sorted(CASES_DIR.glob("CF*.yml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        if spec.get("bundle"):
            continue  # rules over a set of flows: tests/test_bundle_rules.py
        for case in spec["cases"]:
            for encoding in ("decoded", "encoded"):
                yield pytest.param(spec["rule"], case, encoding, id=f"{path.stem}-{case['name']}-{encoding}")


def _profile(case):
    spec = case.get("profile")
    if spec is None:
        return None
    data = TENANT if spec == "tenant" else spec
    if isinstance(spec, dict) and spec.pop("extends", None) == "tenant":
        data = {**TENANT, **spec}
    return parse_profile(data, "case-profile.toml")


@pytest.mark.parametrize(("rule_id", "case", "encoding"), list(_cases()))
def test_rule_case(rule_id, case, encoding):
    document = apply_edits(FLOWS[case["flow"]](), case.get("edits", []))
    if encoding == "encoded":
        document = encode(document)
    source = load_bytes(f"{case['flow']}.json", dumps(document).encode())
    rule = REGISTRY.get(rule_id)
    assert rule is not None, f"{rule_id} is not registered"
    findings = lint_source(source, [rule], Selection(), _profile(dict(case)))
    got = sorted((f.node_id, f.pointer) for f in findings)
    want = sorted((str(f["node"]) if f.get("node") is not None else None, f["pointer"])
                  for f in case.get("findings", []))
    assert got == want, "\n".join(f"{f.rule} {f.pointer}: {f.message}" for f in findings)
    for expected, finding in zip(sorted(case.get("findings", []), key=lambda f: f["pointer"]),
                                 sorted(findings, key=lambda f: f.pointer)):
        if "message" in expected:
            assert expected["message"] in finding.message
    assert all(f.line for f in findings if f.pointer), "every finding resolves to a line"


def test_every_rule_has_failing_and_passing_cases():
    covered = {}
    for path in CASES_DIR.glob("CF*.yml"):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        covered[spec["rule"]] = spec["cases"]
    for rule in REGISTRY:
        cases = covered.get(rule.id)
        assert cases, f"{rule.id} has no tests/rules/{rule.id}.yml"
        assert any(c.get("findings") for c in cases), f"{rule.id} has no failing case"
        assert any(not c.get("findings") for c in cases), f"{rule.id} has no passing case"


def test_base_flows_are_clean_for_the_tenant():
    profile = parse_profile(TENANT, "tenant.toml")
    for name, build in FLOWS.items():
        source = load_bytes(f"{name}.json", dumps(build()).encode())
        findings = lint_source(source, list(REGISTRY), Selection(), profile)
        assert findings == [], [f"{f.rule} {f.pointer} {f.message}" for f in findings]


def test_every_check_module_is_registered_under_its_own_id():
    from connectflow.lint import checks

    on_disk = {p.stem for p in Path(checks.__file__).parent.glob("cf[0-9][0-9][0-9]_*.py")}
    assert on_disk == set(checks.MODULES)
    for name, rule in zip(checks.MODULES, checks.CHECKS):
        assert name == f"cf{rule.id[2:]}_{rule.name.replace('-', '_')}"
        assert rule.explanation, f"{rule.id} explains the mistake and the fix in its docstring"


# -- findings as the engine makes them --------------------------------------------------------

def test_a_finding_of_an_issue_is_the_one_the_constructor_makes():
    """``Finding.of_issue`` (the engine's, without the dataclass's keyword ``__init__``) makes the
    finding ``Finding(...)`` makes: equal, same hash and repr, fields in order, text made visible."""
    import dataclasses

    from connectflow.lint.finding import Finding, Severity

    samples = sorted((Path(__file__).resolve().parents[1] / "samples" / "cce").glob("*.json"))
    findings = [f for path in samples
                for f in lint_source(load_bytes(path.name, path.read_bytes()), list(REGISTRY), Selection(),
                                     locate=False)]
    findings.append(Finding.of_issue("CF999", "x", Severity.ERROR, "two\nlines\x1b[31m", "p.json", "/cells/0",
                                     "7\n", "label\r", None))
    assert len(findings) > 100
    for finding in findings:
        made = Finding(**{f.name: getattr(finding, f.name) for f in dataclasses.fields(Finding)})
        assert finding == made and hash(finding) == hash(made) and repr(finding) == repr(made)
        assert list(vars(finding)) == list(vars(made))
    odd = findings[-1]
    assert odd.message.isprintable() and odd.node_id.isprintable() and odd.node_label.isprintable()
    assert odd == Finding("CF999", "x", Severity.ERROR, "two\nlines\x1b[31m", "p.json", "/cells/0", "7\n", "label\r")
