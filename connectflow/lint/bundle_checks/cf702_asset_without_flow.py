from functools import lru_cache

from connectflow.lint.bundle import CCE_CHANNELS, asset_label, related
from connectflow.lint.finding import BundleIssue, Location
from connectflow.lint.registry import bundle_rule


@lru_cache(maxsize=8)
def _profile_lines(path: str) -> tuple[str, ...]:
    try:
        with open(path, encoding="utf-8") as handle:
            return tuple(handle.read().splitlines())
    except OSError:
        return ()


def _asset_location(profile, asset) -> Location:
    """The asset's line in the profile (TOML has no pointers: the line that first names its id)."""
    path = profile.path or "connectflow.toml"
    pointer = f"/assets/{asset.channel}/{profile.assets.entries(asset.channel).index(asset)}"
    for number, line in enumerate(_profile_lines(path), start=1):
        column = line.find(f'"{asset.id}"')
        if column >= 0 and not line.lstrip().startswith("#"):
            return Location(path, pointer, line=number, column=column + 1)
    return Location(path, pointer)


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
    inbound = [f for f in bundle.flows if f.trigger_key and f.trigger_key.startswith("inbound:") and f.channel]
    events: dict[str, list] = {}
    for facts in bundle.flows:
        if facts.cce_event:
            events.setdefault(facts.cce_event, []).append(facts)
    for asset in profile.assets.entries():
        ids = asset.ids()
        label = asset_label(asset.channel, asset.id, asset.name)
        mine = [f for f in inbound if f.channel == asset.channel]
        if mine and not any(f.is_for(ids) or not f.identity for f in mine):
            yield BundleIssue(_asset_location(profile, asset), f"{label} has no inbound flow in the set",
                              fix="add a flow for the asset: connectflow patch --per-asset --profile ... FLOW",
                              related=tuple(related(f.trigger, f"{asset.channel} inbound flow of another asset")
                                            for f in mine))
        elif not mine and inbound:
            yield BundleIssue(_asset_location(profile, asset), f"{label} has no inbound flow in the set (no "
                              f"{asset.channel} inbound flow at all)",
                              fix="add the channel's inbound flow for the asset")
        if asset.channel not in CCE_CHANNELS:
            continue
        for event, flows in sorted(events.items()):
            if not any(f.serves(ids) for f in flows):
                yield BundleIssue(_asset_location(profile, asset), f"{label} is not covered by any {event} flow",
                                  fix=f"add the asset's id to a {event} flow's destination conditions",
                                  related=tuple(related(f.trigger, f"{event} flow without {asset.id}")
                                                for f in flows))
