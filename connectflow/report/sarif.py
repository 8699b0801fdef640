"""SARIF 2.1.0 output (GitHub code scanning, Azure DevOps, ...), built as plain dicts.

Rules carry plain-text and Markdown help and a ``helpUri`` to their page in docs/rules/;
``partialFingerprints`` come from rule + node + the pointer's meaning (never lines), so
an alert survives a re-export; suppressed findings are kept with ``suppressions`` so a
dashboard shows them as accepted; ``automationDetails.id`` is the profile's
``[lint] automation_id`` (one code-scanning category per tenant).
"""

from __future__ import annotations

import os
from pathlib import Path

from connectflow import __version__
from connectflow.lint.fingerprint import fingerprint
from connectflow.lint.ruledoc import REPOSITORY_URL, describe, help_uri, markdown_text, plain_text
from connectflow.report.common import json_text, ordered, visible

LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _fingerprint(finding) -> str:
    return fingerprint(finding.rule, finding.node_id, finding.stable_pointer or finding.pointer)


def _uri(path: str) -> str:
    candidate = Path(path.split("!")[0])
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError):  # a symlink loop: name the path as given
        resolved = Path(os.path.abspath(candidate))
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_uri()


def _rule(rule_id: str, name: str, registry) -> dict:
    rule = describe(rule_id, registry)
    if rule is None:
        return {"id": rule_id, "name": name, "shortDescription": {"text": rule_id}}
    explanation = rule.explanation or rule.summary
    entry = {"id": rule.id, "name": rule.name, "shortDescription": {"text": plain_text(rule.summary)},
             "fullDescription": {"text": plain_text(explanation)},
             "help": {"text": plain_text(explanation),
                      "markdown": f"**{markdown_text(rule.summary)}**\n\n{markdown_text(explanation)}"},
             "defaultConfiguration": {"level": LEVELS[rule.severity.value]},
             "properties": {"tags": [rule.id[:3] + "xx"]}}
    uri = help_uri(rule)
    if uri:
        entry["helpUri"] = uri
    return entry


def _location(place) -> dict:
    """A SARIF location of a Finding or a related Location (both have path, line, pointer, node)."""
    physical: dict = {"artifactLocation": {"uri": _uri(place.path)}}
    if place.line:
        physical["region"] = {"startLine": place.line, "startColumn": place.column}
    location: dict = {"physicalLocation": physical}
    if place.node_id or place.pointer:
        location["logicalLocations"] = [{"name": visible(place.node_label or place.node_id or place.pointer),
                                         "fullyQualifiedName": place.pointer or "/", "kind": "object"}]
    return location


def _result(finding, rule_index: int) -> dict:
    message = visible(finding.message) + (f" Fix: {visible(finding.fix)}" if finding.fix else "")
    result = {"ruleId": finding.rule, "ruleIndex": rule_index, "level": LEVELS[finding.severity.value],
              "message": {"text": message}, "locations": [_location(finding)],
              "partialFingerprints": {"connectflow/v1": _fingerprint(finding)}}
    if finding.related:
        result["relatedLocations"] = [{"id": i, **_location(r), "message": {"text": visible(r.message or r.path)}}
                                      for i, r in enumerate(finding.related, start=1)]
    if finding.fix:
        result["properties"] = {"fix": finding.fix}
    if finding.suppressed is not None:
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": "baseline" if finding.suppressed == "baseline"
                                   else finding.suppressed}]
    return result


def render(result, registry, *, statistics: bool = False, color=None, **_) -> str:
    findings = ordered([*result.findings, *getattr(result, "suppressed", [])])
    names = {f.rule: f.name for f in findings}
    rule_ids = sorted(names)  # only the rules that fired
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    run: dict = {
        "tool": {"driver": {"name": "connectflow", "version": __version__, "semanticVersion": __version__,
                            "informationUri": REPOSITORY_URL,
                            "rules": [_rule(r, names[r], registry) for r in rule_ids]}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.rule]) for f in findings],
    }
    ids = getattr(result, "automation_ids", [])
    if len(ids) == 1:  # several tenants in one run have no single category
        run["automationDetails"] = {"id": ids[0]}
    document = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json_text(document)
