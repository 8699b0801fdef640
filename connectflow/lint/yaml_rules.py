"""Declarative rules: one YAML file per rule, compiled into the same Rule objects.

A rule file::

    id: CF210
    name: fb-page-id-unset
    severity: error
    summary: FBpageid must hold the tenant's Facebook Page ID.
    description: |
      Why it matters and how to fix it.
    given: $.customVariables[?(@.name == 'FBpageid')]   # jsonpath-ng extended dialect
    then:                      # one check or a list; each may carry its own message
      field: value             # a key of each match (omit: the match itself)
      function: truthy         # see FUNCTIONS
      options: {}
    message: "{name} is empty"  # {value} {name} {pointer} and {option} fields
    fix: "Set it in the flow settings"
    stop_at_first: true        # optional: one finding per match (the first failing check)

``given`` runs on the decoded document (``model.decoded_document``), so both
value encodings match alike; values are compared as the platform does, as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Callable

from connectflow import redact
from connectflow.escape import visible
from connectflow.lint.finding import Issue, Severity
from connectflow.lint.registry import Rule
from connectflow.lint.rule_safety import UnsafeRule, check_pattern, check_template, load_yaml, yaml_problem
from connectflow.load.locate import join, pointer_of
from connectflow.model import as_text

_MISSING = object()


class RuleFileError(Exception):
    pass


# -- the closed set of functions: (value, options, profile) -> failure text or None -----------

def _truthy(value, options, profile):
    return None if as_text(value).strip() not in ("", "null") and value is not _MISSING else "is empty"


def _defined(value, options, profile):
    return None if value is not _MISSING else "is missing"


def _pattern(value, options, profile):
    text = as_text(value)
    if "match" in options and not re.search(options["match"], text):
        return f"does not match {options['match']}"
    if "not_match" in options and re.search(options["not_match"], text):
        return f"matches {options['not_match']}"
    return None


def _enum(value, options, profile):
    text = as_text(value)
    if "values" in options and text not in {as_text(v) for v in options["values"]}:
        return "is not one of the allowed values"
    if "not" in options and text in {as_text(v) for v in options["not"]}:
        return "is a known template default"
    return None


def _not_template(value, options, profile):
    """The value is not one of the template catalogue's (catalogue.toml), outside ``$(...)``."""
    from connectflow.template_values import match

    found = match(value) if value is not _MISSING else None
    return None if found is None else f"is {found.what}"


def _max_bytes(value, options, profile):
    size = len(as_text(value).encode("utf-8"))
    return f"is {size} bytes, over {options['max']}" if size > int(options["max"]) else None


def profile_keys() -> frozenset[str]:
    """Dotted keys of the tenant profile a rule may compare with (``channel.fb_page_id``)."""
    from connectflow.profile_lookup import PROFILE_KEYS

    return PROFILE_KEYS


def _profile_value(profile, key: str):
    node: Any = profile
    for part in key.split("."):  # key was checked against profile_keys() at load
        node = getattr(node, part, None)
        if node is None:
            return None
    return node


def _equals_profile(value, options, profile):
    """Passes without a profile or when the profile leaves the key unset."""
    expected = _profile_value(profile, options["key"]) if profile is not None else None
    if profile is not None and options["key"].startswith("channel."):  # or one asset's own value
        expected = sorted(profile.channel_values(options["key"].split(".", 1)[1]))
    if expected in (None, "", []):
        return None
    allowed = {as_text(v) for v in expected} if isinstance(expected, list) else {as_text(expected)}
    return None if as_text(value) in allowed else f"does not match the tenant profile ({options['key']})"


def _in_profile_assets(value, options, profile):
    """One of the profile's asset ids (of ``channels`` when given); passes without a profile
    or when the profile lists no such assets."""
    if profile is None:
        return None
    channels = options.get("channels")
    assets = {a for c in channels for a in getattr(profile.assets, c, [])} if channels else profile.assets.all()
    if not assets:
        return None
    return None if as_text(value) in assets else "is not one of the tenant's assets (profile [assets])"


FUNCTIONS: dict[str, Callable[[Any, dict, Any], str | None]] = {
    "truthy": _truthy,
    "defined": _defined,
    "pattern": _pattern,
    "enum": _enum,
    "not_template": _not_template,
    "max_bytes": _max_bytes,
    "equals_profile": _equals_profile,
    "in_profile_assets": _in_profile_assets,
}


# -- the rule file's shape, checked as pydantic would word it (without importing pydantic,
# a third of a small lint's start-up) -------------------------------------------------------

class _Invalid(Exception):
    def __init__(self, loc: tuple, message: str):
        super().__init__(message)
        self.loc, self.message = loc, message


_REQUIRED = object()
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})


def _str(value, loc):
    if not isinstance(value, str):
        raise _Invalid(loc, "Input should be a valid string")
    return value


