"""``connectflow init``: a commented profile skeleton from the flows, with TODO placeholders.

Each section comes from what the flows still hold of the template: sample destinations by
channel, channel and tenant custom variables at a template value or empty, each prebuilt
node (integration id, group id, label: ready ``[authorizations]`` keys), the ECC variables
the flows pass to CCE, Queue Task and Resolve Conversation nodes. The wording of each key's
comment is the settings table's ``init``. A profile that still holds a TODO is refused when
it loads, naming the key, so nothing half-filled goes live.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

TODO = "TODO"


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _sources(names) -> str:
    names = sorted(set(names))
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def skeleton(paths: list[str]) -> str:
    from connectflow import copies
    from connectflow.catalogue import catalogue, is_destination_variable, placeholder_destinations
    from connectflow.lint.checks._task_variables import ECC, task_variables
    from connectflow.load import load_source
    from connectflow.model import as_text, build_flow
    from connectflow.patch.channels import condition_channel, flow_channels
    from connectflow.profile import flow_stem, normalize_ecc_name
    from connectflow.settings import by_locator, setting
    from connectflow.template_values import occurrences

    assets: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    channel_values: dict[str, set] = defaultdict(set)
    variables: dict[str, set] = defaultdict(set)
    nodes: dict[str, dict] = {}
    ecc: dict[str, set] = defaultdict(set)
    queues, flow_ids = set(), set()
    # catalogue_value entries without a fallback (--screen-pop-url, ...): the flows still at a template value
    proposed = [e for e in by_locator("catalogue_value") if not e.fallback]
    template_kinds: dict[str, set] = defaultdict(set)
    shipped = catalogue()["channel_defaults"]
    for path in paths:
        flow = build_flow(load_source(path).data)
        stem = flow_stem(path)
        for condition in flow.trigger.effective_conditions if flow.trigger else []:
            value = as_text(condition.value)
            if is_destination_variable(condition.variable) and value in placeholder_destinations():
                assets[condition_channel(flow, condition) or "livechat"][value].add(Path(path).name)
        if any(flow.variable(n) for n in setting("app_id").variables):
            for channel in flow_channels(flow):
                assets[channel]["appid"].add(Path(path).name)
        for option in ("fb_page_id", "wa_number", "live_chat_domain", "biz_email"):
            name = setting(option).variables[0]
            variable = flow.variable(name)
            if variable is not None and (as_text(variable.value) in map(str, shipped.get(name, []))
                                         or not as_text(variable.value).strip()):
                channel_values[option].add(Path(path).name)
        for name in catalogue()["tenant_variables"]:
            variable = flow.variable(name)
            if variable is not None and not as_text(variable.value).strip():
                variables[name].add(Path(path).name)
        for node in flow.nodes_of("prebuiltnode"):
            integration = as_text(node.param_value("integration_id"))
            entry = nodes.setdefault(integration or node.label, {"group": as_text(node.param_value("group_id")),
                                                                 "labels": set(), "flows": set()})
            entry["labels"].add(node.title)
            entry["flows"].add(Path(path).name)
        for variable in task_variables(flow, ECC):
            ecc[normalize_ecc_name(variable.name)].add(Path(path).name)
        if proposed:
            for occurrence in occurrences(flow):
                template_kinds[occurrence.entry.kind].add(Path(path).name)
        if copies.nodes_of_kind(flow, setting("queue").node):
            queues.add(stem)
        if copies.nodes_of_kind(flow, setting("flow_id").node):
            flow_ids.add(stem)

    lines = [f"# connectflow profile, written by `connectflow init` from {len(paths)} flow(s).",
             "# Replace every TODO with the tenant's value: a profile that still holds one is refused.",
             "# Every key: docs/profile.md.", ""]
    lines += ["[assets]", f"# {setting('asset').init}."]
    for channel in sorted(assets):
        found = assets[channel]
        samples = [v for v in found if v != "appid"]
        where = _sources(set().union(*found.values()))
        said = f"template samples {', '.join(sorted(samples))}" if samples else "the flows' appid"
        lines.append(f"{channel} = [{_quote(TODO)}]  # {said} ({where})")
    lines.append("")
    found = {e.name: set().union(*(template_kinds[k] for k in e.kinds)) for e in proposed}
    tables = [e for e in proposed if found[e.name] and "." not in e.profile]
    lines += ["[channel]"]
    for option in sorted(channel_values):
        lines.append(f"{option} = {_quote(TODO)}  # {setting(option).init}; "
                     f"{setting(option).variables[0]} in {_sources(channel_values[option])}")
    for entry in proposed:
        if found[entry.name] and entry.profile.startswith("channel."):
            lines.append(f"{entry.profile.removeprefix('channel.')} = {_quote(TODO)}  # {entry.init}; "
                         f"a template's in {_sources(found[entry.name])}")
    lines.append("")
    for entry in tables:
        lines += [f"[{entry.profile}]", f"# {entry.init}.",
                  f"default = {_quote(TODO)}  # a template's in {_sources(found[entry.name])}", ""]
    if variables:
        lines += ["[variables]", f"# {setting('variables').init}."]
        for name in sorted(variables):
            lines.append(f"{name} = {_quote(TODO)}  # {catalogue()['tenant_variables'][name]}; "
                         f"empty in {_sources(variables[name])}")
        lines.append("")
    if ecc:
        lines += ["[ecc]", "# The ECC variables the flows pass to CCE: define each in CCE (or `import` CCE's list).",
                  "variables = ["]
        lines += [f"  {{ name = {_quote(name)} }},  # {_sources(ecc[name])}" for name in sorted(ecc)]
        lines += ["]", ""]
    if nodes:
        lines += ["[authorizations]", f"# {setting('authorization').init}. Keyed here by integration id;",
                  "# the group id (one authorization for a whole integration) or a node label work too."]
        for key in sorted(nodes):
            entry = nodes[key]
            lines.append(f"{_quote(key)} = {{ id = {_quote(TODO)}, name = {_quote(TODO)} }}  # group "
                         f"{entry['group'] or '?'}: {_sources(entry['labels'])}")
        lines.append("")
    if queues:
        lines += ["[queues]", f"# {setting('queue').init}.", f"default = {_quote(TODO)}  # {_sources(queues)}", ""]
    if flow_ids:
        lines += ["[flow_ids]", f"# {setting('flow_id').init}."]
        lines += [f"{_quote(stem)} = {_quote(TODO)}" for stem in sorted(flow_ids)]
        lines.append("")
    return "\n".join(lines)


def todo_keys(data, prefix: str = "") -> list[str]:
    """The keys of a loaded profile that still hold the TODO placeholder."""
    found = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in items:
        here = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, (dict, list)):
            found += todo_keys(value, here)
        elif value == TODO:
            found.append(here)
    return found
