"""``connectflow patch --per-asset``: one copy of a flow for every tenant asset it serves.

Which assets a flow serves comes from the same facts the cross-flow rules use
(``lint.bundle.facts_of``), so a per-asset set lints clean as a bundle:

- an inbound flow with asset values (``appid``, ``liveChatDomain``, the SMS number, ...):
  every asset of its channel; Live Chat with WebCallback only for assets marked
  ``webcallback = true``, the other Live Chat flows for the others;
- a CCE webhook flow with destination conditions: every asset of the channels its
  conditions are for, each copy keeping only its own asset's condition; WebCallback CLOSED
  only for ``webcallback`` Live Chat assets, the ordinary CLOSED for the others;
- a flow with nothing asset-specific (no destination condition, no asset value): one copy.

A copy is planned by the ordinary plan with a profile narrowed to its one asset, whose
own values (App ID, domain, page id, number, address) stand in for ``[channel]``: the
values go through the same settings as ``--app-id``, ``--live-chat-domain``... and each
copy is verified like any patch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from connectflow.patch.plan import Patch, Settings
from connectflow.patch.run import Patched, PatchError, read

SMS_NUMBER_KEYS = (("number", ""), ("numberObject/e164reportnumber", "+"), ("numberObject/reportnumber", ""),
                   ("numberObject/resource_id", ""))
# What a Send SMS node's sender (``senderid`` in resourceinfo and viewmodeData) holds in a template.
SENDER_KINDS = ("sms_number", "sms_sender_id")


@dataclass
class Copy:
    """One output of --per-asset: the flow for one asset (or for all, when nothing is asset-specific)."""

    path: str
    asset: object | None  # profile.Asset
    name: str             # the output file name
    patched: Patched


def file_label(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", label).strip("-.") or "asset"


def assets_for(facts, flow, profile) -> list:
    """The tenant assets one copy each of this flow is written for ([]: one copy for all)."""
    from connectflow.catalogue import is_destination_variable
    from connectflow.patch.channels import condition_channel

    entries = profile.assets.entries
    if facts.cce_event or (facts.trigger_key or "").startswith("webhook:"):
        if facts.destinations is None:
            return []
        channels = []
        for condition in flow.trigger.effective_conditions:
            if is_destination_variable(condition.variable) and condition.operator == "equals":
                owner = profile.assets.owning(str(condition.value))
                channel = owner.channel if owner else condition_channel(flow, condition)
                if channel and channel not in channels:
                    channels.append(channel)
        found = [a for c in channels for a in entries(c)]
        if facts.cce_event == "CLOSED":
            found = [a for a in found if a.channel != "livechat" or a.webcallback == facts.webcallback_closed]
        return found
    if facts.channel and facts.identity:
        found = entries(facts.channel)
        if facts.channel == "livechat":
            found = [a for a in found if a.webcallback == facts.webcallback]
        return found
    return []


def _choose(flow, profile, asset):
    """For the copy of ``asset``: its own destination condition (the first of its channel) alone."""
    from connectflow.catalogue import is_destination_variable, placeholder_channel
    from connectflow.patch.channels import condition_channel

    channel_of = {}
    for condition in flow.trigger.effective_conditions:
        if is_destination_variable(condition.variable):
            value = str(condition.value)
            owner = profile.assets.owning(value)
            channel_of[value] = owner.channel if owner else (placeholder_channel(value)
                                                              or condition_channel(flow, condition))
    mine = next((v for v, channel in channel_of.items() if channel == asset.channel), None)
    return lambda value: [asset.id] if value == mine else []


def _sms_number(flow, asset) -> list[Patch]:
    """The SMS Start's number (``start_node_info.extras``) of an SMS asset's copy."""
    from connectflow.model import as_text
    from connectflow.patch import values
    from connectflow.patch.document import expanded, get

    if asset.channel != "sms" or flow.trigger is None:
        return []
    document, patches = expanded(flow.raw), []
    for key, prefix in SMS_NUMBER_KEYS:
        pointer = f"{flow.trigger.pointer}/extras/{key}"
        try:
            old = get(document, pointer)
        except KeyError:
            continue
        new = values.coerce(old, prefix + asset.id, pointer) if not prefix else prefix + asset.id
        if as_text(old) != as_text(new):
            patches.append(Patch(pointer, old, new, f"SMS Start number ({key})", flow.start.id if flow.start else None,
                                 setting="sms_sender"))
    return patches


def copy_sms_asset(profile, asset):
    """The SMS asset whose values one copy carries: its own asset when that is an SMS asset,
    else the tenant's first (it stands for SMS branches the copy never takes, as in ``narrowed``)."""
    if asset.channel == "sms":
        return asset
    return next(iter(profile.assets.entries("sms")), None)


