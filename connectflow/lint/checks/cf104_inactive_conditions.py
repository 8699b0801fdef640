from connectflow.lint.registry import rule
from connectflow.model import as_text


def _has_data(condition) -> bool:
    return bool(condition.variable.strip() or as_text(condition.value).strip())


@rule("CF104", "inactive-conditions", "warning")
def check(ctx):
    """The Start node holds condition data while start conditions are off.

    With the conditions checkbox off (no ``start_node_info.conditions`` and no
    ``ruleConditionStatus: true``) the flow runs for every event, yet the Start
    node's ``apiReqConditions``/``conditions`` params still hold conditions, such as
    the Email Inbound template's leftover ``email.from notequals ...``. Whoever reads
    the flow, or turns the checkbox on later, gets a filter nobody meant. Remove the
    leftover conditions, or turn the conditions on if the flow should be filtered.
    """
    trigger, start = ctx.flow.trigger, ctx.flow.start
    if trigger is None or start is None or trigger.conditions_enabled:
        return
    for name, conditions in (("apiReqConditions", trigger.api_conditions), ("conditions", trigger.ui_conditions)):
        leftover = [c for c in conditions if _has_data(c)]
        if leftover:
            listed = "; ".join(f"{c.variable} {c.operator} {as_text(c.value)}" for c in leftover)
            yield ctx.issue(start.param(name).text_pointer,
                            f"start conditions are off, but the Start node still holds conditions ({listed})",
                            node=start, fix="remove the leftover conditions, or turn the start conditions on")
            return
