"""The rule engine: run rules over flows, collect findings.

``lint_paths`` is the whole ``connectflow lint`` job without printing:
expand paths, load each file (a load failure becomes a CF000 finding and the
run goes on), run the selected rules, resolve line:column from pointers.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from connectflow.lint.finding import Finding, Issue, Severity
from connectflow.lint.registry import Registry, Rule, matches

LOAD_ERROR_RULE = ("CF000", "unreadable-flow")
FLOW_SUFFIXES = (".json", ".workflow", ".zip", ".xml")


@dataclass
class Selection:
    """Which rules run, and at what severity (CLI options over profile settings)."""

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)

    def active(self, registry: Registry) -> list[Rule]:
        chosen = [r for r in registry if not self.select or any(matches(r, s) for s in self.select)]
        return [r for r in chosen if not any(matches(r, s) for s in self.ignore)]

    def merged(self, settings) -> "Selection":
        """These options over a profile's ``[lint]`` settings: an explicit --select wins,
        ignores add up, severities come from the profile."""
        return Selection(select=self.select or list(settings.select), ignore=[*self.ignore, *settings.ignore],
                         severity={**settings.severity, **self.severity})

    def unknown(self, registry: Registry) -> list[str]:
        """Selectors that match no rule (a typo would otherwise silently select nothing)."""
        keys = [*self.select, *self.ignore, *self.severity]
        return [k for k in keys if not any(matches(rule, k) for rule in registry)]

    def severity_of(self, rule: Rule) -> Severity:
        for key, level in self.severity.items():
            if matches(rule, key):
                return Severity(level)
        return rule.severity


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    unreadable: int = 0


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Files as given; folders walked for flow files; globs expanded. Order kept, no repeats."""
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(os.path.join(folder, f) for f in sorted(files) if f.endswith(FLOW_SUFFIXES))
        elif not os.path.exists(path) and glob.has_magic(path):
            found.extend(sorted(glob.glob(path, recursive=True)) or [path])
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _finding(rule: Rule, severity: Severity, issue: Issue, context) -> Finding:
    node = context.flow.nodes.get(issue.node_id) if issue.node_id else None
    return Finding(rule=rule.id, name=rule.name, severity=severity, message=issue.message,
                   path=context.source.path, pointer=issue.pointer, node_id=issue.node_id,
                   node_label=node.title if node else None, fix=issue.fix)


def lint_source(source, rules: list[Rule], selection: Selection, profile=None) -> list[Finding]:
    """Every finding of ``rules`` on one loaded flow, with line:column resolved."""
    from connectflow.lint.context import Context

    context = Context(source, profile)
    findings = []
    for rule in rules:
        severity = selection.severity_of(rule)
        for issue in rule.check(context):
            findings.append(_finding(rule, severity, issue, context))
    located = [f.with_location(*(source.locate(f.pointer) or (None, None))) for f in findings]
    return sorted(set(located), key=lambda f: f.sort_key)


def lint_paths(paths: Iterable[str], registry: Registry, selection: Selection, profile_for) -> Result:
    """Lint every flow under ``paths``. ``profile_for(path)`` gives the profile of a file (or None)."""
    from connectflow.load import LoadError, load_source

    from connectflow.profile import ProfileError

    result = Result()
    for path in expand_paths(paths):
        result.files += 1
        try:
            source = load_source(path)
        except LoadError as err:
            result.unreadable += 1
            result.findings.append(Finding(rule=LOAD_ERROR_RULE[0], name=LOAD_ERROR_RULE[1],
                                           severity=Severity.ERROR, message=err.problem, path=str(path),
                                           pointer=""))
            continue
        profile = profile_for(path)
        chosen = selection.merged(profile.lint) if profile is not None else selection
        if chosen.unknown(registry):
            raise ProfileError(f"{profile.path}: [lint] names no rule {chosen.unknown(registry)[0]!r}")
        result.findings.extend(lint_source(source, chosen.active(registry), chosen, profile))
    return result


def exit_code(result: Result, fail_on: Severity) -> int:
    if result.unreadable:
        return 2
    return 1 if any(f.severity.rank >= fail_on.rank for f in result.findings) else 0


__all__ = ["Finding", "Issue", "Result", "Selection", "Severity", "exit_code", "expand_paths",
           "lint_paths", "lint_source"]
