"""JSON output: a stable document for machines (schema in docs/json-output.md)."""

from __future__ import annotations

from collections import Counter

from connectflow.report.common import json_text

SCHEMA_VERSION = 1


def finding_dict(f) -> dict:
    return {"rule": f.rule, "name": f.name, "severity": f.severity.value, "message": f.message,
            "file": f.path, "line": f.line, "column": f.column, "pointer": f.pointer,
            "node": {"id": f.node_id, "label": f.node_label} if f.node_id else None, "fix": f.fix,
            "related": [related_dict(r) for r in f.related]}


def related_dict(r) -> dict:
    return {"file": r.path, "line": r.line, "column": r.column, "pointer": r.pointer, "message": r.message,
            "node": {"id": r.node_id, "label": r.node_label} if r.node_id else None}


def render(result, registry, *, statistics: bool = False, color=None, **_) -> str:
    findings = sorted(result.findings, key=lambda f: f.sort_key)
    counts = Counter(f.severity.value for f in findings)
    document = {
        "version": SCHEMA_VERSION,
        "tool": "connectflow",
        "summary": {"files": result.files, "unreadable": result.unreadable, "findings": len(findings),
                    "error": counts["error"], "warning": counts["warning"], "info": counts["info"],
                    "suppressed": len(result.suppressed), "fixed": len(result.fixed)},
        "findings": [finding_dict(f) for f in findings],
    }
    if result.suppressed:
        document["suppressed"] = [dict(finding_dict(f), reason=f.suppressed)
                                  for f in sorted(result.suppressed, key=lambda f: f.sort_key)]
    if result.fixed:
        document["fixed"] = result.fixed
    if statistics:
        document["statistics"] = dict(sorted(Counter(f.rule for f in findings).items()))
    return json_text(document)
