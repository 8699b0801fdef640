"""Generate docs/rules/: one page per rule, from the registry and the rule's test cases.

    python tools/rule_pages.py          # write docs/rules/*.md
    python tools/rule_pages.py --check  # exit 1 when a page is out of date (tests run this)

Each page: summary, why (the rule's docstring or YAML description), how to fix (the fix
hint the rule really gives on its failing example), and a failing and a passing example
taken from tests/rules/<ID>.yml and run through the linter, so the pages cannot drift
from behaviour. CF000 and CF001 (the engine's own rules) get examples run the same way.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from connectflow.lint import Selection, lint_source  # noqa: E402
from connectflow.lint.registry import builtin_registry  # noqa: E402
from connectflow.lint.ruledoc import ENGINE_RULES, all_rules, markdown_text  # noqa: E402
from connectflow.load import LoadError, load_bytes  # noqa: E402
from connectflow.profile import parse_profile  # noqa: E402

OUT = ROOT / "docs" / "rules"
CASES = ROOT / "tests" / "rules"
GROUPS = {"CF0": "input", "CF1": "trigger and start conditions", "CF2": "variables",
          "CF3": "authorizations", "CF4": "graph structure", "CF5": "node configuration", "CF6": "platform limits",
          "CF7": "the tenant's set of flows"}


def _origin(rule) -> str:
    if rule.origin == "engine":
        return "the lint engine (`connectflow/lint/`)"
    if rule.origin == "python":
        module = rule.check.__module__.replace(".", "/") + ".py"
        return f"[`{module}`](../../{module})"
    name = Path(rule.origin).name
    return f"[`rules/{name}`](../../rules/{name})"


def _run_case(rule, case):
    from flowkit import FLOWS, TENANT, apply_edits, dumps

    document = apply_edits(FLOWS[case["flow"]](), case.get("edits", []))
    spec = case.get("profile")
    profile = None
    if spec is not None:
        data = TENANT if spec == "tenant" else dict(spec)
        if isinstance(spec, dict) and data.pop("extends", None) == "tenant":
            data = {**TENANT, **data}
        profile = parse_profile(data, "connectflow.toml")
    source = load_bytes(f"{case['flow']}.json", dumps(document).encode())
    return lint_source(source, [rule], Selection(), profile)


def _case_block(case) -> list[str]:
    profile = case.get("profile")
    setup = f"the test flow `{case['flow']}` (tests/flowkit.py)"
    if profile == "tenant":
        setup += ", linted with the test tenant profile"
    elif profile is not None:
        setup += ", linted with this profile: `" + json.dumps(profile, sort_keys=True) + "`"
    lines = [f"*{case['name']}*: {setup}" + (", edited:" if case.get("edits") else ", unchanged."), ""]
    if case.get("edits"):
        lines += ["```yaml", yaml.safe_dump(case["edits"], sort_keys=False, allow_unicode=True,
                                            default_flow_style=None, width=100).rstrip(), "```", ""]
    return lines


def _examples(rule) -> tuple[list[str], list[str]]:
    """(failing lines, passing lines) and the fix hints seen."""
    path = CASES / f"{rule.id}.yml"
    if not path.is_file():
        return [], []
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    failing = next(c for c in cases if c.get("findings"))
    passing = next(c for c in cases if not c.get("findings"))
    findings = _run_case(rule, failing)
    fail = _case_block(failing) + ["gives:", "", "```text"]
    fail += [f"{f.rule} {f.name} at {f.pointer or '(the file)'}: {f.message}" for f in findings]
    fail += ["```", ""]
    hints = list(dict.fromkeys(f.fix for f in findings if f.fix))
    assert not _run_case(rule, passing), f"{rule.id}: the passing case has findings"
    return fail + ["FIX:" + h for h in hints], _case_block(passing) + ["gives no finding.", ""]


def _run_set(rule, case):
    """A bundle rule's case (tests/test_bundle_rules.py's format), linted as a set in a temporary folder."""
    import tempfile

    from connectflow.lint import lint_paths
    from connectflow.profile import load_profile
    from flowkit import FLOWS, apply_edits, dumps

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for key, spec in case["flows"].items():
            (folder / f"{key}.json").write_text(dumps(apply_edits(FLOWS[spec["flow"]](), spec.get("edits", []))))
        profile = None
        if "profile" in case:
            (folder / "tenant.toml").write_text(case["profile"])
            profile = load_profile(folder / "tenant.toml")
        paths = [str(folder / f"{key}.json") for key in case["flows"]]
        result = lint_paths(paths, builtin_registry(), Selection(select=[rule.id]), lambda _p: profile, bundle=True)
        from dataclasses import replace

        here = str(folder) + "/"  # the messages name the flows: by file name, as a user's own folder would
        return [(Path(f.path).name, replace(f, message=f.message.replace(here, "")), [Path(r.path).name for r in f.related])
                for f in result.findings]


def _set_block(case) -> list[str]:
    lines = [f"*{case['name']}*: the set of flows"]
    for key, spec in case["flows"].items():
        edits = spec.get("edits", [])
        lines.append(f"- `{key}.json`: the test flow `{spec['flow']}` (tests/flowkit.py)"
                     + (", edited: `" + json.dumps(edits) + "`" if edits else ""))
    if "profile" in case:
        lines += ["", "with the profile `tenant.toml`:", "", "```toml", case["profile"].rstrip(), "```"]
    return lines + [""]


def _bundle_examples(rule) -> tuple[list[str], list[str]]:
    cases = yaml.safe_load((CASES / f"{rule.id}.yml").read_text(encoding="utf-8"))["cases"]
    failing = next(c for c in cases if c.get("findings"))
    passing = next(c for c in cases if not c.get("findings"))
    found = _run_set(rule, failing)
    fail = _set_block(failing) + ["gives (`connectflow lint --bundle`):", "", "```text"]
    fail += [f"{name}: {f.rule} {f.name} at {f.pointer}: {f.message}"
             + (f" (related: {', '.join(related)})" if related else "") for name, f, related in found]
    fail += ["```", ""]
    hints = list(dict.fromkeys(f.fix for _n, f, _r in found if f.fix))
    assert not _run_set(rule, passing), f"{rule.id}: the passing set has findings"
    return fail + ["FIX:" + h for h in hints], _set_block(passing) + ["gives no finding.", ""]


def _engine_examples(rule) -> tuple[list[str], list[str]]:
    if rule.id == "CF000":
        try:
            load_bytes("flow.json", b'{"cells": [')
        except LoadError as err:
            message = err.problem
        return (["*a truncated file*: `flow.json` holding `{\"cells\": [` gives:", "", "```text",
                 f"CF000 unreadable-flow: {message}", "```", ""],
                ["*a flow*: any flow the Flow Builder exports as JSON (the samples in `samples/cce/`) gives no CF000.", ""])
    return _unused_suppression_example()


SUPPRESS_EXAMPLE = """[[lint.suppress]]
rule = "CF101"
file = "flow.json"
node = "{node}"
reason = "the lab tenant keeps the sample asset"
"""


def _unused_suppression_example() -> tuple[list[str], list[str]]:
    import tempfile

    from flowkit import apply_edits, dumps, webhook_flow

    from connectflow.lint import lint_paths
    from connectflow.profile import profile_resolver

    pointer = "/cells/0/value/attributes/start_node_info/conditions/0/value"
    flow = dumps(apply_edits(webhook_flow(), [{"set": pointer, "value": "OR06143228"}]))
    seen = {}
    for node in ("999", "2"):
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "flow.json").write_text(flow)
            (Path(folder) / "connectflow.toml").write_text(SUPPRESS_EXAMPLE.format(node=node))
            result = lint_paths([str(Path(folder) / "flow.json")], builtin_registry(), Selection(),
                                profile_resolver(None))
            seen[node] = [f for f in result.findings if f.rule == "CF001"]
    assert len(seen["999"]) == 1 and not seen["2"]
    fail = ["*an entry that matches nothing*: the test flow `webhook` with the template's sample destination "
            f"at `{pointer}` (a CF101 finding on node 2), and this `connectflow.toml`:", "",
            "```toml", SUPPRESS_EXAMPLE.format(node="999").rstrip(), "```", "", "gives:", "", "```text",
            f"CF001 unused-suppression at line {seen['999'][0].line} of connectflow.toml: {seen['999'][0].message}",
            "```", ""]
    passing = ["*an entry that matches*: the same entry with `node = \"2\"` accepts the CF101 finding and "
               "gives no CF001.", ""]
    return fail, passing


def page(rule) -> str:
    group = GROUPS.get(rule.id[:3], "")
    fail, passing = (_engine_examples(rule) if rule.origin == "engine"
                     else _bundle_examples(rule) if rule.scope == "bundle" else _examples(rule))
    hints = [line[4:] for line in fail if line.startswith("FIX:")]
    fail = [line for line in fail if not line.startswith("FIX:")]
    if rule.origin == "engine":
        hints = []
    lines = [f"# {rule.id} {rule.name}", "",
             f"**{markdown_text(rule.summary)}**", "",
             f"Default severity: **{rule.severity.value}** · group: {rule.id[:3]}xx {group} · defined in "
             f"{_origin(rule)}", "",
             "## Why and how to fix", "", markdown_text(rule.explanation or rule.summary), ""]
    if hints:
        lines += ["The fix hint connectflow prints with this finding:", ""]
        lines += [f"- `{hint}`" for hint in hints]
        lines += [""]
    lines += ["To accept one known finding instead, add a `[[lint.suppress]]` entry with a reason to the "
              "profile, or record it in a baseline (`connectflow lint --write-baseline`); see "
              "[docs/ci.md](../ci.md).", "",
              "## Failing example", "", *fail, "## Passing example", "", *passing]
    return "\n".join(lines).rstrip("\n") + "\n"


def index(rules) -> str:
    lines = ["# Rules", "",
             "Generated by `python tools/rule_pages.py` from the registry and `tests/rules/` "
             "(a test fails when a page is out of date). `connectflow rules` lists them, "
             "`connectflow rules CF101` explains one, `connectflow rules --format json` gives them to tools.", ""]
    current = None
    for rule in rules:
        if rule.id[:3] != current:
            current = rule.id[:3]
            lines += ["", f"## {current}xx {GROUPS.get(current, '')}", "", "| rule | name | severity | summary |",
                      "|---|---|---|---|"]
        lines.append(f"| [{rule.id}]({rule.id}.md) | {rule.name} | {rule.severity.value} | "
                     f"{markdown_text(rule.summary)} |")
    return "\n".join(lines).strip("\n") + "\n"


def expected_pages() -> dict[str, str]:
    rules = all_rules(builtin_registry())
    pages = {f"{rule.id}.md": page(rule) for rule in rules}
    pages["README.md"] = index(rules)
    return pages


def main(argv: list[str]) -> int:
    pages = expected_pages()
    if "--check" in argv:
        stale = [name for name, text in pages.items()
                 if not (OUT / name).is_file() or (OUT / name).read_text(encoding="utf-8") != text]
        extra = [p.name for p in OUT.glob("*.md") if p.name not in pages] if OUT.is_dir() else []
        for name in stale + extra:
            print(f"docs/rules/{name} is out of date: run python tools/rule_pages.py", file=sys.stderr)
        return 1 if stale or extra else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (OUT / name).write_text(text, encoding="utf-8")
    for stale in OUT.glob("*.md"):
        if stale.name not in pages:
            stale.unlink()
    print(f"wrote {len(pages)} pages to docs/rules/")
    return 0


assert {r.id for r in ENGINE_RULES} == {"CF000", "CF001"}

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
