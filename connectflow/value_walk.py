"""One walk over every value of a decoded flow, for the two things asked of all of them.

Lint masks the flow's credentials in what it prints (``redact``) and reports the values of
Cisco's template left in it (``template_values``, CF230). Both questions need every value: a
10 MB flow holds some 250,000, and a Python pass over them costs about what parsing the file
costs. One walk answers both; asked alone, each is the same walk with the other side left out.

Each distinct string is judged once per side and remembered (a flow repeats a few thousand
strings a hundred times over): a string that concerns neither side is skipped at one set
test. The credential side collects every object (their keys are judged after the walk, once
each) and looks at an object as a row or a param when it holds a credential-like name. The
template side marks the containers that hold a match; a second pass (``_spell``) follows the
keys into the marked ones only and spells a pointer for each match, in document order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connectflow import redact, template_values
from connectflow.load.decode import loads
from connectflow.load.locate import join


@dataclass
class Walked:
    secrets: set[str] | None  # redact.secrets_in's answer (None: not asked)
    matched: list[tuple[str, Any, Any]] | None  # template_values._scalars' (pointer, scalar, entry)


def walk_values(document: Any, secrets: bool = False, templates: bool = False) -> Walked:
    """Credential values (``secrets``) and template values (``templates``) of ``document``,
    in one walk. ``templates`` needs a dict or a list; the credential side takes any value."""
    # Credentials (see redact.secrets_in for what counts).
    found: set[str] = set()
    objects: list[dict] = []   # every object met, for their keys
    s_plain: set[str] = set()  # strings that hold no secret and name no credential
    naming: set[str] = set()   # strings that name a credential (a row's or a param's label)
    # Template values (see template_values._scalars).
    numbers = template_values._number_entries()
    t_plain: set[str] = set()  # strings that are no template value and hold none (nearly all)
    held: dict[str, tuple] = {}  # the others: (pointer inside, scalar, entry) for each match
    marked: set[int] = set()   # ids of the containers that hold a match, or may (a float, an odd type)
    neither: set[str] = set()  # strings plain for both sides: skipped at once when both are asked

    def visit(item, parent, s: bool, t: bool, skip: set) -> bool:
        """Walk ``item`` for the sides asked (``s``, ``t``); ``skip``: the strings that concern
        none of them. True when the template side finds a match under ``item``."""
        hit = False
        if type(item) is dict or isinstance(item, dict):
            if s:
                objects.append(item)
            children = item.values()
        elif t or isinstance(item, list):  # the template side is given containers only
            children = item
        else:
            return False
        for child in children:
            kind = type(child)
            if kind is str:
                if child in skip:
                    continue
                if s:
                    if child not in s_plain and child not in naming:
                        first_sight(child)
                    if child in naming:
                        labelled(item, parent)
                if t:
                    if child in held:
                        hit = True
                    elif child not in t_plain:
                        inside = holds(child)
                        if inside:
                            held[child] = inside
                            hit = True
                        else:
                            t_plain.add(child)
                if s and t and child in s_plain and child in t_plain:
                    neither.add(child)
            elif kind is dict or kind is list:
                if visit(child, item, s, t, skip) and t:
                    marked.add(id(child))
                    hit = True
            elif kind is int:
                if t and child in numbers:
                    hit = True
            elif kind is bool or child is None:
                continue
            elif kind is float:
                hit = hit or t  # left to _spell's _other
            else:  # a type JSON does not make (a subclass): each side as its plain walk takes it
                hit = hit or t
                if s and isinstance(child, str):
                    first_sight(child)
                    if child in naming:
                        labelled(item, parent)
                elif s:
                    visit(child, item, True, False, s_plain)
        return hit

    def first_sight(text: str) -> None:
        decoded = False
        if text[:1] in ("{", "["):
            try:
                inner = loads(text)
            except ValueError:
                pass
            else:
                decoded = True
                visit(inner, None, True, False, s_plain)
        if not decoded and ("=" in text or ":" in text) and redact._HEADER_WORD.search(text):  # most: no pattern run
            found.update(m.group("value") for m in redact._HEADER.finditer(text)
                         if redact._HEADER_WORD.search(m.group("key")) and redact.is_secret_key(m.group("key")))
        (naming if redact._NAME_HINT.search(text.lower()) and redact.is_secret_key(text) else s_plain).add(text)

    def labelled(item, parent) -> None:
        """``item`` holds a credential-like string: it may be a row, and ``parent`` a node param."""
        if isinstance(item, dict):
            if isinstance(item.get("value"), (str, int)) \
                    and redact.is_secret_key(item.get("name", item.get("key", item.get("header")))):
                found.add(str(item["value"]))
        if isinstance(parent, dict):  # a node param: {"attributes": {"name": ...}, "text": ...}
            attributes = parent.get("attributes")
            if isinstance(attributes, dict) and redact.is_secret_key(attributes.get("name")) \
                    and isinstance(parent.get("text"), str) and parent["text"][:1] not in ("{", "["):
                found.add(parent["text"])

    def holds(text: str) -> tuple:
        """(pointer inside ``text``, scalar, entry) for each match: "" for the string itself."""
        if text[:1] in ("{", "["):
            try:
                inner = loads(text)
            except ValueError:
                inner = None  # not JSON: a string like any other
            if isinstance(inner, (dict, list)):  # walked like the container it holds
                inside: list = []
                descend(inner, [], inside)
                return tuple(inside)
        entry = template_values.match(text)
        return (("", text, entry),) if entry is not None else ()

    def descend(value, path: list, into: list) -> None:
        if visit(value, None, False, True, t_plain):
            _spell(value, path, into, t_plain, held, marked, numbers, descend, holds)

    matched: list | None = None
    if secrets and templates:
        if visit(document, None, True, True, neither):
            matched = []
            _spell(document, [], matched, t_plain, held, marked, numbers, descend, holds)
        matched = matched or []
    elif secrets:
        visit([document], None, True, False, s_plain)  # the document as a child: a string is looked at as any other
    elif templates:
        matched = []
        descend(document, [], matched)
    # The nested functions refer to each other through their cells: a cycle that would keep
    # ``objects`` (every object of the document) alive until the collector's next pass.
    visit = first_sight = labelled = holds = descend = None
    return Walked(_credentials(found, objects) if secrets else None, matched)


def _spell(value, path: list, found: list, plain: set, held: dict, marked: set, numbers: dict, descend, holds) -> None:
    """The template side's second pass: a pointer for each match, into the marked containers only."""
    noise = template_values.NOISE_KEYS
    items = value.items() if type(value) is dict or isinstance(value, dict) else enumerate(value)
    for key, item in items:
        kind = type(item)
        if kind is str:
            if item in plain or key in noise:
                continue
            at = join(*path, key)
            found.extend((at + pointer, scalar, entry) for pointer, scalar, entry in held[item])
        elif kind is dict or kind is list:
            if id(item) in marked and key not in noise:
                path.append(key)
                _spell(item, path, found, plain, held, marked, numbers, descend, holds)
                path.pop()
        elif kind is int:
            if item in numbers and key not in noise:  # exact.get(str(item)), without spelling it
                found.append((join(*path, key), item, numbers[item]))
        elif kind is not bool and item is not None:
            template_values._other(key, item, path, found, descend, holds)


def _credentials(found: set[str], objects: list[dict]) -> set[str]:
    """The walk's credential values, with those of credential-like keys (judged once each)."""
    secret_keys = {key for key in set().union(*objects) if redact.is_secret_key(key)}
    for item in objects if secret_keys else ():
        for key in secret_keys.intersection(item):
            child = item[key]
            if isinstance(child, (str, int)) and not isinstance(child, bool):
                found.add(str(child))
    return {value for value in found if len(value) >= 4 and not value.startswith(redact.MASK)}
