from connectflow.catalogue import asset_channel, is_destination_variable, placeholder_destinations
from connectflow.lint.registry import rule
from connectflow.model import as_text, decode

MATCHING_OPERATORS = ("equals", "in", "equalsignorecase")


def condition_values(value, operator: str) -> list[str]:
    """The destination ids a condition value names: one, or for ``in`` a list (a JSON list
    or comma-separated text)."""
    value = decode(value)
    if operator != "in":
        items = [value]
    else:
        items = value if isinstance(value, list) else as_text(value).split(",")
    return [text for text in (as_text(item).strip() for item in items) if text]


@rule("CF102", "unknown-destination", "error")
def check(ctx):
    """A start condition filters on a destination that is not one of the tenant's assets.

    With a tenant profile, every destination a start condition accepts
    (``webex.destination``, ``inboundWebhook.destination``, ``inappmessaging.appId``,
    ``sms.serviceNumber`` ... with ``equals``, ``in`` or ``equalsignorecase``) must be one
    of the profile's ``[assets]``: those of the flow's channel when it can be told (from
    the variable or the trigger), else any. A destination from another tenant, a typo or
    an asset of another channel means no event ever matches and the flow never runs.
    Set the condition to the asset's App ID or service number, or add the asset to the
    profile. Template sample ids are reported by CF101 instead.
    """
    trigger, profile = ctx.flow.trigger, ctx.profile
    if trigger is None or profile is None:
        return
    samples = placeholder_destinations()
    for condition in trigger.effective_conditions:
        if not is_destination_variable(condition.variable) or condition.operator not in MATCHING_OPERATORS:
            continue
        if as_text(condition.value) in samples:
            continue  # CF101 reports it
        channel = asset_channel(condition.variable, trigger.channel)
        assets = set(getattr(profile.assets, channel)) if channel else profile.assets.all()
        if not assets:
            continue  # the profile says nothing about this channel's assets
        fold = condition.operator == "equalsignorecase"
        known = {a.lower() for a in assets} if fold else assets
        unknown = [v for v in condition_values(condition.value, condition.operator)
                   if "$(" not in v and (v.lower() if fold else v) not in known]
        if unknown:
            where = f"the tenant's {channel} assets" if channel else "the tenant's assets"
            named = ", ".join(unknown)
            said = f"start condition {condition.variable} {condition.operator} "
            said += f"{as_text(condition.value)}: {named}" if condition.operator == "in" else named
            yield ctx.issue(condition.value_pointer,
                            f"{said} is not one of {where} ({', '.join(sorted(assets))})",
                            node=ctx.flow.start,
                            fix="set the asset's App ID or service number, or add it to the profile's [assets]")