def _optional_str(value, loc):
    return None if value is None else _str(value, loc)


def _bool(value, loc):
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise _Invalid(loc, "Input should be a valid boolean" + (", unable to interpret input"
                                                               if isinstance(value, (str, int, float)) else ""))


def _options(value, loc):
    if not isinstance(value, dict):
        raise _Invalid(loc, "Input should be a valid dictionary")
    for key in value:
        _str(key, (*loc, key, "[key]"))
    return dict(value)


def _one_of(choices):
    words = [f"'{c}'" for c in choices]
    expected = f"Input should be {', '.join(words[:-1])} or {words[-1]}" if len(words) > 1 else f"Input should be {words[0]}"

    def check(value, loc):
        if value not in choices or not isinstance(value, str):
            raise _Invalid(loc, expected)
        return value
    return check


def _fields(data: dict, schema: dict, loc: tuple) -> dict:
    """``data`` checked against ``schema`` (name -> (check, default)): fields in order, then unknown keys."""
    values = {}
    for name, (check, default) in schema.items():
        if name in data:
            values[name] = check(data[name], (*loc, name))
        elif default is _REQUIRED:
            raise _Invalid((*loc, name), "Field required")
        else:
            values[name] = default() if callable(default) else default
    for name in data:
        if name not in schema:
            raise _Invalid((*loc, name), "Extra inputs are not permitted")
    return values


@dataclass(frozen=True)
class Then:
    field: str | None
    function: str
    options: dict[str, Any]
    message: str | None
    skip_empty: bool  # pass when the value is empty (another check reports that)


_THEN = {"field": (_optional_str, None), "function": (_one_of(tuple(FUNCTIONS)), _REQUIRED),
         "options": (_options, dict), "message": (_optional_str, None), "skip_empty": (_bool, False)}


def _then(value, loc):
    """One check or a list of them (a list with a wrong item is refused as not one check)."""
    if isinstance(value, dict):
        return Then(**_fields(value, _THEN, (*loc, "Then")))
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        try:
            return [Then(**_fields(item, _THEN, ())) for item in value]
        except _Invalid:
            pass
    raise _Invalid((*loc, "Then"), "Input should be a valid dictionary or instance of Then")


@dataclass(frozen=True)
class RuleFile:
    id: str
    name: str
    severity: str
    summary: str
    description: str
    given: str
    then: Then | list[Then]
    message: str
    fix: str | None
    stop_at_first: bool  # report only the first failing check of each match

    @classmethod
    def validated(cls, data: Any) -> "RuleFile":
        """The rule file's contents checked; raises _Invalid (its place, and pydantic's words)."""
        if not isinstance(data, dict):
            raise _Invalid((), "Input should be a valid dictionary or instance of RuleFile")
        return cls(**_fields(data, _RULE_FILE, ()))


_RULE_FILE = {"id": (_str, _REQUIRED), "name": (_str, _REQUIRED),
              "severity": (_one_of(("error", "warning", "info")), _REQUIRED), "summary": (_str, _REQUIRED),
              "description": (_str, ""), "given": (_str, _REQUIRED), "then": (_then, _REQUIRED),
              "message": (_str, "{name} {failure}"), "fix": (_optional_str, None), "stop_at_first": (_bool, False)}


def _node_id(pointer: str, flow) -> str | None:
    match = re.match(r"^/cells/(\d+)", pointer)
    if not match:
        return None
    index = int(match.group(1))
    return next((n.id for n in flow.nodes.values() if n.pointer == f"/cells/{index}"), None)


def compile_rule(spec: RuleFile, origin: str) -> Rule:
    from jsonpath_ng.exceptions import JsonPathParserError
    from jsonpath_ng.ext import parse

    try:
        query = parse(spec.given)
    except (JsonPathParserError, Exception) as err:
        raise RuleFileError(f"{origin}: key 'given': invalid JSONPath: {visible(err)}") from None
    checks = spec.then if isinstance(spec.then, list) else [spec.then]
    for index, then in enumerate(checks):
        where = "then" if not isinstance(spec.then, list) else f"then.{index}"
        try:
            check_options(then, where)
            fields = {"name", "value", "failure", "pointer", *then.options}
            check_template(then.message or spec.message, fields,
                           f"{where}.message'" if then.message else "message'")
        except UnsafeRule as err:
            raise RuleFileError(f"{origin}: key '{err}") from None

    def check(ctx) -> list[Issue]:
        document = ctx.document
        issues = []
        for match in query.find(document):
            try:
                base = pointer_of(match)
            except ValueError as err:
                raise RuleFileError(f"{origin}: given: {err}") from None
            for then in checks:
                value = match.value
                pointer = base
                if then.field is not None:
                    value = value.get(then.field, _MISSING) if isinstance(value, dict) else _MISSING
                    pointer = base + join(then.field)
                if then.skip_empty and (value is _MISSING or as_text(value).strip() == ""):
                    continue
                failure = FUNCTIONS[then.function](value, then.options, ctx.profile)
                if failure is None:
                    continue
                name = match.value.get("name", "") if isinstance(match.value, dict) else ""
                shown = "" if value is _MISSING else as_text(value)
                shown = redact.value(name, shown)
                message = (then.message or spec.message).format_map(
                    {**then.options, "name": name, "value": shown, "failure": failure, "pointer": pointer})
                issues.append(ctx.issue(pointer, message, node=_node_id(pointer, ctx.flow), fix=spec.fix))
                if spec.stop_at_first:
                    break
        return issues

    return Rule(spec.id, spec.name, Severity(spec.severity), spec.summary,
                spec.description.strip(), check, origin=origin)


