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
from dataclasses import dataclass
from typing import Any

from connectflow.load import LoadError, Source, load_bytes
from connectflow.load.locate import join, split
from connectflow.patch.document import expand, expanded, get
from connectflow.patch.plan import Patch, same

BOM = "\ufeff"


class VerifyError(Exception):
    """The patched flow failed a check; ``str()`` is one line. Nothing was written."""


@dataclass(frozen=True)
class Change:
    pointer: str
    old: Any
    new: Any


def verify(before: Source, text: str, patches: list[Patch], registry=None, profile=None) -> list[Change]:
    """The semantic changes of ``text`` against ``before``; raises VerifyError."""
    try:
        after = load_bytes(before.path, ((BOM if before.bom else "") + text).encode("utf-8"))
    except LoadError as err:
        raise VerifyError(f"the patched flow does not parse ({err.problem})") from None
    new = expanded(after.data)
    changes = semantic_changes(expanded(before.data), new)
    _exactly_planned(changes, patches, new)
    if registry is not None:
        relint(before, after, patches, registry, profile)
    return changes


def semantic_changes(old: dict, new: dict) -> list[Change]:
    """Every changed value between two flow documents already in the expanded form
    (``document.expanded``), where both value encodings read alike."""
    from deepdiff import DeepDiff
    from deepdiff.helper import notpresent

    found = []
    for prefix, before, after in _differing_parts(old, new):
        for levels in DeepDiff(before, after, view="tree").values():
            for level in levels:
                found.append(Change(join(*prefix, *level.path(output_format="list")),
                                    None if level.t1 is notpresent else level.t1,
                                    None if level.t2 is notpresent else level.t2))
    return sorted(found, key=lambda c: [(0, int(s), "") if s.isdigit() else (1, 0, s) for s in split(c.pointer)])


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


def _exactly_planned(changes: list[Change], patches: list[Patch], document: dict) -> None:
    for change in changes:
        if not any(_within(change.pointer, p.pointer) for p in patches):
            raise VerifyError(f"unplanned change at {change.pointer}")
    for patch in patches:
        try:
            got = get(document, patch.pointer)
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


def relint(before: Source, after: Source, patches: list[Patch], registry, profile=None) -> None:
    from connectflow.lint import Selection, Severity, lint_source

    rules = list(registry)
    old = lint_source(before, rules, Selection(), profile)
    new = lint_source(after, rules, Selection(), profile)
    patched = [p.pointer for p in patches]
    fixes = {(p.node_id, rule) for p in patches for rule in p.fixes}
    # What a patch is for: findings on a patched value, or on the whole node for a rule the patch fixes.
    targeted = {(f.rule, f.pointer) for f in old if _related(f.pointer, patched)
                or ((f.node_id, f.rule) in fixes and _TOO_WIDE.match(f.pointer))}
    had = {(f.rule, f.pointer) for f in old}
    for finding in new:
        key = (finding.rule, finding.pointer)
        if key in targeted:
            raise VerifyError(f"the patch did not fix {finding.rule} at {finding.pointer}: {finding.message}")
        if key not in had and finding.severity.rank >= Severity.WARNING.rank and _related(finding.pointer, patched):
            raise VerifyError(f"value refused by {finding.rule} at {finding.pointer}: {finding.message}")
