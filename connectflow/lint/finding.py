"""Findings: what a rule says about a flow, and how bad it is."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@dataclass(frozen=True)
class Issue:
    """What a rule yields: where (pointer, node) and what; the engine adds the rest."""

    pointer: str
    message: str
    node_id: str | None = None
    fix: str | None = None


@dataclass(frozen=True)
class Location:
    """A place in a flow file that a finding points at besides its own (SARIF relatedLocations)."""

    path: str
    pointer: str
    message: str = ""
    node_id: str | None = None
    node_label: str | None = None
    line: int | None = None
    column: int | None = None
    stable_pointer: str | None = None  # the pointer's meaning (lint.fingerprint): baselines survive re-exports


@dataclass(frozen=True)
class BundleIssue:
    """What a bundle rule yields: the flow and place it reports on, and the other flows involved."""

    at: Location
    message: str
    related: tuple[Location, ...] = ()
    fix: str | None = None


@dataclass(frozen=True)
class Finding:
    rule: str  # "CF101"
    name: str  # "placeholder-destination"
    severity: Severity
    message: str
    path: str
    pointer: str
    node_id: str | None = None
    node_label: str | None = None
    fix: str | None = None
    line: int | None = None
    column: int | None = None
    stable_pointer: str | None = None  # the pointer's meaning (lint.fingerprint), set by the engine
    suppressed: str | None = None  # why it is accepted: a profile suppression's reason, or "baseline"
    related: tuple[Location, ...] = ()  # the other flows (and places) a cross-flow finding involves

    def __post_init__(self) -> None:
        # Messages, labels and fixes quote the flow: keep them on one line, free of control
        # characters, in every output format (a newline could forge a CI annotation).
        from connectflow.escape import visible

        for name in ("message", "node_id", "node_label", "fix"):
            value = getattr(self, name)
            if value is not None and not value.isprintable():
                object.__setattr__(self, name, visible(value))

    @classmethod
    def of_issue(cls, rule: str, name: str, severity: Severity, message: str, path: str, pointer: str,
                 node_id: str | None, node_label: str | None, fix: str | None) -> "Finding":
        """``Finding(rule, name, ...)`` of a rule's issue, not yet placed, without the frozen
        dataclass's keyword ``__init__`` (one ``object.__setattr__`` per field, for each of the
        thousands of issues of a large flow); its text is made visible as ``__post_init__`` does."""
        finding = object.__new__(cls)
        finding.__dict__.update(rule=rule, name=name, severity=severity, message=message, path=path,
                                pointer=pointer, node_id=node_id, node_label=node_label, fix=fix, line=None,
                                column=None, stable_pointer=None, suppressed=None, related=())
        finding.__post_init__()
        return finding

    def with_location(self, line: int | None, column: int | None) -> "Finding":
        return replace(self, line=line, column=column)

    def placed(self, line: int | None, column: int | None, stable_pointer: str | None) -> "Finding":
        """A copy with its place in the file: ``replace`` without walking the fields and checking
        them again (they were checked when this one was made; lint places every finding)."""
        placed = object.__new__(Finding)
        placed.__dict__.update(self.__dict__, line=line, column=column, stable_pointer=stable_pointer)
        return placed

    @property
    def fixable(self) -> bool:
        """``connectflow patch`` can write the fix (the hint names the command)."""
        return bool(self.fix) and "connectflow patch" in self.fix

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.column or 0, self.rule, self.pointer)
