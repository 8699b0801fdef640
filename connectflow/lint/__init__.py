"""The rule engine: run rules over flows, collect findings.

``lint_paths`` is the whole ``connectflow lint`` job without printing:
expand paths, load each file (a load failure becomes a CF000 finding and the
run goes on), run the selected rules, resolve line:column from pointers.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
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
        from connectflow.lint.ruledoc import ENGINE_RULES

        keys = [*self.select, *self.ignore, *self.severity]
        return [k for k in keys if not any(matches(rule, k) for rule in (*registry, *ENGINE_RULES))]

    def severity_of(self, rule: Rule) -> Severity:
        for key, level in self.severity.items():
            if matches(rule, key):
                return Severity(level)
        return rule.severity


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)  # reported (not suppressed)
    files: int = 0
    unreadable: int = 0
    suppressed: list[Finding] = field(default_factory=list)  # accepted by the profile or the baseline
    fixed: list[dict] = field(default_factory=list)  # baseline entries that no longer occur
    profiles: list[str] = field(default_factory=list)  # profile files used, in order of first use
    unprofiled: int = 0  # flows linted without a profile
    automation_ids: list[str] = field(default_factory=list)  # the profiles' [lint] automation_id (SARIF category)
    skipped: list[str] = field(default_factory=list)  # --skip-non-flows: files that are not flows
    parsed: dict[str, "Parsed"] = field(default_factory=dict)  # keep_parsed: each flow as lint read it, by path


@dataclass(frozen=True)
class Parsed:
    """One flow as lint read it: the loaded source, its model and (when a rule built it) its graph,
    so that what renders the flow afterwards (``report``, ``lint --report``) need not read it again."""

    source: object  # connectflow.load.Source
    flow: object  # connectflow.model.Flow
    graph: object | None = None  # connectflow.graph.FlowGraph


class PathError(Exception):
    """An explicit path that names no flow (an empty folder, a glob matching nothing)."""


def expand_paths(paths: Iterable[str], strict: bool = False) -> list[str]:
    """Files as given; folders walked for flow files; globs expanded. Order kept, no repeats
    (``a.json`` and ``./a.json`` are one file). ``strict``: a folder or glob without flows
    raises PathError instead of being passed on."""
    found: list[str] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            inside = []
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                inside.extend(os.path.join(folder, f) for f in sorted(files) if f.endswith(FLOW_SUFFIXES))
            if strict and not inside:
                raise PathError(f"{path}: no flow files in this folder (looked for {', '.join(FLOW_SUFFIXES)})")
            found.extend(inside)
        elif path != "-" and not os.path.exists(path) and glob.has_magic(path):
            matched = sorted(glob.glob(path, recursive=True))
            if strict and not matched:
                raise PathError(f"{path}: the pattern matches no file")
            found.extend(matched or [path])
        else:
            found.append(path)
    unique: dict[str, str] = {}
    for path in found:
        unique.setdefault(path if path == "-" else os.path.normpath(path), path)
    return list(unique.values())


def _finding(rule: Rule, severity: Severity, issue: Issue, context) -> Finding:
    node = context.flow.nodes.get(issue.node_id) if issue.node_id else None
    masked = context.masked  # rules quote the flow: its credentials are masked here, for every output
    return Finding.of_issue(rule.id, rule.name, severity, masked(issue.message), context.source.path,
                            issue.pointer, issue.node_id, masked(node.title) if node else None, masked(issue.fix))


def lint_source(source, rules: list[Rule], selection: Selection, profile=None, locate: bool = True) -> list[Finding]:
    """Every finding of ``rules`` on one loaded flow, with line:column resolved (``locate=False``:
    without line:column and stable pointer, unsorted: for callers that compare rules and pointers)."""
    return check_source(source, rules, selection, profile, locate=locate)[0]


def check_source(source, rules: list[Rule], selection: Selection, profile=None, facts: bool = False,
                 locate: bool = True, context=None, stable: bool = True):
    """``(findings, FlowFacts or None)`` of one loaded flow: the per-flow rules' findings, and
    with ``facts`` what the cross-flow pass needs to know about the flow (lint/bundle.py).
    ``context``: the Context of ``source`` and ``profile`` when the caller built it (to keep its model).
    ``stable``: work out each finding's stable pointer (else None: see ``Acceptance.stable_pointers``)."""
    from connectflow.lint.context import Context

    context = context if context is not None else Context(source, profile)
    findings = []
    for rule in rules:
        if rule.scope != "flow":
            continue
        severity = selection.severity_of(rule)
        for issue in rule.check(context):
            findings.append(_finding(rule, severity, issue, context))
    if profile is not None:
        from connectflow.lint.hints import with_profile_hints

        findings = with_profile_hints(findings, context.flow, profile, source.path)
    summary = None
    if facts:
        from connectflow.lint.bundle import facts_of

        summary = facts_of(context)
    if not locate:
        return list(dict.fromkeys(findings)), summary
    from connectflow.lint.fingerprint import StablePointers

    stable_pointer = StablePointers(context.document) if stable else lambda _pointer: None
    places = source.locate_all(f.pointer for f in findings)  # only the reported pointers, in one pass
    located = [f.placed(*(places[f.pointer] or (None, None)), stable_pointer(f.pointer)) for f in findings]
    return sorted(set(located), key=lambda f: f.sort_key), summary


