"""The ``connectflow patch`` job without printing.

Every flow is read, planned, spliced and verified before the first file is
written, so a bad value or an unreadable flow stops the run with nothing
changed. The caller (cli.py) prints ``Outcome.stdout`` and ``Outcome.messages``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from connectflow.patch.request import Patch, Settings

if TYPE_CHECKING:
    from connectflow.patch.plan import Plan
    from connectflow.patch.verify import Change


BOM_BYTES = b"\xef\xbb\xbf"
_LARGE = 1 << 20  # characters: a text this long is freed to the system at once (runtime.trim_heap)


class PatchError(Exception):
    """One line naming the file (when there is one) and the problem; exits 2."""


class Patched:
    """One flow's patch: its text before and after, the patches and the changes they make.

    A large flow's run holds one text: the file's bytes (``raw``) and those to write (``output``)
    are the texts encoded, when asked for (unless given); with a ``splice`` (``apply.Splice``)
    and no ``before``, the text before is the text after with the edits undone."""

    def __init__(self, path: str, raw: bytes | None, output: bytes | None, before: str | None, after: str,
                 patches: list[Patch], changes: list[Change], notes: list[str], *, bom: bool = False,
                 splice=None):
        self.path, self._before, self.after = path, before, after
        self.patches, self.changes, self.notes = patches, changes, notes
        self._raw, self._output, self.bom, self._splice = raw, output, bom, splice
        self.secrets: frozenset[str] | None = None  # the credential values of both texts, once found

    @property
    def before(self) -> str:
        return self._before if self._before is not None else self._splice.original(self.after)

    @property
    def raw(self) -> bytes:
        """The file as read (strict UTF-8 reads back to the very same bytes)."""
        return self._raw if self._raw is not None else (BOM_BYTES if self.bom else b"") + self.before.encode("utf-8")

    def writable(self, original: bool = False):
        """``output`` (``raw`` with ``original``) for ``write.Job``: the bytes when they were given,
        else their text, encoded a piece at a time as it is written (``write.Encoded``)."""
        from connectflow.patch.write import Encoded

        given = self._raw if original or not self.patches else self._output
        if given is not None:
            return given
        prefix = BOM_BYTES if self.bom else b""
        if not (original or not self.patches):
            return Encoded(self.after, prefix)
        if self._before is None:  # the original text is not held: made a piece at a time from the patched one
            return Encoded(lambda: self._splice.original_pieces(self.after), prefix)
        return Encoded(self._before, prefix)

    @property
    def output(self) -> bytes:
        """The file as it should be written."""
        if self._output is not None:
            return self._output
        return self.raw if not self.patches else (BOM_BYTES if self.bom else b"") + self.after.encode("utf-8")


@dataclass
class Outcome:
    exit_code: int = 0
    stdout: bytes = b""
    messages: list[str] = field(default_factory=list)


def read(path: str):
    """``(raw bytes, Source)`` of a JSON flow file that patch can rewrite. Raises PatchError."""
    from connectflow.load import LoadError, load_bytes
    from connectflow.load.sniff import Format

    from connectflow.load.reader import ReadError, read_regular

    try:
        raw = read_regular(path)
        source = load_bytes(path, raw)
    except ReadError as err:
        raise PatchError(f"{path}: {err.problem}") from None
    except LoadError as err:
        raise PatchError(str(err)) from None
    if source.path != str(path):
        raise PatchError(f"{path}: patch cannot rewrite a flow inside an archive; extract {source.path} first")
    if source.format is not Format.JSON:
        raise PatchError(f"{path}: patch writes JSON flow files only, this is {source.format.value}")
    return raw, source


@cache
def _rules():
    """The built-in rules verify lints with, built on first use: after the first flow is parsed
    (they hold 4 MB, which would count in the parse's peak)."""
    from connectflow.lint.registry import builtin_registry

    return builtin_registry()


def prepare(path: str, settings: Settings, profile, registry=None, secrets: bool = False) -> tuple[Patched, Plan]:
    """Read, plan, apply and verify one flow. Raises PatchError. ``secrets``: find the credential
    values (``Patched.secrets``) while the documents are at hand, for a ``--diff`` to mask.
    ``registry``: the rules verify lints with (None: the built-in ones)."""
    from connectflow.lint.yaml_rules import RuleFileError
    from connectflow.load import LoadError

    raw, source = read(path)
    del raw  # the text's own bytes: Patched encodes them again if they are asked for
    # The planning code once the flow is parsed: it is not counted in the parse's peak.
    from connectflow.patch.apply import ApplyError, splice_handed
    from connectflow.patch.plan import PlanError, plan
    from connectflow.patch.verify import VerifyError, secrets_of, verified
    try:
        first = _one_condition_per_asset(source, settings, profile)
        text, patches, planned, splice = _staged(path, source, first, lambda flow: plan(flow, settings, profile, path))
        if not patches:
            result = Patched(str(path), None, None, source.text, source.text, [], [], planned.notes, bom=source.bom)
            if secrets:
                result.secrets = _secrets_of([source.data])
            return result, planned
        if splice is None:
            before = source.text
        else:  # hold one text: the original is the patched one with the edits undone (splice.undo)
            handed, source, before = [source.text], replace(source, text=None), None
            text = splice_handed(handed, splice.edits)
            if len(text) > _LARGE:
                from connectflow.runtime import trim_heap

                trim_heap()  # the original text and the splice's pieces are freed: their pages too
        changes, after, changed = verified(source, text, patches, registry if registry is not None else _rules(), profile, splice)
    except (PlanError, ApplyError, VerifyError, LoadError) as err:
        raise PatchError(f"{path}: {err}") from None
    except RuleFileError as err:
        raise PatchError(str(err)) from None
    result = Patched(str(path), None, None, before, text, patches, changes, planned.notes, bom=source.bom,
                     splice=splice)
    if secrets:
        from connectflow import redact

        result.secrets = frozenset() if redact.SHOW_SECRETS else secrets_of(source, after, changed)
    return result, planned


def staged(path: str, source, first: list[Patch], make_plan) -> tuple[str, list[Patch], Plan]:
    """Structural patches first (whole condition lists), then the plan made on their result.

    Returns the final text, the patches that explain it against the original (each list
    patch with its final value, the plan's patches inside those lists folded into it) and
    the plan. Without structural patches this is just the plan applied to the original."""
    from connectflow.patch.apply import splice as spliced

    text, patches, planned, splice = _staged(path, source, first, make_plan)
    return (text if text is not None else spliced(source.text, splice.edits)), patches, planned


def _staged(path: str, source, first: list[Patch], make_plan):
    """``staged``, and the ``apply.Splice`` when the plan was applied to the original itself (no
    structural patches): what ``verify`` needs to read the result by parts, and to undo it."""
    from connectflow.load import load_bytes
    from connectflow.model import build_flow
    from connectflow.patch.apply import apply, splice_of
    from connectflow.patch.document import expanded, get
    from connectflow.patch.verify import _within

    if not first:  # the text is made by the caller (splice_handed), which can let go of the original's
        planned = make_plan(build_flow(source.data))  # the model is dropped here: verify builds its own
        return None, planned.patches, planned, splice_of(source.text, planned.patches)
    middle = load_bytes(path, apply(source.text, first).encode("utf-8"))
    planned = make_plan(build_flow(middle.data))
    text = apply(middle.text, planned.patches)
    final = expanded(load_bytes(path, text.encode("utf-8")).data)
    lists = [replace(p, new=get(final, p.pointer)) for p in first]
    rest = [p for p in planned.patches if not any(_within(p.pointer, f.pointer) for f in first)]
    return text, [*lists, *rest], planned, None


def _one_condition_per_asset(source, settings: Settings, profile) -> list[Patch]:
    """Before the plan: webhook flows for a channel with several assets get one condition per
    asset (patch/conditions.py); an SMS flow its Start number. Explicit --asset-id values skip this."""
    if profile is None or settings.asset_ids:
        return []
    from connectflow.lint.bundle import facts_of
    from connectflow.lint.context import Context
    from connectflow.patch.conditions import expand_for_profile

    context = Context(source, profile)
    if context.flow.trigger is None:
        return []
    if not context.flow.trigger.is_event_flow:
        return _template_sms_number(context.flow, profile)
    return expand_for_profile(context.flow, profile, facts_of(context).webcallback_closed)


def _template_sms_number(flow, profile) -> list[Patch]:
    """The SMS Start's number (start_node_info.extras) when it is the template's sample and the
    tenant has one SMS asset: the number is what binds the flow to its asset."""
    from connectflow.catalogue import placeholder_channel
    from connectflow.model import as_text
    from connectflow.patch.per_asset import _sms_number

    extras = flow.trigger.raw.get("extras") if isinstance(flow.trigger.raw, dict) else None
    number = as_text(extras.get("number")) if isinstance(extras, dict) else ""
    sms = profile.assets.entries("sms")
    if placeholder_channel(number) != "sms" or len(sms) != 1:
        return []
    return _sms_number(flow, sms[0])


def _not_applied(option: str, label: str) -> str:
    from connectflow.settings import setting

    name, _, detail = label.partition(":")
    problem = setting(name).absent + (f" equals {detail}" if name == "asset" and detail else "")
    return f"{problem} ({option})"


def prepare_all(paths: list[str], settings: Settings, profile_path: str | None, jobs: int | None = 1,
                notes: list[str] | None = None, secrets: bool = False) -> list[Patched]:
    """Plan, apply and verify every flow. The profile is ``profile_path``, else the one found
    above each flow as lint finds it; which one is used is said in ``notes``. ``secrets``: see ``prepare``."""
    from connectflow.lint.yaml_rules import RuleFileError
    from connectflow.profile_lookup import ProfileError, profile_resolver
    from connectflow.runtime import jobs_for, ordered_map, paused_gc

    notes = notes if notes is not None else []
    workers = jobs_for(jobs, len(paths))
    try:
        profile_for = profile_resolver(profile_path)
        profiles = {path: profile_for(path) for path in paths}
        registry = _rules() if workers > 1 else None  # before the workers fork: built once; else see _rules
    except (ProfileError, RuleFileError) as err:
        raise PatchError(str(err)) from None
    if profile_path is None:
        for found in dict.fromkeys(p.path for p in profiles.values() if p is not None):
            notes.append(f"using profile {found}")
    from connectflow.catalogue import catalogue
    from connectflow.runtime import map_large_blocks

    map_large_blocks()  # a large flow's texts are given back when freed (see there)
    catalogue()  # the plan reads it: loaded before a flow, so that it does not pin a large flow's freed memory

    def one(path: str) -> tuple[Patched, Plan]:
        with paused_gc():
            return prepare(path, settings, profiles[path], registry, secrets)

    results, applied = [], set()
    for result, planned in ordered_map(one, paths, workers):
        results.append(result)
        applied |= planned.applied
        if len(paths) > 1:
            result.notes += [f"skipped {option}: {_not_applied(option, label)}"
                             for label, option in settings.requested().items() if label not in planned.applied]
    if settings == Settings() and not any(profiles.values()):  # after reading: a bad file is said first
        raise PatchError("nothing to patch with: give --profile FILE or an option such as --asset-id, "
                         "or put a connectflow.toml beside the flows")
    for label, option in settings.requested().items():
        if label not in applied:
            where = paths[0] if len(paths) == 1 else f"any of the {len(paths)} flows"
            raise PatchError(f"{where}: {_not_applied(option, label)}")
    return results


def destinations(paths: list[str], output: str | None, in_place: bool) -> dict[str, str | None]:
    """Where each flow goes: a file path, or None for stdout."""
    if in_place:
        return {p: p for p in paths}
    if output is None:
        if len(paths) > 1:
            raise PatchError(f"{len(paths)} flows: write them with -o DIR or --in-place")
        return {paths[0]: None}
    folder = Path(output)
    if len(paths) == 1 and not folder.is_dir():
        if not folder.parent.is_dir():
            raise PatchError(f"-o {output}: no such folder {folder.parent}")
        return {paths[0]: output}
    if folder.exists() and not folder.is_dir():
        raise PatchError(f"-o {output}: {len(paths)} flows need a folder, and this is a file")
    names = [Path(p).name for p in paths]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise PatchError(f"-o {output}: several flows are named {twice[0]}; patch them separately")
    return {p: str(folder / Path(p).name) for p in paths}


def _count(changes: list) -> str:
    return f"{len(changes)} value{'' if len(changes) == 1 else 's'}"


def _value(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def summary(item: Patched) -> list[str]:
    """The semantic diff, one line per changed value, with the reason it was changed."""
    lines = [f"{item.path}: {_count(item.changes)} changed"]
    for change in item.changes:
        reason = next((p.reason for p in item.patches
                       if change.pointer == p.pointer or change.pointer.startswith(p.pointer + "/")), "")
        lines += [f"  {reason}: {_value(change.old)} -> {_value(change.new)}", f"    at {change.pointer}"]
    return lines


_CONTEXT = 3  # difflib's default
_EXACT_UP_TO = 20_000  # lines between the first and the last change


def unified_diff(item: Patched, target: str | None = None) -> str:
    """``difflib.unified_diff`` of the flow before and after, line numbers as in the whole file.

    The lines before the first change and after the last, but for the context shown, are
    left out before difflib sees them: on a large flow they are nearly all of it, and
    difflib's matching grows faster than the text. Most of them are not even split into
    lines (``_alike_ends``)."""
    import difflib  # only --diff needs it
    before_text, after_text = item.before, item.after
    lead, start, end = _alike_ends(before_text, after_text)
    shift = len(after_text) - len(before_text)
    before = before_text[start:end].splitlines(keepends=True)
    after = after_text[start:end + shift].splitlines(keepends=True)
    del before_text, after_text
    head = 0
    for head, (a, b) in enumerate(zip(before, after)):
        if a != b:
            break
    else:
        head = min(len(before), len(after))
    tail = 0
    while tail < min(len(before), len(after)) - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    skip, keep_tail = max(0, head - _CONTEXT), max(0, tail - _CONTEXT)
    old, new = before[skip:len(before) - keep_tail], after[skip:len(after) - keep_tail]
    # difflib's "popular line" heuristic would treat JSON's many alike lines ("type": "default")
    # as junk and widen hunks; without it, matching is quadratic, so only for a small middle.
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=len(new) > _EXACT_UP_TO)
    lines = _unified(matcher, item.path, lead + skip, target or item.path)

    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


# Line breaks of str.splitlines other than "\n": with one of them the texts are split whole.
_OTHER_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_CHUNK = 1 << 16


def _alike_ends(a: str, b: str) -> tuple[int, int, int]:
    """``(lines, start, end)``: ``a[:start]`` and ``a[end:]`` (``b[end + len(b) - len(a):]``) are
    whole lines alike in both texts that ``unified_diff`` would leave out anyway, ``lines`` of
    them before ``start``. The first change is found by comparing the texts, not their lines;
    ``_CONTEXT`` lines are kept on each side of what differs, so the lines kept are trimmed
    exactly as the whole texts' would be."""
    if len(a) < _CHUNK or any(c in text for text in (a, b) for c in _OTHER_BREAKS):  # each a memchr
        return 0, 0, len(a)
    same = _common_prefix(a, b)
    start = a.rfind("\n", 0, same) + 1  # the start of the line the first difference is on
    for _ in range(_CONTEXT):  # and of the _CONTEXT lines before it
        if start == 0:
            break
        start = a.rfind("\n", 0, start - 1) + 1
    lines = a.count("\n", 0, start)
    suffix = _common_suffix(a, b, min(len(a), len(b)) - same)
    end = len(a) - suffix
    for _ in range(_CONTEXT + 1):  # past the line the last difference is on, then _CONTEXT lines
        end = a.find("\n", end)
        if end < 0:
            return lines, start, len(a)
        end += 1
    return lines, start, end


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix of ``a`` and ``b``."""
    n, i = min(len(a), len(b)), 0
    while i < n and a[i:i + _CHUNK] == b[i:i + _CHUNK]:
        i += _CHUNK
    hi = min(n, i + _CHUNK)
    while i < hi:  # a[:i] is alike; the first difference is before hi
        mid = (i + hi + 1) // 2
        if a[i:mid] == b[i:mid]:
            i = mid
        else:
            hi = mid - 1
    return i


def _common_suffix(a: str, b: str, limit: int) -> int:
    """The length of the longest common suffix of ``a`` and ``b``, at most ``limit``."""
    la, lb, i = len(a), len(b), 0
    while i + _CHUNK <= limit and a[la - i - _CHUNK:la - i] == b[lb - i - _CHUNK:lb - i]:
        i += _CHUNK
    hi = min(limit, i + _CHUNK)
    while i < hi:
        mid = (i + hi + 1) // 2
        if a[la - mid:la - i] == b[lb - mid:lb - i]:
            i = mid
        else:
            hi = mid - 1
    return i


def _range(start: int, stop: int) -> str:
    """A hunk's line range as ``difflib.unified_diff`` writes it."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start if length == 0 else start + 1},{length}"


def _unified(matcher, path: str, offset: int, target: str):
    """``difflib.unified_diff``'s lines for ``matcher``'s sequences, which start at line ``offset``."""
    old, new = matcher.a, matcher.b
    for number, group in enumerate(matcher.get_grouped_opcodes(_CONTEXT)):
        if number == 0:
            yield f"--- {path}\n"
            yield f"+++ {target}\n"
        first, last = group[0], group[-1]
        yield (f"@@ -{_range(first[1] + offset, last[2] + offset)} "
               f"+{_range(first[3] + offset, last[4] + offset)} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in old[i1:i2])
                continue
            if tag in ("replace", "delete"):
                yield from ("-" + line for line in old[i1:i2])
            if tag in ("replace", "insert"):
                yield from ("+" + line for line in new[j1:j2])


def _masked(text: str, results: list[Patched]) -> str:
    """``text`` with the flows' credential values masked (unless --show-secrets)."""
    from connectflow import redact
    from connectflow.load.decode import loads

    if redact.SHOW_SECRETS:
        return text
    secrets: set[str] = set()
    for item in results:
        if item.secrets is None:  # not found by prepare: from the texts (found once per flow)
            documents = []
            for document in (item.before, item.after) if item.patches else (item.before,):
                try:
                    documents.append(loads(document))
                except ValueError:
                    pass
            item.secrets = _secrets_of(documents)
        secrets |= item.secrets
    return redact.scrub(text, secrets)


def _secrets_of(documents) -> frozenset[str]:
    from connectflow import redact

    found: set[str] = set()
    for document in documents:
        found |= redact.secrets_in(document)
    return frozenset(found)


def run(paths: list[str], settings: Settings, *, profile_path: str | None = None, output: str | None = None,
        in_place: bool = False, diff: bool = False, check: bool = False, before_write=None,
        write_flows: bool = True, jobs: int | None = 1, force: bool = False, per_asset: bool = False) -> Outcome:
    """Patch ``paths``; raises PatchError for bad input (nothing is written then).

    ``before_write(results)`` (the editor bridge's outputs) runs once every flow is verified
    and before any flow is written; it returns messages. ``write_flows=False`` writes no flow.
    ``jobs``: worker processes for reading, planning and verifying (see ``lint_paths``).
    """
    from connectflow.lint import expand_paths

    if per_asset:
        from connectflow.patch.per_asset import run_per_asset

        if in_place:
            raise PatchError("--per-asset writes new files into -o DIR: leave out --in-place")
        if before_write is not None:
            raise PatchError("--per-asset writes new flow files: run --editor-script/--worksheet on each copy instead")
        found = expand_paths(paths)
        if not found:
            raise PatchError("no flow files to patch")
        return run_per_asset(found, settings, profile_path, output, diff=diff, check=check)

    if in_place and output:
        raise PatchError("give either -o or --in-place, not both")
    if (diff or check) and (in_place or output):
        raise PatchError("--diff and --check write nothing: leave out -o and --in-place")
    paths = expand_paths(paths)
    if not paths:
        raise PatchError("no flow files to patch")
    targets = {} if diff or check or not write_flows else destinations(paths, output, in_place)
    outcome = Outcome()
    results = prepare_all(paths, settings, profile_path, jobs, outcome.messages, secrets=diff)
    if before_write is not None:
        outcome.messages += before_write(results)
    if not write_flows:
        return outcome
    for item in results:
        outcome.messages += [_masked(f"{item.path}: note: {note}", [item]) for note in item.notes]
    if diff or check:
        text = "".join(unified_diff(item) + "\n".join(summary(item)) + "\n" for item in results if item.patches)
        if diff:
            outcome.stdout = _masked(text, results).encode("utf-8")
        pending = [item for item in results if item.patches]
        outcome.messages += [f"{item.path}: up to date" for item in results if not item.patches]
        if check:
            outcome.messages += [f"would patch {item.path} ({_count(item.changes)})" for item in pending]
            outcome.exit_code = 1 if pending else 0
        return outcome
    from connectflow.patch.write import Job, WriteError, write_files

    jobs, done = [], []
    for item in results:
        target = targets[item.path]
        if target is None:
            outcome.stdout = item.output
        elif target != item.path or item.patches:
            expect = item.writable(original=True) if target == item.path else None
            jobs.append(Job(target, item.writable(), expect=expect))
        where = "" if target in (None, item.path) else f" -> {target}"
        done.append(f"patched {item.path}: {_count(item.changes)} changed{where}" if item.patches
                    else f"{item.path}: nothing to change{where}")
    try:
        outcome.messages += write_files(jobs, force=force)
    except WriteError as err:
        unchanged = "" if "written before it" in str(err) else "; nothing was written"
        raise PatchError(f"{err}{unchanged}") from None
    outcome.messages += done
    return outcome


__all__ = ["Outcome", "PatchError", "Patched", "destinations", "prepare", "run", "summary", "unified_diff"]