def _sms_sender(flow, profile, asset, given: str | None) -> list[Patch]:
    """The SMS asset's ``sender_id`` in the copy's Send SMS nodes, where the template's SMS
    number or sender id is. Only the send nodes: the SMS Start, Receive nodes and a webhook's
    sample payload name the number customers write to, which a sender id cannot receive on
    (the plan gives them the asset's number). ``given`` (--sms-sender) is one sender for
    every copy, as asked; a profile's ``[channel] sms_sender`` is that for copies of other
    channels' assets."""
    from connectflow import names
    from connectflow.patch import values
    from connectflow.template_values import occurrences, replaced

    sms = copy_sms_asset(profile, asset)
    if given is not None or sms is None or not sms.sender_id:
        return []
    if sms is not asset and profile.channel.sms_sender:
        return []
    patches = []
    for occurrence in occurrences(flow):
        node = flow.nodes.get(occurrence.node_id) if occurrence.node_id else None
        if occurrence.entry.kind not in SENDER_KINDS or node is None or names.kind_name(node) != "Send SMS":
            continue
        values.check_sender(sms.sender_id)
        new = (sms.sender_id if values.kind(occurrence.stored) == "number" and not sms.sender_id.isdigit()
               # an alphanumeric sender id is a string where the template had a number (gallery: "CONNCT")
               else replaced(occurrence.stored, occurrence.entry, sms.sender_id))
        patches.append(Patch(occurrence.pointer, occurrence.stored, new,
                             f"SMS sender id of asset {sms.label} (was the template's {occurrence.entry.value})",
                             node.id, ("CF230",), setting="sms_sender"))
    return patches


def narrowed(profile, asset):
    """The profile as one asset's copy sees it: that asset alone, its own values over [channel]."""
    from connectflow.profile import Assets, Channel

    own = profile.asset_settings(asset)
    if asset.channel == "sms":  # where its copy listens (Receive nodes, sample payloads): its own number
        own["sms_sender"] = asset.id
    channel = Channel(**{**profile.channel.model_dump(), **{k: v for k, v in own.items() if k != "app_id"}})
    # Its own channel: the asset alone. Other channels keep their first asset, so that values a
    # copy carries for a branch it never takes (an SMS sender in a Live Chat copy) are still the tenant's.
    others = {}
    for item in profile.assets.entries():
        if item.channel != asset.channel:
            others.setdefault(item.channel, item)
    records = [asset, *others.values()]
    assets = Assets().model_copy(update={**{a.channel: [a.id] for a in records}, "records": records})
    view = profile.model_copy(update={"assets": assets, "channel": channel})
    view.path = profile.path
    return view


def prepare_copy(path: str, raw: bytes, source, asset, settings: Settings, profile, registry) -> Patched:
    """One asset's copy: its conditions and SMS number, then the ordinary plan with the narrowed profile."""
    from connectflow.load import LoadError
    from connectflow.model import build_flow
    from connectflow.patch.apply import ApplyError
    from connectflow.patch.conditions import rewrite
    from connectflow.patch.run import staged
    from connectflow.patch.plan import PlanError, plan
    from connectflow.patch.values import ValueRefused
    from connectflow.patch.verify import VerifyError, verify

    flow = build_flow(source.data)
    view = narrowed(profile, asset)
    own = profile.asset_settings(asset)
    wanted = Settings(**{**settings.__dict__, "channel": tuple(own.items()) + settings.channel})
    given_sender = dict(settings.catalogue).get("sms_sender")  # --sms-sender
    try:
        first = [*rewrite(flow, _choose(flow, profile, asset), f"start condition of asset {asset.label}"),
                 *_sms_number(flow, asset), *_sms_sender(flow, profile, asset, given_sender)]
        text, patches, planned = staged(path, source, first,
                                        lambda middle: plan(middle, _only_present(wanted, middle), view, path))
        changes = verify(source, text, patches, registry, view) if patches else []
    except (PlanError, ApplyError, VerifyError, ValueRefused, LoadError) as err:
        raise PatchError(f"{path} (asset {asset.label}): {err}") from None
    output = raw if not patches else (b"\xef\xbb\xbf" if source.bom else b"") + text.encode("utf-8")
    return Patched(str(path), raw, output, source.text, text, patches, changes, planned.notes)


def _only_present(settings: Settings, flow) -> Settings:
    """The asset's own values only where the flow has the variable (an asset value is no request)."""
    from connectflow.patch.plan import CHANNEL_VARIABLES

    kept = tuple((k, v) for k, v in settings.channel if any(flow.variable(n) for n in CHANNEL_VARIABLES[k]))
    return Settings(**{**settings.__dict__, "channel": kept})