@dataclass
class Acceptance:
    """How known findings are accepted in this run (``connectflow lint`` options)."""

    suppress: bool = True  # False: --no-suppress, for audits
    baseline: str | None = None  # --baseline FILE
    stdin_name: str | None = None  # --stdin-filename: the name (and profile lookup) for "-"
    skip_non_flows: bool = False  # --skip-non-flows: a file that sniffs as something else is skipped
    # Each finding's stable pointer (lint.fingerprint), which baselines, [[lint.suppress]] and the
    # fingerprinted formats read; False only when none of them is in the run (a flow with a
    # profile or a --baseline gets them anyway). A tenth of a 10 MB flow's lint with many findings.
    stable_pointers: bool = True


def _load(path: str, acceptance: Acceptance):
    from connectflow.load import load_bytes, load_source

    if path != "-":
        return path, load_source(path)
    import sys

    name = acceptance.stdin_name or "-"
    return name, load_bytes(name, sys.stdin.buffer.read())


def _lint_one(path: str, registry: Registry, selection: Selection, profile_for, acceptance: Acceptance,
              facts: bool = False, keep: bool = False, last: bool = False):
    """One flow: ``(path, findings, FlowFacts or None, Parsed or None)`` before suppressions, or
    ``LoadError`` details (picklable, so that a worker process can send them back). ``keep``: return
    the flow as read (in-process only: sending whole flows back from a worker costs more than a re-read).
    ``last``: the run's last flow in a process that ends with ``runtime.leave``: held to the end."""
    from connectflow.runtime import paused_gc

    # The collector resumes once the flow is freed (or frozen, held to the end): resumed while
    # it is still held, its first full collection would walk all of it (a twentieth of a 10 MB
    # flow's lint).
    with paused_gc():
        return _lint_flow(path, registry, selection, profile_for, acceptance, facts, keep, last)


def _lint_flow(path: str, registry: Registry, selection: Selection, profile_for, acceptance: Acceptance,
               facts: bool, keep: bool, last: bool = False):
    from connectflow.lint.context import Context
    from connectflow.load import LoadError
    from connectflow.profile_lookup import ProfileError

    try:
        path, source = _load(path, acceptance)
    except LoadError as err:
        return _Unreadable(err.path, err.problem, err.kind)
    profile = profile_for(path)
    chosen = selection.merged(profile.lint) if profile is not None else selection
    if chosen.unknown(registry):
        raise ProfileError(f"{profile.path}: [lint] names no rule {chosen.unknown(registry)[0]!r}")
    context = Context(source, profile)
    stable = acceptance.stable_pointers or acceptance.baseline is not None or profile is not None
    findings, summary = check_source(source, chosen.active(registry), chosen, profile, facts=facts,
                                     context=context, stable=stable)
    # The graph only if a rule built it (the cached property's slot); a reader builds it when missing.
    parsed = Parsed(source, context.flow, context.__dict__.get("graph")) if keep else None
    if last:
        from connectflow.runtime import keep_to_the_end

        keep_to_the_end(context)
    return path, findings, summary, parsed


@dataclass(frozen=True)
class _Unreadable:
    path: str
    problem: str
    kind: str


