"""Rewrite the destination conditions of a Start node: one condition per asset, or only one asset's.

A webhook template filters on one sample destination per media channel (OR'ed
``equals`` conditions). For a tenant with several assets of a channel the flow needs one
condition per asset (``expand``), and a per-asset copy needs only its own asset's
condition (``keep_only``). Either way the three stored copies of the conditions
(``start_node_info.conditions``, Start params ``apiReqConditions`` and ``conditions``) are
rewritten together, each as one list value, so ``apply`` and ``verify`` treat the list
like any other patched value. How the editor joins several conditions was never captured:
the lists follow the samples' convention (README "Known gaps"): brackets ``((`` ... ``))``
and ``"conjunction": "OR"`` on every condition but the last.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any, Callable

from connectflow.catalogue import is_destination_variable
from connectflow.load.locate import child
from connectflow.model import Flow, as_text
from connectflow.patch import values
from connectflow.patch.document import expanded, get
from connectflow.patch.plan import Patch

Choose = Callable[[str], list[str] | None]  # destination value -> new values ([] drops it; None keeps it)

FLAT_KEYS = ("varname", "opr")
UI_KEYS = ("variable", "operator")


def _new_value(old: Any, new: str) -> Any:
    try:
        return values.coerce(old, new, "")
    except values.ValueRefused:
        return new


def _index(old: Any, value: str) -> str:
    digest = hashlib.sha256(f"{old}|{value}".encode()).hexdigest()
    return "".join(chr(ord("a") + int(c, 16) % 26) if i % 2 else c for i, c in enumerate(digest[:8]))


def _rewrite(items: list, keys: tuple[str, str], choose: Choose, ui: bool) -> list:
    out, grown = [], False
    for item in items:
        variable = item.get(keys[0]) if isinstance(item, dict) else None
        if not isinstance(variable, str) or not is_destination_variable(variable) or item.get(keys[1]) != "equals":
            out.append(item)
            continue
        chosen = choose(as_text(item.get("value")))
        if chosen is None:
            out.append(item)
            continue
        for n, value in enumerate(chosen):
            twin = copy.deepcopy(item)
            twin["value"] = _new_value(item.get("value"), value)
            if ui and n and "index" in twin:
                twin["index"] = _index(item["index"], value)
            out.append(twin)
        grown = grown or len(chosen) > 1
    _join(out, flat=not ui, grown=grown)
    return out


def _join(items: list, flat: bool, grown: bool) -> None:
    conditions = [i for i in items if isinstance(i, dict)]
    for n, item in enumerate(conditions):
        last = n == len(conditions) - 1
        if len(conditions) == 1:
            item.pop("conjunction", None)
        elif last:
            item["conjunction"] = ""
        elif grown or not item.get("conjunction"):
            item["conjunction"] = item.get("conjunction") or "OR"
        if flat and "startag" in item:
            item["startag"] = "((" if n == 0 else "("
            item["endtag"] = "))" if last else ")"


def rewrite(flow: Flow, choose: Choose, reason: str) -> list[Patch]:
    """Patches that rewrite every stored copy of the Start node's destination conditions."""
    trigger, start = flow.trigger, flow.start
    if trigger is None:
        return []
    document = expanded(flow.raw)
    targets = []
    if trigger.info_conditions is not None:
        targets.append((child(trigger.pointer, "conditions"), FLAT_KEYS, False, "start_node_info"))
    if start is not None:
        for name, keys, ui in (("apiReqConditions", FLAT_KEYS, False), ("conditions", UI_KEYS, True)):
            param = start.param(name)
            if param is not None:
                targets.append((param.text_pointer, keys, ui, name))
    patches = []
    for pointer, keys, ui, store in targets:
        try:
            old = get(document, pointer)
        except KeyError:
            continue
        if not isinstance(old, list):
            continue
        if ui:
            new = [{**group, "conditions": _rewrite(group["conditions"], keys, choose, True)}
                   if isinstance(group, dict) and isinstance(group.get("conditions"), list) else group
                   for group in old]
        else:
            new = _rewrite(old, keys, choose, False)
        if new != old:
            patches.append(Patch(pointer, old, new, f"{reason} ({store})", start.id if start else None, ("CF101",),
                                 "asset"))
    return patches


def destination_variables_in(conditions: Any) -> list[str]:
    """The destination variables a stored conditions list (either form) filters on, in order."""
    found: list[str] = []
    for item in conditions if isinstance(conditions, list) else []:
        if isinstance(item, dict) and isinstance(item.get("conditions"), list):  # the UI form's groups
            found += destination_variables_in(item["conditions"])
            continue
        variable = item.get(FLAT_KEYS[0], item.get(UI_KEYS[0])) if isinstance(item, dict) else None
        if isinstance(variable, str) and is_destination_variable(variable):
            found.append(variable)
    return list(dict.fromkeys(found))


def expand_for_profile(flow: Flow, profile, webcallback_closed: bool = False) -> list[Patch]:
    """One OR'ed condition per tenant asset where a template sample destination stands for a
    channel with several assets (Cisco's README: a condition per asset). A CLOSED flow
    leaves out, or keeps only, the Live Chat assets served by WebCallback CLOSED."""
    from connectflow.catalogue import placeholder_channel, placeholder_destinations
    from connectflow.patch.channels import condition_channel

    trigger = flow.trigger
    if trigger is None or not trigger.is_event_flow:
        return []
    closed = trigger.event_name.upper() == "CLOSED"
    wanted: dict[str, list[str]] = {}
    for condition in trigger.effective_conditions:
        value = as_text(condition.value)
        if not is_destination_variable(condition.variable) or value not in placeholder_destinations():
            continue
        channel = placeholder_channel(value) or condition_channel(flow, condition)
        assets = profile.assets.entries(channel) if channel else []
        if closed and channel == "livechat":
            assets = [a for a in assets if a.webcallback == webcallback_closed]
        if assets and len(profile.assets.entries(channel)) > 1:  # one asset: the plan writes it
            wanted[value] = [a.id for a in assets]
    if not wanted:
        return []
    return rewrite(flow, wanted.get, "start conditions: one per tenant asset")
