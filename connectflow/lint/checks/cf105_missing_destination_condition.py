from connectflow.catalogue import asset_channel, is_destination_variable
from connectflow.lint.registry import rule


@rule("CF105", "missing-destination-condition", "warning")
def check(ctx):
    """An event or webhook flow has no destination condition in a tenant with several assets.

    Webhook and event flows (CCE ROUTED/CLOSED..., WxCC Task Routed/Closed...) receive
    the events of every asset. When the tenant has more than one asset (of the flow's
    channel, or in total when the flow serves all channels), a flow without a start
    condition on the destination runs for all of them, so the same event triggers
    several flows. Add a condition such as ``webex.destination equals <App ID>`` (or
    ``inboundWebhook.destination``), one flow per asset; a tenant with a single asset
    may leave it out. Only events that carry a destination (a Start output such as
    ``webex.destination``) are checked: a generic inbound webhook has none.
    """
    trigger, profile = ctx.flow.trigger, ctx.profile
    start = ctx.flow.start
    if trigger is None or start is None or profile is None or not trigger.is_event_flow:
        return
    if not any(is_destination_variable(name) for name in start.output_names):
        return  # the event carries no destination (a generic inbound webhook): nothing to filter on
    if any(is_destination_variable(c.variable) for c in trigger.effective_conditions):
        return
    channel = asset_channel(trigger_channel=trigger.channel)
    assets = set(getattr(profile.assets, channel)) if channel else profile.assets.all()
    if len(assets) > 1:
        state = "has no destination condition" if trigger.conditions_enabled else "has no start conditions"
        yield ctx.issue(trigger.pointer,
                        f"event flow {trigger.event_name or trigger.subtype or trigger.channel} {state}, "
                        f"but the tenant has {len(assets)} {channel + ' ' if channel else ''}assets: "
                        "every asset's events start it",
                        node=start, fix="add a start condition on the destination (one flow per asset)")
