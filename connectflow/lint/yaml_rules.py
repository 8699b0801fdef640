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
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

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


def profile_keys() -> set[str]:
    """Dotted keys of the tenant profile a rule may compare with (``channel.fb_page_id``)."""
    from pydantic import BaseModel

    from connectflow.profile import Profile

    keys, stack = set(), [("", Profile)]
    while stack:
        prefix, model = stack.pop()
        for name, info in model.model_fields.items():
            if name.startswith("_") or name == "path":
                continue
            key = prefix + name
            keys.add(key)
            kind = info.annotation
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                stack.append((key + ".", kind))
    return keys


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


class Then(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    field: str | None = None
    function: Literal[tuple(FUNCTIONS)]  # type: ignore[valid-type]
    options: dict[str, Any] = Field(default_factory=dict)
    message: str | None = None
    skip_empty: bool = False  # pass when the value is empty (another check reports that)


class RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    id: str
    name: str
    severity: Literal["error", "warning", "info"]
    summary: str
    description: str = ""
    given: str
    then: Then | list[Then]
    message: str = "{name} {failure}"
    fix: str | None = None
    stop_at_first: bool = False  # report only the first failing check of each match


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
        from connectflow.profile import CHANNELS

        if not isinstance(options["channels"], list) or not all(c in CHANNELS for c in options["channels"]):
            raise UnsafeRule(f"{key}.channels': must be a list of {', '.join(CHANNELS)}")


def load_file(path: Path) -> Rule:
    from connectflow.load.reader import CONFIG_CAP, ReadError, read_text

    try:
        data = load_yaml(read_text(path, CONFIG_CAP))
    except ReadError as err:
        raise RuleFileError(f"{path}: cannot read: {err}") from None
    except yaml.YAMLError as err:
        raise RuleFileError(f"{path}: invalid YAML: {visible(yaml_problem(err))}") from None
    except RecursionError:
        raise RuleFileError(f"{path}: invalid YAML: nested too deeply") from None
    try:
        spec = RuleFile.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        raise RuleFileError(f"{path}: key '{'.'.join(map(str, first['loc']))}': {visible(first['msg'])}") from None
    try:
        return compile_rule(spec, str(path))
    except ValueError as err:
        raise RuleFileError(f"{path}: {err}") from None


def load_dir(directory: str | Path) -> list[Rule]:
    directory = Path(directory)
    if not directory.is_dir():
        raise RuleFileError(f"{directory}: not a rules directory")
    return [load_file(p) for p in sorted(directory.glob("*.y*ml")) if p.suffix in (".yaml", ".yml")]


@cache
def builtin_rules_dir() -> Path:
    """The shipped YAML rules: ``connectflow/_rules`` in a wheel, ``rules/`` in a checkout."""
    packaged = Path(str(resources.files("connectflow"))) / "_rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"