def lint_paths(paths: Iterable[str], registry: Registry, selection: Selection, profile_for,
               acceptance: Acceptance | None = None, jobs: int | None = 1, bundle: bool | None = None,
               keep_parsed: bool = False) -> Result:
    """Lint every flow under ``paths``. ``profile_for(path)`` gives the profile of a file (or None).
    Raises PathError for a folder or glob without flows.

    ``keep_parsed``: keep each flow as read in ``Result.parsed`` (by path) for a caller that renders
    the flows afterwards; only when they are linted in this process (``jobs`` 1).

    The cross-flow rules (CF7xx) run afterwards, in this process, over the facts of the flows that
    share a profile, when ``bundle`` is True, or when it is None and more than one flow was given.

    ``jobs``: worker processes for loading and linting (None: one per core when there are more
    than a few flows, 0: one per core); suppressions and baselines are applied here, in order,
    so the result is the same whatever the number."""
    from connectflow.lint.suppress import SuppressionState, apply_baseline, load_baseline
    from connectflow.runtime import LEAVING, jobs_for, ordered_map

    acceptance = acceptance or Acceptance()
    baseline = load_baseline(acceptance.baseline) if acceptance.baseline and acceptance.suppress else None
    result = Result()
    found: list[Finding] = []
    states: dict[str, tuple[SuppressionState, Selection]] = {}
    linted: list[str] = []
    files = expand_paths(paths, strict=True)
    wanted = bundle if bundle is not None else len(files) > 1
    collected = []
    workers = 1 if "-" in files else jobs_for(jobs, len(files))  # stdin is read here
    keep = keep_parsed and workers == 1
    held = files[-1] if workers == 1 and LEAVING else None  # see runtime.keep_to_the_end
    outcomes = ordered_map(lambda path: _lint_one(path, registry, selection, profile_for, acceptance, wanted, keep,
                                                  last=path is held), files, workers)
    for outcome in outcomes:
        if isinstance(outcome, _Unreadable):
            if acceptance.skip_non_flows and outcome.kind in SKIPPABLE:
                result.skipped.append(outcome.path)
                continue
            result.files += 1
            result.unreadable += 1
            found.append(Finding(rule=LOAD_ERROR_RULE[0], name=LOAD_ERROR_RULE[1], severity=Severity.ERROR,
                                 message=outcome.problem, path=outcome.path, pointer=""))
            continue
        path, findings, facts, parsed = outcome
        if facts is not None:
            collected.append(facts)
        if parsed is not None:
            result.parsed[path] = parsed
        result.files += 1
        linted.append(path)
        profile = profile_for(path)
        if profile is None:
            result.unprofiled += 1
        elif profile.path and profile.path not in result.profiles:
            result.profiles.append(profile.path)
            if profile.lint.automation_id and profile.lint.automation_id not in result.automation_ids:
                result.automation_ids.append(profile.lint.automation_id)
        chosen = selection.merged(profile.lint) if profile is not None else selection
        active = chosen.active(registry)
        if acceptance.suppress and profile is not None and profile.lint.suppress:
            state, _ = states.setdefault(profile.path or "", (SuppressionState.of(profile), chosen))
            findings = state.apply(path, findings, active)
        found.extend(findings)
    if wanted:  # the cross-flow pass, after every flow: suppressions and the baseline apply alike
        for group, findings in lint_set_groups(collected, registry, selection, profile_for):
            profile = group.profile
            if acceptance.suppress and profile is not None and profile.lint.suppress:
                chosen = selection.merged(profile.lint)
                state, _ = states.setdefault(profile.path or "", (SuppressionState.of(profile), chosen))
                active = chosen.active(registry)
                by_path: dict[str, list[Finding]] = {}
                for finding in findings:
                    by_path.setdefault(finding.path, []).append(finding)
                findings = [f for path, items in by_path.items() for f in state.apply(path, items, active)]
            found.extend(findings)
    for state, chosen in states.values():
        from connectflow.lint.ruledoc import ENGINE_RULES

        if chosen.active(Registry(r for r in ENGINE_RULES if r.id == "CF001")):  # --select/--ignore apply to it
            found.extend(state.unused_findings())
    if baseline is not None:
        found, result.fixed = apply_baseline(acceptance.baseline, baseline, found, linted)
    result.findings = [f for f in found if f.suppressed is None]
    result.suppressed = [f for f in found if f.suppressed is not None]
    return result


def lint_set(facts: list, registry: Registry, selection: Selection, profile_for) -> list[Finding]:
    """The cross-flow pass: the bundle rules over each tenant's flows (a separate pass, so it
    does not matter how the per-flow linting ran)."""
    return [f for _group, findings in lint_set_groups(facts, registry, selection, profile_for) for f in findings]


def lint_set_groups(facts: list, registry: Registry, selection: Selection, profile_for):
    """``(Bundle, findings)`` for each group of flows that share one profile."""
    from connectflow.lint.bundle import groups, lint_bundle

    for group in groups(facts, profile_for):
        chosen = selection.merged(group.profile.lint) if group.profile is not None else selection
        yield group, lint_bundle(group, chosen.active(registry), chosen)


# What --skip-non-flows skips: files that are something else, not flows that are damaged.
SKIPPABLE = ("not-a-flow", "binary", "unknown", "empty", "encoding")


def exit_code(result: Result, fail_on: Severity) -> int:
    if any(f.rule == LOAD_ERROR_RULE[0] for f in result.findings):
        return 2
    return 1 if any(f.severity.rank >= fail_on.rank for f in result.findings) else 0


__all__ = ["Acceptance", "Finding", "Issue", "Parsed", "PathError", "Result", "Selection", "Severity", "check_source",
           "exit_code", "expand_paths", "lint_paths", "lint_set", "lint_source"]
