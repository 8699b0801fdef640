"""GitLab Code Quality report (``artifacts: reports: codequality``): a JSON list of issues.

Schema: GitLab's ``codeclimate.json`` (vendored in tests/schemas/) plus the documented
``check_name`` and severity names. The fingerprint is the baseline's key (rule, node,
the pointer's meaning), so GitLab tracks an issue across re-exports of the flow.
"""

from __future__ import annotations

from connectflow.lint.fingerprint import fingerprint
from connectflow.lint.suppress import relative_to
from connectflow.report.common import json_text, ordered, related_text, visible

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def render(result, registry, *, statistics: bool = False, color=None, **_) -> str:
    issues = []
    seen: dict[str, int] = {}
    for f in ordered(result.findings):
        path = relative_to(f.path, ".")
        key = fingerprint(path, f.rule, f.node_id, f.stable_pointer or f.pointer)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:  # GitLab needs unique fingerprints
            key = fingerprint(key, str(seen[key]))
        node = f" [{f.node_label} ({f.node_id})]" if f.node_id else ""
        fix = f" Fix: {f.fix}" if f.fix else ""
        issues.append({"type": "issue", "check_name": f"{f.rule} {f.name}",
                       "description": visible(f"{f.rule} {f.message}{node}{related_text(f)}.{fix}"),
                       "categories": ["Bug Risk"], "severity": SEVERITY[f.severity.value], "fingerprint": key,
                       "location": {"path": path, "lines": {"begin": f.line or 1}}})
    return json_text(issues)
