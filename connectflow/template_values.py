"""Where a flow still holds a value of the template catalogue (``catalogue.template_values``).

The ``catalogue_value`` locator of the settings table: every scalar of the flow, at any
depth and through JSON stored in strings (logical pointers, so both encodings give the
same result), that is a catalogue value or holds one as a token ("+447418369300", a URL).
``$(...)`` references and the editor's bookkeeping (``dynamic_output_vars``,
``copy_used_vars``) are not values. Copies that a setting with its own rule owns (start
conditions on a destination or left over, channel custom variables, queue and flow ids) are left to
that rule, so one value is reported once. Shared by CF230 and patch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from connectflow.catalogue import TemplateValue, catalogue, is_destination_variable, template_values
from connectflow.load.locate import join
from connectflow.model import _JSON_START, Flow, as_text

NOISE_KEYS = frozenset({"dynamic_output_vars", "copy_used_vars"})
REFERENCE = re.compile(r"\$\([^()]*\)")
_WORD = "A-Za-z0-9_"


@dataclass(frozen=True)
class Occurrence:
    pointer: str
    stored: Any           # the scalar as the flow holds it (decoded)
    entry: TemplateValue
    node_id: str | None


@cache
def _matchers() -> tuple[dict[str, TemplateValue], re.Pattern | None, dict[str, TemplateValue]]:
    exact = {t.value: t for t in template_values() if t.match in ("exact", "token")}
    tokens = sorted((t.value for t in template_values() if t.match == "token"), key=len, reverse=True)
    pattern = re.compile(rf"(?<![{_WORD}])(?:{'|'.join(map(re.escape, tokens))})(?![{_WORD}])") if tokens else None
    auth_names = {t.value: t for t in template_values() if t.match == "auth_name"}
    return exact, pattern, auth_names


def match(stored: Any) -> TemplateValue | None:
    """The catalogue entry ``stored`` is or holds (outside ``$(...)``), else None."""
    if isinstance(stored, (dict, list)) or stored is None or isinstance(stored, bool):
        return None
    exact, pattern, _ = _matchers()
    # as_text would give it back as it is: not JSON, or digits only (an integer is spelt back
    # alike; "0123" and integers over the decoder's bound stay strings)
    plain = isinstance(stored, str) and (stored[:1] not in _JSON_START or stored.isdigit() and stored.isascii())
    text = stored if plain else as_text(stored)
    if text in exact:
        return exact[text]
    if not isinstance(stored, str) or pattern is None:
        return None
    found = pattern.search(REFERENCE.sub("\0", text) if "$(" in text else text)
    return exact[found.group(0)] if found else None


def owned_pointers(flow: Flow) -> set[str]:
    """Copies judged and written by a setting with its own rule (CF101/CF103, CF21x), and the
    leftover conditions of a Start whose conditions are off (CF104 reports them)."""
    owned = set()
    if flow.trigger is not None:
        owned |= {c.value_pointer for c in flow.trigger.all_copies
                  if is_destination_variable(c.variable) or not flow.trigger.conditions_enabled}
    owned |= {v.value_pointer for v in flow.custom_variables if v.name in catalogue()["channel_defaults"]}
    return owned


def owned_in_nodes(flow: Flow) -> set[tuple[str, str]]:
    """(node id, kind): a Queue Task's queue ids, a Resolve Conversation's flow ids (CF501/CF502)."""
    from connectflow import copies
    from connectflow.settings import by_locator

    return {(node.id, kind) for entry in by_locator("node_setting")
            for node in copies.nodes_of_kind(flow, entry.node) for kind in entry.kinds}


def _scalars(document: Any, found: list[tuple[str, Any, TemplateValue]]) -> None:
    """Append (pointer, scalar, entry) for every scalar under ``document`` (a dict or list) that
    ``match``es, in document order, through JSON objects and arrays stored in strings (as
    ``patch.document.expand`` sees them). The walk is ``value_walk``'s, which lint shares with
    the credential search."""
    from connectflow.value_walk import walk_values

    found.extend(walk_values(document, templates=True).matched)


def _other(key, item: Any, path: list, found: list, descend, holds) -> None:
    """``_scalars`` for a float, or a value of a type JSON does not make (a subclass)."""
    if key in NOISE_KEYS:
        return
    if isinstance(item, str):
        found.extend((join(*path, key) + pointer, scalar, entry) for pointer, scalar, entry in holds(item))
    elif isinstance(item, (dict, list)):
        path.append(key)
        descend(item, path, found)
        path.pop()
    else:
        entry = _matchers()[0].get(str(item)) if isinstance(item, (int, float)) else match(item)  # as_text of a number
        if entry is not None:
            found.append((join(*path, key), item, entry))


@cache
def _number_entries() -> dict[int, TemplateValue]:
    """The exact and token entries an integer matches: those spelt as ``str`` spells an int."""
    numbers = {}
    for value, entry in _matchers()[0].items():
        try:
            number = int(value)
        except ValueError:
            continue
        if str(number) == value:  # not "007", "1_000" or " 5": str() never gives them back
            numbers[number] = entry
    return numbers


def _node_of(flow: Flow) -> dict[str, str]:
    return {node.pointer: node.id for node in flow.nodes.values()}


def occurrences(flow: Flow, document: dict[str, Any] | None = None,
                matched: list[tuple[str, Any, TemplateValue]] | None = None) -> list[Occurrence]:
    """Every catalogue value in ``flow`` outside the owned copies, in document order.
    ``document``: the flow's ``decoded_document`` when the caller has it already; ``matched``:
    its ``_scalars`` when the caller has walked it already (lint's ``Context.values``).

    Authorization names count only as a node's authorization display name."""
    from connectflow import copies
    from connectflow.model import decoded_document

    owned, in_nodes, nodes = owned_pointers(flow), owned_in_nodes(flow), _node_of(flow)
    if matched is None:
        matched = []
        _scalars(document if document is not None else decoded_document(flow.raw), matched)
    found = []
    for pointer, stored, entry in matched:
        if pointer in owned:
            continue
        node_id = nodes.get("/".join(pointer.split("/")[:3]))
        if node_id is None and "/start_node_info/" in pointer and flow.start is not None:
            node_id = flow.start.id
        if (node_id, entry.kind) not in in_nodes:
            found.append(Occurrence(pointer, stored, entry, node_id))
    auth_names = _matchers()[2]
    for node in flow.nodes_of("prebuiltnode"):
        name = copies.auth_name_copy(node)
        if name is not None and as_text(name.value) in auth_names:
            found.append(Occurrence(name.pointer, name.value, auth_names[as_text(name.value)], node.id))
    return found


def first_of_each_setting(flow: Flow, found: list[Occurrence]) -> list[tuple[Occurrence, int]]:
    """One occurrence per setting (its copies, ``copies.copies_at``) and value, with the number
    of copies it stands for: a value written into all copies of a setting is one mistake."""
    from collections import Counter

    from connectflow.copies import CopyFinder

    copies_at = CopyFinder(flow).at
    seen: set[tuple[str, str]] = set()
    count = Counter((o.pointer, o.entry.value) for o in found)
    kept = []
    for occurrence in found:
        # A copy of one kept already: its group holds it (every group holds the pointer it was
        # found from), so listing the group again could only lead to the `continue` below.
        if (occurrence.pointer, occurrence.entry.value) in seen:
            continue
        group = [c.pointer for c in copies_at(occurrence.pointer)] or [occurrence.pointer]
        if any((p, occurrence.entry.value) in seen for p in group):
            continue
        seen |= {(p, occurrence.entry.value) for p in group}
        kept.append((occurrence, sum(count[(p, occurrence.entry.value)] for p in set(group))))
    return kept


def replaced(stored: Any, entry: TemplateValue, new: str) -> Any:
    """``stored`` with the catalogue value replaced by ``new`` (a number stays a number)."""
    from connectflow.patch import values

    if isinstance(stored, str) and as_text(stored) != entry.value:
        return re.sub(rf"(?<![{_WORD}]){re.escape(entry.value)}(?![{_WORD}])", lambda _m: new, stored)
    return values.coerce(stored, new, f"the template value {entry.value}")
