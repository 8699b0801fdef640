"""What ``patch --editor-script`` and ``--worksheet`` write, from patch's results."""

from __future__ import annotations

import json
from pathlib import Path

from connectflow.editor.leaves import LeafError, changes


class BridgeError(ValueError):
    """One line naming the file and the problem; exits 2."""


def plans(results) -> list[dict]:
    found = []
    for patched in results:
        try:
            plan = changes(json.loads(patched.before), json.loads(patched.after))
        except LeafError as err:
            raise BridgeError(f"{patched.path}: cannot write an editor script: {err}") from None
        plan["file"] = Path(patched.path).name
        found.append(plan)
    ids = [str(plan["flowId"]) for plan in found]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise BridgeError(f"several flows have flow id {twice[0]}: write their editor scripts separately")
    return found


def apply_script(results) -> tuple[str, int]:
    """The apply script for ``results`` and the number of leaf changes it holds."""
    from connectflow.editor import render

    found = plans(results)
    return render("apply.js", PLANS=found), sum(len(plan["changes"]) for plan in found)


def write_outputs(results, editor_script: str | None, worksheet: str | None) -> list[str]:
    """Write the requested files atomically; returns the messages for stderr."""
    from connectflow.editor import worksheet as sheet
    from connectflow.patch.write import write_atomic

    outputs, messages = [], []
    if editor_script:
        text, count = apply_script(results)
        outputs.append((editor_script, text))
        messages.append(f"editor script: {count} value{'' if count == 1 else 's'} in {len(results)} "
                        f"flow{'' if len(results) == 1 else 's'} -> {editor_script}")
    if worksheet:
        text = sheet.html_page(results) if worksheet.lower().endswith((".html", ".htm")) else sheet.markdown(results)
        outputs.append((worksheet, text))
        messages.append(f"worksheet -> {worksheet}")
    for path, text in outputs:
        if not Path(path).parent.is_dir():
            raise BridgeError(f"{path}: no such folder {Path(path).parent}")
    for path, text in outputs:
        try:
            write_atomic(path, text.encode("utf-8"))
        except OSError as err:
            raise BridgeError(f"{path}: cannot write ({err.strerror or err})") from None
    return messages


def bridge(editor_script: str | None, worksheet: str | None, flows_targeted: bool, writes_nothing: bool):
    """``(before_write, write_flows)`` for ``patch.run.run``: the bridge's outputs are written once
    every flow is verified, before any flow; without -o/--in-place they replace the flow output."""
    if not (editor_script or worksheet):
        return None, True
    if writes_nothing:
        raise BridgeError("--diff and --check write nothing: leave out --editor-script and --worksheet")
    return (lambda results: write_outputs(results, editor_script, worksheet)), flows_targeted
