"""What to change in one flow: settings + profile + flow -> ``[Patch(pointer, old, new, reason)]``.

Pure: reads the typed model and the settings, writes nothing. Values on the
command line win over the tenant profile. Each setting changes every copy of
the value it targets (see ``copies``); a value that already holds what the
setting asks for gives no patch, so planning an already patched flow gives
nothing (idempotence).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from connectflow import copies
from connectflow.catalogue import is_destination_variable, placeholder_destinations
from connectflow.copies import Copy
from connectflow.load.decode import loads
from connectflow.load.locate import pointer_of
from connectflow.model import Flow, Node, as_text
from connectflow.patch import values
from connectflow.patch.channels import condition_channel, flow_channels
from connectflow.patch.document import expanded, get
from connectflow.patch.request import Auth, Patch, Settings  # noqa: F401 (importers name them from here too)
from connectflow.settings import (Setting, by_locator, by_node_keys, channel_values, check, flow_value,
                                  flow_variables, node_value, profile_key, setting)

# Channel options -> the custom variables they set (names are case-sensitive on the platform).
CHANNEL_VARIABLES = {s.option_key: s.variables for s in by_locator("custom_variable") if "*" not in s.variables}


class PlanError(ValueError):
    """A setting that cannot be applied to this flow; ``str()`` is one line."""


@dataclass
class Plan:
    patches: list[Patch] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    applied: set[str] = field(default_factory=set)  # "<setting>:<detail>" labels of Settings.requested()

    def add(self, target: Copy, new: Any, reason: str, node: Node | None = None, fixes: tuple[str, ...] = (),
            setting: str = ""):
        if same(target.value, new):
            return
        for existing in self.patches:
            if existing.pointer == target.pointer:
                if not same(existing.new, new):
                    raise PlanError(f"{target.pointer}: two settings ask for different values "
                                    f"({as_text(existing.new)!r} for {existing.reason}, {as_text(new)!r} for {reason})")
                return
        self.patches.append(Patch(target.pointer, target.value, new, reason, node.id if node else None, fixes, setting))


def same(old: Any, new: Any) -> bool:
    """Equal as the platform compares values: as text when one side is a string."""
    if isinstance(old, str) != isinstance(new, str):
        return as_text(old) == as_text(new)
    return values.kind(old) == values.kind(new) and old == new


def plan(flow: Flow, settings: Settings, profile=None, path: str | None = None) -> Plan:
    """The patches that apply ``settings`` (then ``profile``) to ``flow``. Raises PlanError."""
    result = Plan()
    try:
        _assets(flow, settings, profile, result)
        _channel_variables(flow, settings, profile, result)
        _set_vars(flow, settings, result)
        _profile_variables(flow, settings, profile, path, result)
        _authorizations(flow, settings, profile, result)
        for entry in by_locator("node_setting"):
            given = settings.node_setting(entry)
            value = given if given is not None else flow_value(entry, profile, path)
            _node_setting(flow, entry, None if value is None else as_text(value), result)
        for entry in by_locator("catalogue_value"):
            _catalogue_values(flow, entry, settings.node_setting(entry), profile, path, result)
        _sets(flow, settings, result)
    except values.ValueRefused as err:
        raise PlanError(str(err)) from None
    return result


# -- start conditions --------------------------------------------------------------------------

def _assets(flow: Flow, settings: Settings, profile, result: Plan) -> None:
    trigger = flow.trigger
    conditions = [c for c in (trigger.effective_conditions if trigger else []) if is_destination_variable(c.variable)]
    present = list(dict.fromkeys(as_text(c.value) for c in conditions))
    wanted: dict[str, str] = {}
    for item in settings.asset_ids:
        old, sep, new = item.partition("=")
        if not sep:  # a bare id: the flow's one destination
            if len(present) > 1:
                raise PlanError(f"the start conditions filter on {len(present)} destinations "
                                f"({', '.join(present)}): say which with --asset-id OLD=NEW")
            if present:
                wanted[present[0]] = item
                result.applied.add("asset:")
        elif old in present:
            wanted[old] = new
            result.applied.add(f"asset:{old}")
        elif new in present:  # written before: re-running the same command is a no-op
            result.applied.add(f"asset:{old}")
    if not settings.asset_ids and profile is not None:
        wanted = _profile_assets(flow, conditions, profile, result)
    for new in wanted.values():
        values.check_asset_id(new)
    for condition in conditions:
        new = wanted.get(as_text(condition.value))
        if new is None:
            continue
        for target in copies.condition_copies(flow, condition.variable, condition.value):
            result.add(target, _asset_value(target.value, new),
                       f"start condition {condition.variable} ({target.store})", flow.start, ("CF101",), "asset")


def _asset_value(old: Any, new: str) -> Any:
    """A condition compares text; a number stays a number only when the new id is one."""
    try:
        return values.coerce(old, new, "")
    except values.ValueRefused:
        return new


def _profile_assets(flow: Flow, conditions, profile, result: Plan) -> dict[str, str]:
    """Tenant assets for the template samples among the destination conditions."""
    wanted = {}
    entry = setting("asset")
    mine = channel_values(entry, profile, None)
    for condition in conditions:
        value = as_text(condition.value)
        if value in mine:
            continue
        if value not in placeholder_destinations():
            result.notes.append(f"start condition {condition.variable} {condition.operator} {value} is not an asset "
                                "in the profile; left as it is (use --asset-id to change it)")
            continue
        channel = condition_channel(flow, condition)
        candidates = channel_values(entry, profile, channel)
        if len(candidates) != 1:
            where = f"{channel} assets" if channel else "assets (and the channel it is for cannot be told)"
            listed = f" ({', '.join(candidates)})" if candidates else ""
            raise PlanError(f"start condition {condition.variable} {condition.operator} {value} is a template sample; "
                            f"the profile has {len(candidates)} {where}{listed}: pass --asset-id")
        wanted[value] = candidates[0]
    return wanted


# -- custom variables --------------------------------------------------------------------------

def _channel_variables(flow: Flow, settings: Settings, profile, result: Plan) -> None:
    given = dict(settings.channel)
    if profile is not None:
        for option in CHANNEL_VARIABLES:
            entry = setting(option)
            if option in given:
                continue
            if entry.scope == "channel":  # appid: the one asset of the flow's one channel
                value = _profile_app_id(flow, profile, result)
            else:
                value = flow_value(entry, profile, None)
            if value:
                given[option] = value
    for option, text in given.items():
        for name in CHANNEL_VARIABLES[option]:
            variable = flow.variable(name)
            if variable is None:
                continue
            result.applied.add(f"{option}:")
            values.check_variable(name, text)  # the format first: it says more than a type mismatch
            new = values.coerce(variable.value, text, f"custom variable {name}")
            result.add(Copy(variable.value_pointer, variable.value, "customVariables"), new,
                       f"custom variable {name}", setting=option)


def _profile_app_id(flow: Flow, profile, result: Plan) -> str | None:
    """The App ID for appid/appId: the tenant's one asset of the flow's channel."""
    if not any(flow.variable(n) for n in CHANNEL_VARIABLES["app_id"]):
        return None
    channels = flow_channels(flow)
    if len(channels) != 1:
        result.notes.append("appid left as it is: the flow's channel cannot be told; use --app-id")
        return None
    channel = channels.pop()
    assets = channel_values(setting("app_id"), profile, channel)
    if len(assets) != 1:
        result.notes.append(f"appid left as it is: the profile has {len(assets)} {channel} assets; use --app-id")
        return None
    return assets[0]


def _set_vars(flow: Flow, settings: Settings, result: Plan) -> None:
    for name, text in settings.set_vars:
        variable = flow.variable(name)
        if variable is None:
            import difflib  # only to word the refusal

            close = difflib.get_close_matches(name, [v.name for v in flow.custom_variables], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise PlanError(f"no custom variable {name!r} in this flow{hint}")
        values.check_variable(name, text)
        new = values.coerce(variable.value, text, f"custom variable {name}")
        result.add(Copy(variable.value_pointer, variable.value, "customVariables"), new, f"custom variable {name}",
                   setting="variables")


def _profile_variables(flow: Flow, settings: Settings, profile, path: str | None, result: Plan) -> None:
    """The profile's ``[variables]`` for this flow; ``--set-var`` wins, a flow without the variable is fine."""
    given = {name for name, _ in settings.set_vars}
    for name, text in flow_variables(profile, path).items():
        variable = flow.variable(name)
        if variable is None or name in given:
            continue
        values.check_variable(name, text)
        new = values.coerce(variable.value, text, f"custom variable {name}")
        result.add(Copy(variable.value_pointer, variable.value, "customVariables"), new,
                   f"custom variable {name} (profile variables)", setting="variables")


