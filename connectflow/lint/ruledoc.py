"""Rule texts for people and dashboards: plain text for the terminal, Markdown for pages
and SARIF, and the engine's own rules (CF000, CF001) described like any other.

Rule docstrings use RST-style literals (````patch --asset-id````); no output shows them raw.
"""

from __future__ import annotations

import re

from connectflow import __version__
from connectflow.lint.finding import Severity
from connectflow.lint.registry import Rule

# Substitute your own repository (a fork, an internal mirror) here: SARIF helpUri and
# informationUri point into it, at the tag of the installed version.
REPOSITORY_URL = "https://github.com/your-org/connectflow"


def _no_check(ctx):
    return ()


ENGINE_RULES = (
    Rule("CF000", "unreadable-flow", Severity.ERROR,
         "The file could not be read as a flow.",
         "connectflow reads a flow from its content, not its name: the flow model as JSON "
         "(either value encoding). An empty, truncated or invalid JSON file, a binary or non-UTF-8 "
         "file, JSON that is not a flow, and Cisco's encrypted ``.workflow`` exports cannot be "
         "checked, so nothing in them is known to be ready. The message names the problem; the "
         "other files are still checked and the run exits 2.\n\n"
         "Fix the file (re-export it from the Flow Builder as JSON), or leave it out of the paths. "
         "A pre-commit hook passes ``--skip-non-flows`` so that JSON files that are not flows are "
         "skipped silently.",
         _no_check, origin="engine"),
    Rule("CF001", "unused-suppression", Severity.WARNING,
         "A profile suppression matches no finding.",
         "A ``[[lint.suppress]]`` entry accepts one known finding. When the flow is fixed, or the "
         "entry's rule, file, node or pointer is wrong, it accepts nothing and would silently hide "
         "the next finding that happens to match. It is reported only when a file it names was "
         "linted with its rule active.\n\n"
         "Remove the entry from the profile, or correct it. ``--no-suppress`` ignores every "
         "suppression and the baseline, for audits.",
         _no_check, origin="engine"),
)


def describe(rule_id: str, registry) -> Rule | None:
    """A rule by id or name, including the engine's own."""
    found = registry.get(rule_id)
    if found is not None:
        return found
    key = rule_id.strip()
    return next((r for r in ENGINE_RULES if r.id == key.upper() or r.name == key.lower()), None)


def all_rules(registry) -> list[Rule]:
    return sorted([*ENGINE_RULES, *registry], key=lambda r: r.id)


_LITERAL = re.compile(r"``(.+?)``", re.S)


def paragraphs(text: str) -> list[str]:
    """Docstring paragraphs with their line breaks joined."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def plain_text(text: str) -> str:
    """For the terminal and SARIF ``text``: literals without their backticks."""
    return "\n\n".join(_LITERAL.sub(r"\1", p) for p in paragraphs(text))


def markdown_text(text: str) -> str:
    """For rule pages and SARIF ``markdown``: literals as Markdown code spans."""
    return "\n\n".join(_LITERAL.sub(lambda m: f"`{m.group(1)}`", p) for p in paragraphs(text))


def help_uri(rule: Rule) -> str | None:
    """The rule's page in the documentation of this version (None for a user's YAML rule)."""
    if rule.origin not in ("python", "engine") and not _is_builtin_yaml(rule):
        return None
    return f"{REPOSITORY_URL}/blob/v{__version__}/docs/rules/{rule.id}.md"


def _is_builtin_yaml(rule: Rule) -> bool:
    from pathlib import Path

    from connectflow.lint.yaml_rules import builtin_rules_dir

    try:
        return Path(rule.origin).resolve().parent == builtin_rules_dir().resolve()
    except OSError:
        return False


def rule_record(rule: Rule) -> dict:
    """``connectflow rules --format json``: one rule."""
    return {"id": rule.id, "name": rule.name, "severity": rule.severity.value,
            "summary": plain_text(rule.summary), "explanation": plain_text(rule.explanation),
            "origin": "builtin" if help_uri(rule) else rule.origin, "help_uri": help_uri(rule)}