def check_options(then: Then, where: str) -> None:
    """The options of ``then.function``, all of them, checked now rather than at lint time."""
    options, key = then.options, f"{where}.options"
    allowed = {"truthy": set(), "defined": set(), "pattern": {"match", "not_match"}, "enum": {"values", "not"},
               "not_template": set(), "max_bytes": {"max"}, "equals_profile": {"key"}, "in_profile_assets": {"channels"}}[then.function]
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise UnsafeRule(f"{key}.{unknown[0]}': not an option of {then.function}"
                         + (f" (options: {', '.join(sorted(allowed))})" if allowed else " (it takes none)"))
    if then.function in ("pattern", "enum", "max_bytes", "equals_profile") and not options:
        raise UnsafeRule(f"{key}': {then.function} needs {' or '.join(sorted(allowed))}")
    for name in ("match", "not_match"):
        if name in options:
            check_pattern(options[name], f"{key}.{name}'")
    for name in ("values", "not"):
        if name in options and not (isinstance(options[name], list)
                                    and all(isinstance(v, (str, int, float, bool)) for v in options[name])):
            raise UnsafeRule(f"{key}.{name}': must be a list of plain values")
    if "max" in options and (isinstance(options["max"], bool) or not isinstance(options["max"], int)
                             or options["max"] < 0):
        raise UnsafeRule(f"{key}.max': must be a whole number of bytes")
    if "key" in options and options["key"] not in profile_keys():
        raise UnsafeRule(f"{key}.key': {str(options['key'])!r} is not a profile key (one of "
                         f"{', '.join(sorted(profile_keys()))})")
    if "channels" in options:
        from connectflow.profile_lookup import CHANNELS

        if not isinstance(options["channels"], list) or not all(c in CHANNELS for c in options["channels"]):
            raise UnsafeRule(f"{key}.channels': must be a list of {', '.join(CHANNELS)}")


def parse_file(path: Path) -> Any:
    """The YAML data of a rule file (within rule_safety's bounds), or RuleFileError."""
    import yaml

    from connectflow.load.reader import CONFIG_CAP, ReadError, read_text

    try:
        return load_yaml(read_text(path, CONFIG_CAP))
    except ReadError as err:
        raise RuleFileError(f"{path}: cannot read: {err}") from None
    except yaml.YAMLError as err:
        raise RuleFileError(f"{path}: invalid YAML: {visible(yaml_problem(err))}") from None
    except RecursionError:
        raise RuleFileError(f"{path}: invalid YAML: nested too deeply") from None


def load_file(path: Path, data: Any = _MISSING) -> Rule:
    """The rule of one file; ``data``: its parse when the caller has it (parse_cache.py)."""
    if data is _MISSING:
        data = parse_file(path)
    try:
        spec = RuleFile.validated(data)
    except _Invalid as err:
        raise RuleFileError(f"{path}: key '{'.'.join(map(str, err.loc))}': {visible(err.message)}") from None
    try:
        return compile_rule(spec, str(path))
    except ValueError as err:
        raise RuleFileError(f"{path}: {err}") from None


def load_dir(directory: str | Path) -> list[Rule]:
    """The rules of a directory's ``*.yaml``/``*.yml`` files, in name order; each file is parsed
    only when it changed since a run last parsed it (parse_cache.py)."""
    from connectflow.parse_cache import ParseCache, parsed

    directory = Path(directory)
    if not directory.is_dir():
        raise RuleFileError(f"{directory}: not a rules directory")
    cache = ParseCache()
    rules = [load_file(p, parsed(p, cache, parse_file))
             for p in sorted(directory.glob("*.y*ml")) if p.suffix in (".yaml", ".yml")]
    cache.save()
    return rules


@cache
def builtin_rules_dir() -> Path:
    """The shipped YAML rules: ``connectflow/_rules`` in a wheel, ``rules/`` in a checkout."""
    packaged = Path(__file__).resolve().parents[1] / "_rules"  # beside the package's modules
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"