# -- prebuilt nodes ----------------------------------------------------------------------------

def _find_auth(auths: tuple[Auth, ...], keys: tuple[str, ...]) -> Auth | None:
    return by_node_keys(((a.key, a) for a in auths), keys)


def _auth_is_set(node: Node) -> bool:
    from connectflow.lint.checks._prebuilt import auth_is_set

    return all(auth_is_set(c.value) for c in copies.auth_copies(node, missing=True))


def _authorizations(flow: Flow, settings: Settings, profile, result: Plan) -> None:
    for node in flow.nodes_of("prebuiltnode"):
        keys = copies.node_keys(node)
        chosen = _find_auth(settings.auth, keys)
        if chosen is not None:
            result.applied.add(f"authorization:{chosen.key}")
        elif profile is not None:
            found = node_value(setting("authorization"), profile, keys)
            chosen = Auth("profile", as_text(found.id), found.name) if found else None
            if found is None and not _auth_is_set(node):
                listed = ", ".join(repr(k) for k in dict.fromkeys(keys) if k)
                result.notes.append(f"node {node.title!r} ({node.id}) has no authorization in the profile; "
                                    f"add one to [authorizations] under one of: {listed} (or \"default\")")
        if chosen is None:
            continue
        values.check_auth_id(chosen.id)
        reason = f"authorization of {node.title!r} ({node.id})"
        for target in copies.auth_copies(node):
            result.add(target, values.coerce(target.value, chosen.id, f"{target.store} of node {node.id}"), reason,
                       node, ("CF301",), "authorization")
        name = copies.auth_name_copy(node)
        if chosen.name and name is not None:
            result.add(name, values.coerce(name.value, chosen.name, f"authorization name of node {node.id}"),
                       f"{reason}: display name", node, setting="authorization")


