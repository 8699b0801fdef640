"""Accepting known findings: profile suppressions and the baseline file.

Flow files are JSON, so there is no ``# noqa``. A team accepts a finding either
in the profile (``[[lint.suppress]]``, with a reason, reviewed like code) or in
a baseline file written by ``connectflow lint --write-baseline`` (adopt the gate
today, fix the backlog later). Both key a finding by file, rule, node id and
the pointer's meaning (``lint.fingerprint.stable_pointer``), never by line, so
re-exporting a flow keeps them valid.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

from connectflow.lint.finding import Finding, Severity

BASELINE_VERSION = 1
UNUSED_RULE = ("CF001", "unused-suppression")
NOT_BASELINED = ("CF000", "CF001")  # an unreadable file or a stale suppression is never "known"


class BaselineError(Exception):
    """A baseline file that cannot be read; ``str()`` names the file."""


def _posix(path: str) -> str:
    return PurePath(path.split("!")[0]).as_posix()


def relative_to(path: str, folder: str | Path) -> str:
    """``path`` relative to ``folder`` when it lies below it, else as given (posix)."""
    try:
        return Path(os.path.abspath(path.split("!")[0])).relative_to(os.path.abspath(folder)).as_posix()
    except ValueError:
        return _posix(path)


def rule_matches(selector: str, finding: Finding) -> bool:
    selector = selector.strip()
    return (selector.upper() == "ALL" or finding.rule.startswith(selector.upper())
            or finding.name == selector.lower())


def _pointer_matches(wanted: str, finding: Finding) -> bool:
    return any(have == wanted or have.startswith(wanted.rstrip("/") + "/") or have.startswith(wanted + "[")
               for have in (finding.pointer, finding.stable_pointer or "") if have)


def file_matches(glob: str, path: str, profile_dir: str | Path) -> bool:
    candidates = {relative_to(path, profile_dir), _posix(path)}
    if "/" not in glob:
        candidates.add(PurePath(_posix(path)).name)
    return any(fnmatch.fnmatchcase(c, glob) for c in candidates)


@dataclass
class SuppressionState:
    """One profile's suppressions and what became of them in this run."""

    profile_path: str
    entries: list  # profile.Suppression
    used: list[bool]
    applicable: list[bool]  # a linted file and an active rule it could have matched

    @classmethod
    def of(cls, profile) -> "SuppressionState":
        n = len(profile.lint.suppress)
        return cls(profile.path or "", list(profile.lint.suppress), [False] * n, [False] * n)

    @property
    def folder(self) -> str:
        return os.path.dirname(os.path.abspath(self.profile_path))

    def apply(self, path: str, findings: list[Finding], active_rules) -> list[Finding]:
        """Mark the findings of one file that a suppression accepts (``Finding.suppressed``)."""
        for i, entry in enumerate(self.entries):
            if file_matches(entry.file, path, self.folder) and any(
                    rule_matches(entry.rule, Finding(r.id, r.name, r.severity, "", path, "")) for r in active_rules):
                self.applicable[i] = True
        out = []
        for finding in findings:
            for i, entry in enumerate(self.entries):
                if (rule_matches(entry.rule, finding) and file_matches(entry.file, finding.path, self.folder)
                        and (entry.node is None or entry.node == finding.node_id)
                        and (entry.pointer is None or _pointer_matches(entry.pointer, finding))):
                    self.used[i] = True
                    finding = replace(finding, suppressed=entry.reason)
                    break
            out.append(finding)
        return out

    def unused_findings(self) -> list[Finding]:
        lines = _suppress_lines(self.profile_path)
        found = []
        for i, entry in enumerate(self.entries):
            if self.applicable[i] and not self.used[i]:
                what = " ".join(filter(None, [entry.rule, entry.file if entry.file != "*" else None,
                                              f"node {entry.node}" if entry.node else None, entry.pointer]))
                found.append(Finding(rule=UNUSED_RULE[0], name=UNUSED_RULE[1], severity=Severity.WARNING,
                                     message=f"suppression [{what}] matches no finding (reason: {entry.reason})",
                                     path=self.profile_path, pointer=f"/lint/suppress/{i}",
                                     fix="remove the [[lint.suppress]] entry, or correct its rule, file, "
                                         "node or pointer",
                                     line=lines[i] if i < len(lines) else None, column=1 if i < len(lines) else None))
        return found


_SUPPRESS_HEADER = re.compile(r"^\s*\[\[\s*(?:tool\.connectflow\.)?lint\.suppress\s*\]\]")


def _suppress_lines(path: str) -> list[int]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [n for n, line in enumerate(text.splitlines(), 1) if _SUPPRESS_HEADER.match(line)]


# -- the baseline --------------------------------------------------------------------------

def _entry(finding: Finding, folder: str | Path) -> dict:
    return {"file": relative_to(finding.path, folder), "rule": finding.rule, "node": finding.node_id,
            "where": finding.stable_pointer or finding.pointer, "message": finding.message}


def _key(entry: dict) -> tuple:
    return (entry["file"], entry["rule"], entry.get("node"), entry["where"])


def write_baseline(path: str | Path, findings: list[Finding]) -> str:
    """The baseline document for ``findings`` (stable order, paths relative to its folder)."""
    folder = Path(os.path.abspath(path)).parent
    entries = sorted((_entry(f, folder) for f in findings if f.rule not in NOT_BASELINED),
                     key=lambda e: (*map(lambda v: v or "", _key(e)), e["message"]))
    return json.dumps({"version": BASELINE_VERSION, "tool": "connectflow", "findings": entries},
                      indent=2, ensure_ascii=False) + "\n"


def load_baseline(path: str | Path) -> list[dict]:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise BaselineError(f"{path}: cannot read baseline: {err}") from None
    if not isinstance(document, dict) or document.get("version") != BASELINE_VERSION:
        raise BaselineError(f"{path}: not a connectflow baseline (version {BASELINE_VERSION})")
    entries = document.get("findings")
    if not isinstance(entries, list) or not all(isinstance(e, dict) and {"file", "rule", "where"} <= e.keys()
                                                for e in entries):
        raise BaselineError(f"{path}: 'findings' must be a list of {{file, rule, node, where}} entries")
    return entries


def apply_baseline(path: str | Path, entries: list[dict], findings: list[Finding],
                   linted: list[str]) -> tuple[list[Finding], list[dict]]:
    """Mark findings the baseline holds as suppressed; return them and the entries no longer found
    in the files linted this run (the backlog that was fixed)."""
    folder = Path(os.path.abspath(path)).parent
    remaining = Counter(_key(e) for e in entries)
    out = []
    for finding in findings:
        key = _key(_entry(finding, folder))
        if finding.suppressed is None and remaining[key] > 0:
            remaining[key] -= 1
            finding = replace(finding, suppressed="baseline")
        out.append(finding)
    files = {relative_to(p, folder) for p in linted}
    fixed = []
    for entry in entries:
        key = _key(entry)
        if remaining[key] > 0 and entry["file"] in files:
            remaining[key] -= 1
            fixed.append(entry)
    return out, fixed
