"""SARIF 2.1.0 output (GitHub code scanning, Azure DevOps, ...), built as plain dicts."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from connectflow import __version__

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_CELL = re.compile(r"^/cells/\d+")


def _fingerprint(finding) -> str:
    # Rule + node id + the path inside the node: stable when cells are reordered.
    where = _CELL.sub("", finding.pointer) if finding.node_id else finding.pointer
    key = f"{finding.rule}|{finding.node_id or ''}|{where}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _uri(path: str) -> str:
    candidate = Path(path.split("!")[0])
    try:
        return candidate.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return candidate.resolve().as_uri()


def _rule(rule_id: str, registry) -> dict:
    rule = registry.get(rule_id)
    if rule is None:  # CF000: the file could not be read
        return {"id": rule_id, "name": "unreadable-flow",
                "shortDescription": {"text": "The file could not be read as a flow."},
                "defaultConfiguration": {"level": "error"}}
    return {"id": rule.id, "name": rule.name, "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.explanation or rule.summary},
            "help": {"text": rule.explanation or rule.summary},
            "defaultConfiguration": {"level": LEVELS[rule.severity.value]}}


def _result(finding, rule_index: int) -> dict:
    physical: dict = {"artifactLocation": {"uri": _uri(finding.path)}}
    if finding.line:
        physical["region"] = {"startLine": finding.line, "startColumn": finding.column}
    location: dict = {"physicalLocation": physical}
    if finding.node_id or finding.pointer:
        location["logicalLocations"] = [{"name": finding.node_label or finding.node_id or finding.pointer,
                                         "fullyQualifiedName": finding.pointer or "/", "kind": "object"}]
    result = {"ruleId": finding.rule, "ruleIndex": rule_index, "level": LEVELS[finding.severity.value],
              "message": {"text": finding.message}, "locations": [location],
              "partialFingerprints": {"connectflow/v1": _fingerprint(finding)}}
    if finding.fix:
        result["properties"] = {"fix": finding.fix}
    return result


def render(result, registry, *, statistics: bool = False, color=None) -> str:
    findings = sorted(result.findings, key=lambda f: f.sort_key)
    rule_ids = sorted({f.rule for f in findings})  # only the rules that fired
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "connectflow", "version": __version__,
                                "informationUri": "https://pypi.org/project/connectflow/",
                                "rules": [_rule(r, registry) for r in rule_ids]}},
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, index[f.rule]) for f in findings],
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)