def _node_setting(flow: Flow, entry: Setting, text: str | None, result: Plan) -> None:
    if text is None:
        return
    key = entry.key
    for node in copies.nodes_of_kind(flow, entry.node):
        found = copies.setting_copies(node, key)
        if not found:
            result.notes.append(f"node {node.title!r} ({node.id}) has no {key} setting; left as it is")
            continue
        result.applied.add(f"{entry.name}:")
        check(entry, text)
        for target in found:
            result.add(target, values.coerce(target.value, text, f"{key} ({target.store}) of node {node.id}"),
                       f"{node.title} {key} ({target.store})", node, setting=entry.name)


def _catalogue_values(flow: Flow, entry: Setting, given: str | None, profile, path: str | None,
                      result: Plan) -> None:
    """Every occurrence of a catalogue value of the entry's kinds (the SMS sample number in the
    Start extras, send and Receive nodes; a Screen Pop URL; ...) gets the tenant's value."""
    from connectflow.template_values import occurrences, replaced

    if given is None and profile is None:
        return  # no value to write (and nothing to tell): spare the walk over every value
    found = [o for o in occurrences(flow) if o.entry.kind in entry.kinds]
    if not found:
        if given is not None and given in json.dumps(flow.raw, ensure_ascii=False):
            result.applied.add(f"{entry.name}:")  # written before: re-running is a no-op
        return
    value = given if given is not None else _profile_value(entry, profile, path, result)
    if value is None:
        return
    result.applied.add(f"{entry.name}:")
    check(entry, value)
    for occurrence in found:
        result.add(Copy(occurrence.pointer, occurrence.stored, ""), replaced(occurrence.stored, occurrence.entry, value),
                   f"{entry.what} (was the template's {occurrence.entry.value})",
                   flow.nodes.get(occurrence.node_id) if occurrence.node_id else None, tuple(entry.rules), entry.name)


def _profile_value(entry: Setting, profile, path: str | None, result: Plan) -> str | None:
    """The profile's value for the entry, else the one value of its ``fallback`` list."""
    if profile is None:
        return None
    value = flow_value(entry, profile, path)
    if value:
        return as_text(value)
    listed = profile_key(profile, entry.fallback) if entry.fallback else None
    if listed is not None and len(listed) == 1:
        return listed[0]
    had = f"{len(listed)} {entry.fallback} and " if listed is not None else ""
    result.notes.append(f"{entry.what}: left as it is; the profile has {had}no {entry.profile} (use {entry.option})")
    return None


# -- --set POINTER=JSON ------------------------------------------------------------------------

def _sets(flow: Flow, settings: Settings, result: Plan) -> None:
    if not settings.sets:
        return
    document = expanded(flow.raw)  # decoded form: old values and JSONPath matches alike in both encodings
    for target, text in settings.sets:
        try:
            new = loads(text)
        except ValueError:
            new = text  # a bare word is a string: --set /x=abc
        pointers = _query(document, target) if target.startswith("$") else [target]
        for pointer in pointers:
            try:
                old = get(document, pointer)
            except (KeyError, ValueError):
                raise PlanError(f"--set: no value at {pointer} in this flow") from None
            values.check_type(old, new, pointer)
            _check_set_variable(flow, pointer, new)
            for item in copies.copies_at(flow, pointer) or [Copy(pointer, old, "")]:
                same_kind = values.kind(item.value) == values.kind(new)
                value = new if same_kind else values.coerce(item.value, as_text(new), item.pointer)
                result.add(item, value, f"--set {target}" + (f" ({item.store})" if item.store else ""))


def _query(document: Any, expression: str) -> list[str]:
    from jsonpath_ng.exceptions import JsonPathParserError
    from jsonpath_ng.ext import parse

    try:
        matches = parse(expression).find(document)
    except (JsonPathParserError, Exception) as err:
        raise PlanError(f"--set: invalid JSONPath {expression!r}: {err}") from None
    if not matches:
        raise PlanError(f"--set: {expression} matches nothing in this flow")
    try:
        return [pointer_of(m) for m in matches]
    except ValueError as err:
        raise PlanError(f"--set: {expression}: {err}") from None


def _check_set_variable(flow: Flow, pointer: str, new: Any) -> None:
    for variable in flow.custom_variables:
        if variable.value_pointer == pointer:
            values.check_variable(variable.name, new)
