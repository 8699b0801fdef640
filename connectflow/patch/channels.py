"""Which channel's tenant asset a start condition or a flow is for (used with a profile).

A profile lists assets per channel (``[assets] livechat = [...]``); to pick one
for a template sample, patch has to tell the channel from the flow.
"""

from __future__ import annotations

from connectflow.model import Flow, as_text

# Which asset channel a start condition is for, told by its variable's namespace ...
_VARIABLE_CHANNEL = {"inappmessaging": "livechat", "sms": "sms", "email": "email", "messenger": "messenger",
                     "whatsapp": "whatsapp", "abc": "apple"}
# ... by the template sample it still holds (catalogue.toml lists where each comes from) ...
# (a_638296118145560000 sits with wxccengage@gmail.com in the Resolve Conversation doc's samples;
# the CCE samples use it as the Email asset.)
_SAMPLE_CHANNEL = {"CI12124933": "livechat", "IM28095016": "livechat", "LI07154615": "livechat",
                   "447418369300": "sms", "a_638838409917150000": "messenger",
                   "a_173200067561504200": "whatsapp", "wxccengage@gmail.com": "email",
                   "a_638296118145560000": "email"}
# ... by the flow's own channel (start_node_info.channel of channel flows) ...
_FLOW_CHANNEL = {"1": "sms", "15": "livechat", "19": "email", "5": "messenger", "23": "apple"}
# ... or by a webex.mediaChannel condition next to it (WxCC task events).
_MEDIA_CHANNEL = {"web": "livechat", "chat": "livechat", "livechat": "livechat", "sms": "sms", "email": "email",
                  "facebook": "messenger", "messenger": "messenger", "whatsapp": "whatsapp",
                  "applebusinesschat": "apple", "apple": "apple"}
# The channel a flow's asset variables belong to (for appid from the profile).
_VARIABLE_OWNER = {"FBpageid": "messenger", "WANumber": "whatsapp", "liveChatDomain": "livechat",
                   "bizemailid": "email"}


def condition_channel(flow: Flow, condition) -> str | None:
    """The channel of the asset ``condition`` filters on, or None when it cannot be told."""
    namespace = condition.variable.split(".", 1)[0]
    if namespace in _VARIABLE_CHANNEL:
        return _VARIABLE_CHANNEL[namespace]
    if as_text(condition.value) in _SAMPLE_CHANNEL:
        return _SAMPLE_CHANNEL[as_text(condition.value)]
    trigger = flow.trigger
    if trigger is not None and not trigger.is_event_flow and trigger.channel in _FLOW_CHANNEL:
        return _FLOW_CHANNEL[trigger.channel]
    for other in trigger.effective_conditions if trigger else []:
        if other.variable.endswith(".mediaChannel") and other.operator == "equals":
            return _MEDIA_CHANNEL.get(as_text(other.value).lower())
    return None


def flow_channels(flow: Flow) -> set[str]:
    """The channels a flow's asset variables and trigger belong to (one, when it can be told)."""
    channels = {owner for name, owner in _VARIABLE_OWNER.items() if flow.variable(name)}
    if flow.trigger is not None and flow.trigger.channel in _FLOW_CHANNEL:
        channels.add(_FLOW_CHANNEL[flow.trigger.channel])
    return channels