def prepare_per_asset(paths: list[str], settings: Settings, profile_path: str | None, output: str | None
                      ) -> list[Copy]:
    """Every copy of every flow, read, planned and verified; nothing is written. Raises PatchError."""
    from connectflow.lint.bundle import facts_of
    from connectflow.lint.context import Context
    from connectflow.lint.registry import builtin_registry
    from connectflow.lint.yaml_rules import RuleFileError
    from connectflow.patch.run import prepare
    from connectflow.profile import ProfileError, load_profile

    if not profile_path:
        raise PatchError("--per-asset needs --profile: the assets come from the tenant profile")
    if not output:
        raise PatchError("--per-asset writes one file per asset: give the folder with -o DIR")
    if settings.asset_ids or any(k == "app_id" for k, _ in settings.channel):
        raise PatchError("--per-asset takes each asset's id from the profile: leave out --asset-id and --app-id")
    try:
        profile = load_profile(profile_path)
        registry = builtin_registry()
    except (ProfileError, RuleFileError) as err:
        raise PatchError(str(err)) from None
    copies: list[Copy] = []
    for path in paths:
        raw, source = read(path)
        context = Context(source, profile)
        stem = Path(path).name.removesuffix(".json")
        assets = assets_for(facts_of(context), context.flow, profile)
        if not assets:
            patched, _ = prepare(path, settings, profile, registry)
            copies.append(Copy(path, None, Path(path).name, patched))
        for asset in assets:
            patched = prepare_copy(path, raw, source, asset, settings, profile, registry)
            copies.append(Copy(path, asset, f"{stem}--{file_label(asset.label)}.json", patched))
    names = [c.name for c in copies]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise PatchError(f"-o {output}: two outputs would be named {twice[0]}; give the assets distinct names")
    return copies


def run_per_asset(paths: list[str], settings: Settings, profile_path: str | None, output: str | None,
                  diff: bool = False, check: bool = False):
    """Prepare every copy, then write them all into ``output`` (atomically, each); with
    ``diff`` or ``check`` write nothing and compare instead (``compare``)."""
    from connectflow.patch.run import Outcome, _count
    from connectflow.patch.write import write_atomic

    copies = prepare_per_asset(paths, settings, profile_path, output)
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise PatchError(f"-o {output}: --per-asset needs a folder, and this is a file")
    if diff or check:
        return compare(copies, folder, diff, check)
    outcome = Outcome()
    for item in copies:
        target = folder / item.name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_atomic(str(target), item.patched.output)
        except OSError as err:
            raise PatchError(f"{target}: cannot write ({err.strerror or err})") from None
        outcome.messages += [f"{item.path}: note: {note}" for note in item.patched.notes]
        outcome.messages.append(f"patched {item.path}{_who(item)}: {_count(item.patched.changes)} changed -> {target}")
    return outcome


def _who(item: Copy) -> str:
    return f" for {item.asset.channel} asset {item.asset.label}" if item.asset else " (no asset-specific value)"


def compare(copies: list[Copy], folder: Path, diff: bool, check: bool):
    """What ``--per-asset -o DIR`` would do, writing nothing. ``diff``: each copy's unified diff
    from its flow, with the summary (as ``patch --diff``). ``check``: exit 1 when a copy is
    missing from DIR or differs from the file there (a CI gate: the committed copies are
    what the flows and the profile give)."""
    from connectflow.load.reader import read_regular
    from connectflow.patch.run import Outcome, _count, _masked, summary, unified_diff

    outcome, pending, text = Outcome(), [], []
    for item in copies:
        target = folder / item.name
        outcome.messages += [f"{item.path}: note: {note}" for note in item.patched.notes]
        if diff and item.patched.patches:
            text.append(unified_diff(item.patched, str(target)) + "\n".join(summary(item.patched)) + "\n")
        try:
            current = read_regular(target) if target.exists() else None
        except OSError as err:
            raise PatchError(f"{target}: cannot read ({err.strerror or err})") from None
        if current == item.patched.output:
            outcome.messages.append(f"{target}: up to date")
        elif check:
            pending.append(item)
            state = "missing" if current is None else "differs"
            outcome.messages.append(f"would write {target}{_who(item)} ({state}; "
                                    f"{_count(item.patched.changes)} changed from {item.path})")
    if diff:
        outcome.stdout = _masked("".join(text), [c.patched for c in copies]).encode("utf-8")
    if check:
        outcome.exit_code = 1 if pending else 0
    return outcome
