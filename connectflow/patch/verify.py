"""Check a patched text before anything is written.

1. It parses, and is still a flow.
2. Compared in the decoded form, it differs from the original in exactly the
   planned values (DeepDiff lists nothing else, and every planned value reads
   back as planned) — this catches a splice in the wrong place.
3. Re-linted with the built-in rules, the findings the patches were meant to
   fix are gone, and no new finding (warning or error) sits on a patched value —
   lint's own checks refuse a bad value even where ``values`` has no check yet.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

from connectflow.load import LoadError, Source, load_bytes
from connectflow.load.decode import loads
from connectflow.load.locate import join, resolve_all, split
from connectflow.patch.document import expand, expanded, expanded_part, get
from connectflow.patch.plan import Patch, same

BOM = "\ufeff"


class VerifyError(Exception):
    """The patched flow failed a check; ``str()`` is one line. Nothing was written."""


@dataclass(frozen=True)
class Change:
    pointer: str
    old: Any
    new: Any


def verify(before: Source, text: str, patches: list[Patch], registry=None, profile=None,
           splice=None) -> list[Change]:
    """The semantic changes of ``text`` against ``before``; raises VerifyError (see ``verified``)."""
    return verified(before, text, patches, registry, profile, splice)[0]


def verified(before: Source, text: str, patches: list[Patch], registry=None, profile=None,
             splice=None) -> tuple[list[Change], Source, list[tuple] | None]:
    """``(changes, patched Source, parts)``: the semantic changes of ``text`` against ``before``,
    the patched flow as read, and the parts that can differ (``derived``; None: any). Raises VerifyError.

    ``splice`` (``apply.splice_of``'s, when ``text`` was made from ``before.text``) lets the
    patched flow be read part by part (``derived``); without it, or when that cannot be done, it
    is parsed and compared whole. With a splice, ``before.text`` may be None (not held): it is
    then ``splice.original(text)``, made again only if needed."""
    derived_parts = derived(before, text, splice.edits, splice.spans) if splice and splice.edits else None
    if before.text is None:
        restored = before

        def original() -> Source:
            return replace(restored, text=splice.original(text))
        if derived_parts is None:
            before = original()
    else:
        original = None
    changed = None
    if derived_parts is not None:
        after, changed = derived_parts
        parts = _Parts(before, after)
        changes = parts.changes_in(changed)
    else:
        try:
            after = load_bytes(before.path, ((BOM if before.bom else "") + text).encode("utf-8"))
        except LoadError as err:
            raise VerifyError(f"the patched flow does not parse ({err.problem})") from None
        parts = _Parts(before, after)
        changes = parts.changes()
    _exactly_planned(changes, patches, parts)
    if registry is not None:
        relint(original if before.text is None else before, after, patches, registry, profile)
    return changes, after, changed


def secrets_of(before: Source, after: Source, changed: list[tuple] | None) -> frozenset[str]:
    """``redact.secrets_in`` of both documents, as ``patch --diff`` masks them, walking the parts
    both share once: what the original has beyond the patched flow can only be in the parts that
    differ (and the top-level values, walked with them)."""
    from connectflow.redact import secrets_in

    if changed is None:
        return frozenset(secrets_in(before.data) | secrets_in(after.data))
    cells = before.data["cells"]
    differing = dict(before.data, cells=[cells[part[1]] for part in changed if part[0] == "cells"])
    return frozenset(secrets_in(differing) | secrets_in(after.data))


def derived(before: Source, text: str, edits, spans) -> tuple[Source, list[tuple]] | None:
    """The patched flow as ``load_bytes`` would read it, reading only the parts the edits are in.

    Text outside the edited parts (cells, top-level values) is ``before``'s, byte for byte, so it
    parses to the same values: the patched document shares them with ``before.data`` and parses
    only the edited parts again, each at its depth, with the decoder's bounds. The edits' offsets
    say which parts those are (not the patches' pointers: an edit in a wrong place still shows as
    a change). Returns ``(source, [part])``, a part ``("cells", 3)`` or ``("key",)``, or None when
    the whole text must be parsed: an edit outside the parts found, a part that is the whole
    ``cells`` list, or text that does not read back (the whole parse then words the problem)."""
    data, cells = before.data, before.data.get("cells")
    found = []  # (start, end, part) in before.text
    for pointer, span in spans.items():
        segments = split(pointer)
        if span is None or not segments or segments == ["cells"]:
            return None
        if segments[0] == "cells":
            if len(segments) != 2 or not segments[1].isdigit() or int(segments[1]) >= len(cells):
                return None
            found.append((span.start, span.end, ("cells", int(segments[1]))))
        elif len(segments) == 1 and segments[0] in data:
            found.append((span.start, span.end, (segments[0],)))
        else:
            return None
    found.sort()
    if any(a[1] > b[0] for a, b in zip(found, found[1:])):
        return None
    document, new_cells = dict(data), list(cells)
    shift, i = 0, 0  # shift: how much longer the text before the current place has become
    changed = []
    for start, end, part in found:
        if i < len(edits) and edits[i].start < start:  # an edit outside every part
            return None
        first = shift
        while i < len(edits) and edits[i].start >= start and edits[i].end <= end:
            shift += len(edits[i].replacement) - (edits[i].end - edits[i].start)
            i += 1
        try:
            value = loads(text[start + first:end + shift], len(part))
        except (ValueError, RecursionError):
            return None
        if part[0] == "cells":
            new_cells[part[1]] = value
        else:
            document[part[0]] = value
        changed.append(part)
    if i != len(edits):  # an edit outside every part
        return None
    try:
        for edit in edits:  # what load_bytes is given is UTF-8: a lone surrogate is its error
            edit.replacement.encode("utf-8")
    except UnicodeEncodeError:
        return None
    document["cells"] = new_cells
    return Source(before.path, text, document, before.format, before.bom), changed


def semantic_changes(old: dict, new: dict) -> list[Change]:
    """Every changed value between two flow documents already in the expanded form
    (``document.expanded``), where both value encodings read alike."""
    found = []
    for prefix, before, after in _differing_parts(old, new):
        found += _deepdiff(prefix, before, after)
    return _in_order(found)


def _deepdiff(prefix: list, before: Any, after: Any) -> list[Change]:
    """What DeepDiff finds between two values (its tree view, as Changes at their pointers)."""
    plain = _plain_changes(prefix, before, after)
    return plain if plain is not None else _by_deepdiff(prefix, before, after)


_SCALARS = (str, int, float, bool, type(None))


def _plain_changes(prefix: list, before: Any, after: Any) -> list[Change] | None:
    """DeepDiff's answer for the common case, without DeepDiff (importing it alone costs a patch
    of a large flow a tenth of its memory): two values alike in shape that differ only in some
    values. DeepDiff reports a value of another type, or another value of the same type, at its
    path; this walk does too. It gives up (None) wherever DeepDiff has rules of its own: keys
    added or removed, lists of other lengths, lists of plain values that differ (DeepDiff aligns
    those as difflib does), keys starting with ``__`` (which DeepDiff leaves out)."""
    found = []
    stack = [(prefix, before, after)]
    while stack:
        path, old, new = stack.pop()
        if old is new:
            continue
        if type(old) is not type(new):
            found.append(Change(join(*path), old, new))
        elif isinstance(old, dict):
            if old.keys() != new.keys() or any(key.startswith("__") for key in old):
                return None
            stack.extend(([*path, key], value, new[key]) for key, value in old.items())
        elif isinstance(old, list):
            if len(old) != len(new):
                return None
            if all(isinstance(item, _SCALARS) for item in old) and all(isinstance(item, _SCALARS) for item in new):
                if any(type(a) is not type(b) or a != b for a, b in zip(old, new)):
                    return None
                continue
            stack.extend(([*path, index], value, new[index]) for index, value in enumerate(old))
        elif not isinstance(old, _SCALARS):
            return None
        elif old != new:
            found.append(Change(join(*path), old, new))
    return found


def _by_deepdiff(prefix: list, before: Any, after: Any) -> list[Change]:
    from deepdiff import DeepDiff
    from deepdiff.helper import notpresent

    return [Change(join(*prefix, *level.path(output_format="list")),
                   None if level.t1 is notpresent else level.t1, None if level.t2 is notpresent else level.t2)
            for levels in DeepDiff(before, after, view="tree").values() for level in levels]


def _list_deepdiff(prefix: list, before: Any, after: Any) -> list[Change]:
    """``_deepdiff``, item by item for two lists of one length (``customVariables``): DeepDiff
    walks only the items that differ (20,000 variables took it 20 s and 250 MiB)."""
    if not (isinstance(before, list) and isinstance(after, list) and len(before) == len(after)):
        return _deepdiff(prefix, before, after)
    return [change for index, (a, b) in enumerate(zip(before, after)) if not _identical(a, b)
            for change in _deepdiff([*prefix, index], a, b)]


def _in_order(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: [(0, int(s), "") if s.isdigit() else (1, 0, s) for s in split(c.pointer)])


class _Parts:
    """The two documents compared part by part (top-level values, cells): a part whose text is
    the same in both files holds the same values, so only the parts whose text differs are
    expanded and walked by DeepDiff (the whole of a large flow would take seconds)."""

    def __init__(self, before: Source, after: Source):
        self.before, self.after = before, after
        self._expanded: dict[tuple, Any] = {}

    def changes(self) -> list[Change]:
        old, new = self.before.data, self.after.data
        cells_a, cells_b = old.get("cells"), new.get("cells")
        if old.keys() != new.keys() or not (isinstance(cells_a, list) and isinstance(cells_b, list)
                                            and len(cells_a) == len(cells_b)):
            return semantic_changes(expanded(old), expanded(new))
        found = []
        for key in old:
            if key != "cells":
                if not _identical(old[key], new[key]):
                    found += _list_deepdiff([key], expanded_part(old, key), self.expanded((key,)))
                continue
            pointers = [f"/cells/{i}" for i in range(len(cells_a))]
            spans_a = resolve_all(self.before.text, pointers)
            spans_b = resolve_all(self.after.text, pointers)
            for i, pointer in enumerate(pointers):
                a, b = spans_a[pointer].span, spans_b[pointer].span
                if self.before.text[a.start:a.end] != self.after.text[b.start:b.end]:
                    found += _deepdiff(["cells", i], expanded_part(old, "cells", i), self.expanded(("cells", i)))
        return _in_order(found)

    def changes_in(self, changed: list[tuple]) -> list[Change]:
        """``changes`` when only the parts ``changed`` can differ (``derived``): the others are
        the same objects in both documents."""
        old, new = self.before.data, self.after.data
        found = []
        for part in changed:
            if part[0] == "cells":
                found += _deepdiff(list(part), expanded_part(old, *part), self.expanded(part))
            elif not _identical(old[part[0]], new[part[0]]):
                found += _list_deepdiff([part[0]], expanded_part(old, part[0]), self.expanded(part))
        return _in_order(found)

    def expanded(self, part: tuple) -> Any:
        """The expanded form of a part of the patched document (each part expanded once)."""
        if part not in self._expanded:
            self._expanded[part] = expanded_part(self.after.data, *part)
        return self._expanded[part]

    def get(self, pointer: str) -> Any:
        """``document.get(expanded(after), pointer)``, expanding only the part it is in."""
        segments = split(pointer)
        data = self.after.data
        if len(segments) >= 2 and segments[0] == "cells" and isinstance(data.get("cells"), list) \
                and segments[1].isdigit() and int(segments[1]) < len(data["cells"]):
            return get(self.expanded(("cells", int(segments[1]))), join(*segments[2:]))
        if segments and segments[0] in data:
            return get(self.expanded((segments[0],)), join(*segments[1:]))
        raise KeyError(pointer)


def _identical(a: Any, b: Any) -> bool:
    # == alone takes 1 == 1.0 == True; the JSON text tells them apart.
    return a == b and json.dumps(a) == json.dumps(b)


def _differing_parts(old: dict, new: dict):
    """(path, old, new) of the top-level values and cells that differ: DeepDiff then
    walks only those (a whole large flow takes it a second; one cell, milliseconds)."""
    cells_a, cells_b = old.get("cells"), new.get("cells")
    if old.keys() != new.keys() or not (isinstance(cells_a, list) and isinstance(cells_b, list)
                                        and len(cells_a) == len(cells_b)):
        yield [], old, new
        return
    for key in old:
        if key == "cells":
            yield from ((["cells", i], a, b) for i, (a, b) in enumerate(zip(cells_a, cells_b))
                        if not _identical(a, b))
        elif not _identical(old[key], new[key]):
            yield [key], old[key], new[key]


def _within(pointer: str, planned: str) -> bool:
    return pointer == planned or pointer.startswith(planned + "/")


def _exactly_planned(changes: list[Change], patches: list[Patch], parts: "_Parts") -> None:
    for change in changes:
        if not any(_within(change.pointer, p.pointer) for p in patches):
            raise VerifyError(f"unplanned change at {change.pointer}")
    for patch in patches:
        try:
            got = parts.get(patch.pointer)
        except KeyError:
            raise VerifyError(f"{patch.pointer} is missing after the patch") from None
        if not same(got, expand(patch.new)):
            raise VerifyError(f"{patch.pointer} reads {got!r} after the patch, not {patch.new!r}")
        if not any(_within(c.pointer, patch.pointer) for c in changes):
            raise VerifyError(f"{patch.pointer} did not change")


# A finding on a whole cell says nothing about one value in it.
_TOO_WIDE = re.compile(r"^(/cells/\d+(/value)?)?$")


def _related(finding_pointer: str, patched: list[str]) -> bool:
    return any(finding_pointer == p or finding_pointer.startswith(p + "/")
               or (p.startswith(finding_pointer + "/") and not _TOO_WIDE.match(finding_pointer))
               for p in patched)


def relint(before, after: Source, patches: list[Patch], registry, profile=None) -> None:
    """Lint the patched flow; only when a finding sits on a patched value (or on the whole node,
    for a rule the patch fixes) is the original linted too, with just those findings' rules, to
    tell a finding the patch did not fix or a value lint refuses from one that was there before.
    ``before``: the original's Source, or a function that makes it (called only then)."""
    from connectflow.lint import Selection, Severity, lint_source

    patched = [p.pointer for p in patches]
    fixes = {(p.node_id, rule) for p in patches for rule in p.fixes}

    def concerned(f) -> bool:
        return _related(f.pointer, patched) or ((f.node_id, f.rule) in fixes and _TOO_WIDE.match(f.pointer))

    new = [f for f in lint_source(after, list(registry), Selection(), profile, locate=False) if concerned(f)]
    if not new:
        return
    places = after.locate_all(f.pointer for f in new)
    new = sorted((f.with_location(*(places[f.pointer] or (None, None))) for f in new), key=lambda f: f.sort_key)
    rules = [r for r in registry if r.id in {f.rule for f in new}]
    if callable(before):
        before = before()
    old = lint_source(before, rules, Selection(), profile, locate=False)
    # What a patch is for: findings on a patched value, or on the whole node for a rule the patch fixes.
    targeted = {(f.rule, f.pointer) for f in old if concerned(f)}
    had = {(f.rule, f.pointer) for f in old}
    for finding in new:
        key = (finding.rule, finding.pointer)
        if key in targeted:
            raise VerifyError(f"the patch did not fix {finding.rule} at {finding.pointer}: {finding.message}")
        if key not in had and finding.severity.rank >= Severity.WARNING.rank and _related(finding.pointer, patched):
            raise VerifyError(f"value refused by {finding.rule} at {finding.pointer}: {finding.message}")
