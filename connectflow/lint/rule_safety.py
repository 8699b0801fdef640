"""What a YAML rule file may contain, checked when it is loaded (never at lint time).

* YAML: no anchors or aliases (a 1 KB alias bomb expands to gigabytes) and at most
  ``MAX_YAML_DEPTH`` levels of nesting.
* Regular expressions: a restricted subset that cannot backtrack catastrophically: no
  quantifier inside a repeated group (``(a+)+``), no alternation of multi-character
  branches inside a repeat (``(ab|a)+``), no backreferences.
* Message templates: plain ``{field}`` names only (no ``{x.__class__}`` attribute walks,
  no ``[index]``), each one of the fields the rule provides.
"""

from __future__ import annotations

import re
import string
from functools import cache

MAX_YAML_DEPTH = 32
MAX_PATTERN = 1000


class UnsafeRule(ValueError):
    """``str()``: the key and the problem."""


@cache
def _bounded_loader():
    """A SafeLoader that refuses anchors, aliases and deep nesting (made on first use: yaml is
    imported only when a rule file is parsed, not when its parse comes from parse_cache.py)."""
    import yaml

    class BoundedLoader(yaml.SafeLoader):
        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(None, None, "YAML anchors and aliases (&name, *name) are not allowed in rule files",
                                                  event.start_mark)
            event = self.peek_event()
            if getattr(event, "anchor", None):
                raise yaml.composer.ComposerError(None, None, "YAML anchors and aliases (&name, *name) are not allowed in rule files",
                                                  event.start_mark)
            self._depth = getattr(self, "_depth", 0) + 1
            try:
                if self._depth > MAX_YAML_DEPTH:
                    raise yaml.composer.ComposerError(None, None, f"nested more than {MAX_YAML_DEPTH} levels",
                                                      event.start_mark)
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

    return BoundedLoader


def yaml_problem(err: Exception) -> str:
    """One line for a YAML error: the problem and where."""
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None) or getattr(err, "context", None) or str(err).splitlines()[0]
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else problem


def _plain_and_shallow(events) -> bool:
    """No alias, no anchor and no node deeper than MAX_YAML_DEPTH (as the bounded loader counts)."""
    import yaml

    open_ = 0
    for event in events:
        if isinstance(event, yaml.NodeEvent):
            if isinstance(event, yaml.AliasEvent) or event.anchor or open_ + 1 > MAX_YAML_DEPTH:
                return False
            if isinstance(event, yaml.CollectionStartEvent):
                open_ += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            open_ -= 1
    return True


def load_yaml(text: str):
    """``yaml.safe_load`` without aliases, anchors or deep nesting; raises yaml.YAMLError."""
    import yaml

    fast = getattr(yaml, "CSafeLoader", None)  # libyaml: a tenth of the pure loader's time
    if fast is not None:
        try:
            if _plain_and_shallow(yaml.parse(text, Loader=fast)):
                return yaml.load(text, Loader=fast)  # noqa: S506 - the safe loader, in C
        except yaml.YAMLError:
            pass
    # A file the C loader refuses, or one with aliases or deep nesting: the pure loader tells
    # what is wrong (and where) in its own words.
    return yaml.load(text, Loader=_bounded_loader())  # noqa: S506 - a SafeLoader subclass


def _walk(items, in_repeat: bool, where: str) -> None:
    from re._constants import (ASSERT, ASSERT_NOT, BRANCH, GROUPREF, GROUPREF_EXISTS, MAX_REPEAT, MIN_REPEAT,
                               SUBPATTERN)

    repeats = {MAX_REPEAT, MIN_REPEAT}
    import re._constants as constants

    if hasattr(constants, "POSSESSIVE_REPEAT"):  # Python 3.11+: a++ never backtracks, but keep it simple
        repeats.add(constants.POSSESSIVE_REPEAT)
    for op, av in items:
        if op in repeats:
            low, high, body = av
            repeated = high is not None and (high > 1 or str(high) == "MAXREPEAT")
            if repeated and in_repeat:
                raise UnsafeRule(f"{where}: a quantifier inside a repeated group (like (a+)+) can take "
                                 "exponential time; rewrite it without the nesting")
            _walk(body, in_repeat or repeated, where)
        elif op is SUBPATTERN:
            _walk(av[-1], in_repeat, where)
        elif op is BRANCH:
            branches = av[1]
            if in_repeat and any(len(b) != 1 for b in branches):
                raise UnsafeRule(f"{where}: an alternation inside a repeated group (like (ab|a)+) can take "
                                 "exponential time; rewrite it without the repeat")
            for branch in branches:
                _walk(branch, in_repeat, where)
        elif op in (ASSERT, ASSERT_NOT):
            _walk(av[1], in_repeat, where)
        elif op in (GROUPREF, GROUPREF_EXISTS):
            raise UnsafeRule(f"{where}: backreferences are not supported in rule patterns")


def check_pattern(pattern: object, where: str) -> None:
    """Refuse a pattern that does not compile or is outside the safe subset."""
    import re._parser as parser

    if not isinstance(pattern, str):
        raise UnsafeRule(f"{where}: must be a string (a regular expression)")
    if len(pattern) > MAX_PATTERN:
        raise UnsafeRule(f"{where}: pattern is over {MAX_PATTERN} characters")
    try:
        re.compile(pattern)
        parsed = parser.parse(pattern)
    except (re.error, RecursionError, OverflowError) as err:
        raise UnsafeRule(f"{where}: invalid regular expression: {err}") from None
    _walk(parsed.data if hasattr(parsed, "data") else parsed, False, where)


def check_template(template: object, fields: set[str], where: str) -> None:
    """Refuse a message template that names unknown fields or reaches into attributes."""
    if not isinstance(template, str):
        raise UnsafeRule(f"{where}: must be a string")
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as err:
        raise UnsafeRule(f"{where}: invalid message template: {err}") from None
    for _, name, spec, _ in parts:
        if name is None:
            continue
        if not name.isidentifier():
            raise UnsafeRule(f"{where}: '{{{name}}}' is not a plain field name (use one of "
                             f"{', '.join('{' + f + '}' for f in sorted(fields))})")
        if name not in fields:
            raise UnsafeRule(f"{where}: unknown field '{{{name}}}' (use one of "
                             f"{', '.join('{' + f + '}' for f in sorted(fields))})")
        if spec and "{" in spec:
            raise UnsafeRule(f"{where}: nested fields in a format spec are not allowed")
    try:
        template.format_map({f: "x" for f in fields})
    except (ValueError, TypeError, KeyError, IndexError) as err:
        raise UnsafeRule(f"{where}: invalid message template: {err}") from None
