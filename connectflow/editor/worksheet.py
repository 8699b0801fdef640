"""``patch --worksheet``: every change as a step a person does in the Flow Builder.

For teams that do not run scripts in the browser. One step per edit in the editor's
own terms: the Start node's conditions (one edit there writes the three stored
copies), a node's Node Runtime Authorization (id and display name together),
Settings > Custom Variables, or a node's setting. The Field column is the settings table's
``ui`` for the setting that asked for the change (settings.toml), else the parameter's name.

Credential values (tokens, API keys, authorization headers) are masked, old and new,
unless ``--show-secrets``: a worksheet is printed, mailed and left on desks.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from connectflow import redact
from connectflow.load.locate import split


@dataclass
class Step:
    node: str     # "Start node 'WxCC Task v2' (id 2)", "Settings"
    field: str    # as the editor names it
    old: str
    new: str
    copies: int = 1


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _node_names(document: dict) -> dict[str, str]:
    names = {}
    for cell in document.get("cells") or []:
        value = cell.get("value") if isinstance(cell, dict) else None
        if isinstance(value, dict) and isinstance(value.get("attributes"), dict) and value.get("tag") != "workflowdata":
            attributes = value["attributes"]
            kind = "Start node" if value.get("tag") == "start" else "node"
            names[str(cell.get("id"))] = f"{kind} {_shown(attributes.get('label') or attributes.get('name') or '')!r}"
    return names


def _cell_id(document: dict, pointer: str) -> str | None:
    parts = split(pointer)
    if len(parts) > 1 and parts[0] == "cells" and parts[1].isdigit() and int(parts[1]) < len(document["cells"]):
        return str(document["cells"][int(parts[1])].get("id"))
    return None


def _param_name(document: dict, pointer: str) -> str:
    parts = split(pointer)
    try:
        child = document["cells"][int(parts[1])]["value"]["children"][int(parts[4])]
        name = str(child["attributes"].get("name"))
    except (IndexError, KeyError, TypeError, ValueError):
        return pointer
    inner = [p for p in parts[6:] if not p.isdigit()]
    return "/".join([name, *inner])


def _ui_field(setting: str, **names: Any) -> str | None:
    """The Field column for a patch of settings.toml entry ``setting``: its ``ui`` after the
    first " > " (the Where column names the node), with ``{node}``/``{name}``/``{variable}`` filled."""
    from connectflow.settings import table

    entry = next((e for e in table() if e.name == setting), None)
    if entry is None or " > " not in entry.ui:
        return None
    return entry.ui.split(" > ", 1)[1].format_map(defaultdict(str, names))


def _masker(patched) -> redact.Secrets:
    """The credential values of the flow before and after the patch."""
    return redact.Secrets(json.loads(patched.before)) | redact.Secrets(json.loads(patched.after))


def steps(patched) -> list[Step]:
    """The steps for one ``run.Patched`` flow, in the order patch planned them, credentials masked."""
    masked = _masker(patched)
    return [Step(masked(s.node), masked(s.field), masked(s.old), masked(s.new), s.copies) for s in _steps(patched)]


def _steps(patched) -> list[Step]:
    document = json.loads(patched.before)
    names = _node_names(document)
    found: dict[tuple, Step] = {}
    auth: dict[str, dict[str, Any]] = {}
    for item in patched.patches:
        node_id = item.node_id or _cell_id(document, item.pointer)
        node = f"{names.get(str(node_id), 'cell')} (id {node_id})" if node_id else "Settings"
        label = names.get(str(node_id), "").split(" ", 1)[-1].strip("'\"") if node_id else ""
        base = re.sub(r" \([^()]*\)$", "", item.reason)
        setting = getattr(item, "setting", "")
        if setting == "authorization" or item.reason.startswith("authorization of"):
            entry = auth.setdefault(node, {})
            entry["name" if item.reason.endswith("display name") else "id"] = (item.old, item.new)
            continue
        if item.pointer.startswith("/customVariables/"):
            variable = document["customVariables"][int(split(item.pointer)[1])].get("name")
            key = ("Settings", variable, _shown(item.old), _shown(item.new))
            field = _ui_field(setting or "variables", name=variable)
            found.setdefault(key, Step("Settings", field, *key[2:]))
            continue
        variable = base.removeprefix("start condition ").strip()
        if setting == "asset" and isinstance(item.old, list):  # a whole conditions list (patch.conditions)
            from connectflow.patch.conditions import destination_variables_in

            variable = ", ".join(destination_variables_in(item.old)) or variable
        field = _ui_field(setting, node=label, variable=variable) if setting else None
        if base.startswith("start condition"):
            field = field or "Conditions > " + base.removeprefix("start condition ").strip()
            node = f"{names.get('2', 'Start node')} (id 2)" if "start_node_info" in item.pointer else node
        elif field is None and base != item.reason and item.node_id:  # one setting in several copies: one field
            field = "node settings > " + base.removeprefix(f"{label} ")
        elif field is None:
            field = _param_name(document, item.pointer) if item.pointer.startswith("/cells/") else item.pointer
        key = (node, field, _shown(item.old), _shown(item.new))
        if key in found:
            found[key].copies += 1
        else:
            found[key] = Step(*key)
    result = list(found.values())
    for node, entry in auth.items():
        old_id, new_id = entry.get("id", ("?", "?"))
        old_name, new_name = entry.get("name", (None, None))
        old = f"{_shown(old_name)} (id {_shown(old_id)})" if old_name is not None else f"id {_shown(old_id)}"
        new = f"{_shown(new_name)} (id {_shown(new_id)})" if new_name is not None else f"id {_shown(new_id)}"
        result.append(Step(node, _ui_field("authorization") or "Node Runtime Authorization", old, new))
    return result


def _md_cell(text: str) -> str:
    if text == "":
        return "(empty)"
    text = text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")  # GFM: a pipe ends a cell
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _flow_title(patched) -> str:
    document = json.loads(patched.before)
    name = document.get("temporary_name") or document.get("label")
    return f"{patched.path}" + (_masker(patched)(f" (flow {document.get('flowId')}, {name})") if name else "")


_MASKED_NOTE = (f"Credential values are masked ({redact.MASK} and their last characters); "
                "`connectflow patch --show-secrets` writes them in full.")


def _masked_any(rows: list[Step]) -> bool:
    return any(redact.MASK in value for step in rows for value in (step.old, step.new))


_INTRO = ("Open each flow in the Webex Connect Flow Builder and make every change below, then click "
          "**Save** (and Make Live). Old is what the flow holds now; if a field holds something else, "
          "stop: export the flow again and re-run `connectflow patch`.")


def markdown(results) -> str:
    lines = ["# connectflow worksheet", "", _INTRO, ""]
    for patched in results:
        lines += [f"## {_md_cell(_flow_title(patched))}", ""]
        flow_steps = steps(patched)
        if not flow_steps:
            lines += ["Nothing to change.", ""]
            continue
        if _masked_any(flow_steps):
            lines += [_MASKED_NOTE, ""]
        lines += ["| # | Where | Field | Old | New |", "|---|---|---|---|---|"]
        for number, step in enumerate(flow_steps, 1):
            lines.append(f"| {number} | {_md_cell(step.node)} | {_md_cell(step.field)} | {_md_cell(step.old)} | "
                         f"{_md_cell(step.new)} |")
        lines += ["", "Then click **Save**.", ""]
    return "\n".join(lines) + "\n"


def _html_value(text: str) -> str:
    return f"<code>{html.escape(text)}</code>" if text else "<i>(empty)</i>"


def html_page(results) -> str:
    esc = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>connectflow worksheet</title>",
             "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
             "td,th{border:1px solid #999;padding:.3em .6em;vertical-align:top}code{white-space:pre-wrap}</style>",
             "</head><body>", "<h1>connectflow worksheet</h1>",
             f"<p>{esc(_INTRO).replace('**Save**', '<b>Save</b>').replace('`connectflow patch`', '<code>connectflow patch</code>')}</p>"]
    for patched in results:
        parts.append(f"<h2>{esc(_flow_title(patched))}</h2>")
        flow_steps = steps(patched)
        if not flow_steps:
            parts.append("<p>Nothing to change.</p>")
            continue
        if _masked_any(flow_steps):
            note = esc(_MASKED_NOTE).replace("`connectflow patch --show-secrets`",
                                             "<code>connectflow patch --show-secrets</code>")
            parts.append(f"<p>{note}</p>")
        parts.append("<table><tr><th>#</th><th>Where</th><th>Field</th><th>Old</th><th>New</th><th>Done</th></tr>")
        for number, step in enumerate(flow_steps, 1):
            parts.append(f"<tr><td>{number}</td><td>{esc(step.node)}</td><td>{esc(step.field)}</td>"
                         f"<td>{_html_value(step.old)}</td><td>{_html_value(step.new)}</td>"
                         '<td><input type="checkbox"></td></tr>')
        parts.append("</table><p>Then click <b>Save</b>.</p>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
