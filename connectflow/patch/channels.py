"""Which channel's tenant asset a start condition or a flow is for (used with a profile).

A profile lists assets per channel (``[assets] livechat = [...]``); to pick one
for a template sample, patch has to tell the channel from the flow. The tables
are the catalogue's (``[asset_channels.*]``, ``[placeholder_destinations]``),
which lint's CF102/CF105 read too.
"""

from __future__ import annotations

from connectflow.catalogue import asset_channel, asset_channels, placeholder_channel
from connectflow.model import Flow, as_text


def condition_channel(flow: Flow, condition) -> str | None:
    """The channel of the asset ``condition`` filters on, or None when it cannot be told:
    from its variable, its template sample value, the flow's channel, or a mediaChannel condition."""
    found = asset_channel(condition.variable) or placeholder_channel(as_text(condition.value))
    if found:
        return found
    trigger = flow.trigger
    if trigger is not None and not trigger.is_event_flow and (found := asset_channel(trigger_channel=trigger.channel)):
        return found
    for other in trigger.effective_conditions if trigger else []:
        if other.variable.endswith(".mediaChannel") and other.operator == "equals":
            return asset_channels("media_channel").get(as_text(other.value).lower())
    return None


def flow_channels(flow: Flow) -> set[str]:
    """The channels a flow's asset variables and trigger belong to (one, when it can be told)."""
    channels = {owner for name, owner in asset_channels("variable").items() if flow.variable(name)}
    if flow.trigger is not None and (found := asset_channel(trigger_channel=flow.trigger.channel)):
        channels.add(found)
    return channels
