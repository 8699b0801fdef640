"""The rule registry: one dict, id -> Rule, filled by Python and YAML rules alike."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable

from connectflow.lint.finding import Issue, Severity

if TYPE_CHECKING:
    from connectflow.lint.context import Context

RULE_ID = re.compile(r"^CF\d{3}$")
RULE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

Check = Callable[["Context"], Iterable[Issue]]


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    check: Check = field(repr=False, compare=False)
    origin: str = "python"  # "python", or the YAML file it came from
    scope: str = "flow"     # "flow": check(Context) per flow; "bundle": check(Bundle) over the set

    def __post_init__(self) -> None:
        if not RULE_ID.match(self.id):
            raise ValueError(f"rule id {self.id!r} is not CF + three digits")
        if not RULE_NAME.match(self.name):
            raise ValueError(f"rule name {self.name!r} is not kebab-case")
        if not self.summary:
            raise ValueError(f"rule {self.id} has no summary (first docstring line)")


def split_doc(doc: str | None) -> tuple[str, str]:
    text = inspect.cleandoc(doc or "")
    summary, _, body = text.partition("\n")
    return summary.strip(), body.strip()


def rule(id: str, name: str, severity: str) -> Callable[[Check], Rule]:
    """Declare a Python rule. The check's docstring: summary line, then the mistake and the fix."""

    def wrap(check: Check) -> Rule:
        summary, explanation = split_doc(check.__doc__)
        return Rule(id, name, Severity(severity), summary, explanation, check)

    return wrap


def bundle_rule(id: str, name: str, severity: str) -> Callable[[Callable], Rule]:
    """Declare a rule over the set of flows: ``check(bundle)`` yields BundleIssues (lint/bundle.py)."""

    def wrap(check: Callable) -> Rule:
        summary, explanation = split_doc(check.__doc__)
        return Rule(id, name, Severity(severity), summary, explanation, check, scope="bundle")

    return wrap


class Registry:
    def __init__(self, rules: Iterable[Rule] = ()):
        self.rules: dict[str, Rule] = {}
        for item in rules:
            self.add(item)

    def add(self, item: Rule) -> None:
        if item.id in self.rules:
            raise ValueError(f"rule {item.id} is defined twice ({self.rules[item.id].origin} and {item.origin})")
        if any(r.name == item.name for r in self.rules.values()):
            raise ValueError(f"rule name {item.name!r} is used twice")
        self.rules[item.id] = item

    def get(self, key: str) -> Rule | None:
        """A rule by id (``CF101``) or name (``placeholder-destination``)."""
        key_upper = key.upper()
        if key_upper in self.rules:
            return self.rules[key_upper]
        return next((r for r in self.rules.values() if r.name == key.lower()), None)

    def __iter__(self):
        return iter(sorted(self.rules.values(), key=lambda r: r.id))

    def __len__(self) -> int:
        return len(self.rules)


def matches(rule_: Rule, selector: str) -> bool:
    """``CF1`` (prefix), ``CF101`` (id) or ``placeholder-destination`` (name), or ``ALL``."""
    selector = selector.strip()
    return (selector.upper() == "ALL" or rule_.id.startswith(selector.upper())
            or rule_.name == selector.lower())


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).read_bytes() == Path(b).read_bytes()
    except OSError:
        return False


def builtin_registry(extra_dirs: Iterable[str] = ()) -> Registry:
    """Every built-in rule (Python checks and the shipped YAML rules), plus user YAML dirs."""
    from connectflow.lint.bundle_checks import BUNDLE_CHECKS
    from connectflow.lint.checks import CHECKS
    from connectflow.lint.yaml_rules import builtin_rules_dir, load_dir

    from connectflow.lint.yaml_rules import RuleFileError

    registry = Registry((*CHECKS, *BUNDLE_CHECKS))
    builtin = builtin_rules_dir().resolve()
    for item in load_dir(builtin):
        registry.add(item)
    for directory in extra_dirs:
        if Path(directory).resolve() == builtin:  # --rules rules/ in a checkout: already loaded
            continue
        for item in load_dir(directory):
            known = registry.rules.get(item.id)
            if known is not None and _same_file(known.origin, item.origin):
                continue  # the shipped rule file itself, e.g. a checkout's rules/ with an installed wheel
            try:
                registry.add(item)
            except ValueError as err:
                raise RuleFileError(f"{item.origin}: {err}") from None
    return registry
