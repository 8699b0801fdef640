import re
from functools import lru_cache

from connectflow.lint.bundle import CCE_CHANNELS, asset_label, related
from connectflow.lint.finding import BundleIssue, Location
from connectflow.lint.registry import bundle_rule


MAX_RELATED = 20  # related locations listed per finding (the flows of the channel or event)


@lru_cache(maxsize=8)
def _profile_lines(path: str) -> dict[str, int]:
    """Quoted value -> (line, column) of its first mention in the profile text (TOML has no pointers)."""
    found: dict[str, tuple[int, int]] = {}
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return found
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("#"):
            continue
        for match in re.finditer(r'"([^"\\]*)"', line):
            found.setdefault(match.group(1), (number, match.start() + 1))
    return found


def _asset_location(profile, asset, position: int) -> Location:
    path = profile.path or "connectflow.toml"
    line, column = _profile_lines(path).get(asset.id, (None, None))
    return Location(path, f"/assets/{asset.channel}/{position}", line=line, column=column)


@bundle_rule("CF702", "asset-without-flow", "error")
def check(bundle):
    """A tenant asset has no inbound flow of its channel, or a CCE event flow of the set does not cover it.

    Each inbound flow "needs to be configured separately for each SMS number/Sender ID"
    (likewise each Email, Live Chat, Messenger and WhatsApp asset): with a tenant
    profile, every asset in ``[assets]`` needs an inbound flow of its channel whose own
    values (``appid``, the SMS number, ``bizemailid``, ...) name it. And every CCE event
    the set handles (CREATED, QUEUED, ROUTED, CLOSED, TRANSFERRED) must fire for every
    SMS, Live Chat and Email asset: some flow of that event has its id among the
    destination conditions, or has none. Reported on the profile's ``[assets]`` with the
    flows of the channel or event as related locations. Add the missing flow
    (``connectflow patch --per-asset``) or the asset's destination condition.
    """
    profile = bundle.profile
    if profile is None:
        return
    from connectflow.lint.bundle import Index

    # Per channel, per inbound trigger: a flow of another event (Live Chat's thread-closed flow,
    # which names no asset and so fires for all) is not the asset's message flow.
    inbound: dict[str, dict[str, Index]] = {}
    events: dict[str, Index] = {}
    for facts in bundle.flows:
        if facts.trigger_key and facts.trigger_key.startswith("inbound:") and facts.channel:
            inbound.setdefault(facts.channel, {}).setdefault(facts.trigger_key, Index()).add(facts)
        if facts.cce_event:
            events.setdefault(facts.cce_event, Index(keys=_destinations)).add(facts)
    sole_asset_values = _sole_asset_values(profile)
    positions: dict[str, int] = {}
    for asset in profile.assets.entries():
        position = positions[asset.channel] = positions.get(asset.channel, -1) + 1
        ids = {i.lower() for i in asset.ids() | sole_asset_values.get(asset.channel, set())}
        label = asset_label(asset.channel, asset.id, asset.name)
        mine = inbound.get(asset.channel)
        for flows in (mine or {}).values():
            if not flows.matching(ids):
                trigger = flows.flows[0].trigger_label
                yield BundleIssue(_asset_location(profile, asset, position),
                                  f"{label} has no inbound flow in the set ({trigger})",
                                  fix="add a flow for the asset: connectflow patch --per-asset --profile ... FLOW",
                                  related=tuple(related(f.trigger, f"{trigger} flow of another asset")
                                                for f in flows.flows[:MAX_RELATED]))
        if mine is None and inbound:
            yield BundleIssue(_asset_location(profile, asset, position), f"{label} has no inbound flow in the set (no "
                              f"{asset.channel} inbound flow at all)",
                              fix="add the channel's inbound flow for the asset")
        if asset.channel not in CCE_CHANNELS:
            continue
        for event, flows in sorted(events.items()):
            if not flows.matching(ids):
                yield BundleIssue(_asset_location(profile, asset, position), f"{label} is not covered by any {event} flow",
                                  fix=f"add the asset's id to a {event} flow's destination conditions",
                                  related=tuple(related(f.trigger, f"{event} flow without {asset.id}")
                                                for f in flows.flows[:MAX_RELATED]))


def _destinations(facts):
    return None if facts.destinations is None else {d.value.lower() for d in facts.destinations}


def _sole_asset_values(profile) -> dict[str, set[str]]:
    """Per channel with a single asset: the [channel] values (bizemailid, FBpageid, WANumber) that name it.

    The channel's assets are counted once here, not once per asset: per asset, the count
    made the pass quadratic in the size of the set."""
    from collections import Counter

    from connectflow.profile import ASSET_SETTING

    assets_per_channel = Counter(asset.channel for asset in profile.assets.entries())
    found: dict[str, set[str]] = {}
    for key, (channel, field) in ASSET_SETTING.items():
        value = getattr(profile.channel, key)
        if assets_per_channel[channel] == 1 and field != "domain" and value:
            found.setdefault(channel, set()).add(str(value))
    return found
