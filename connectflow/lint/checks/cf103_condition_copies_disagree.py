from collections import Counter

from connectflow.lint.registry import rule
from connectflow.load.locate import child
from connectflow.model import as_text

COPY_NAMES = {"start_node_info": "start_node_info.conditions", "apiReqConditions": "Start param apiReqConditions",
              "conditions": "Start param conditions"}


def _key(condition) -> tuple[str, str, str]:
    return condition.variable, condition.operator, as_text(condition.value)


def _show(key: tuple[str, str, str]) -> str:
    return " ".join(key)


@rule("CF103", "condition-copies-disagree", "warning")
def check(ctx):
    """The three stored copies of the start conditions do not agree.

    The editor stores start conditions three times: ``start_node_info.conditions``
    (what the platform applies), the Start node's ``apiReqConditions`` param, and its
    ``conditions`` param (the UI groups). A hand edit or a partial patch that changes
    one copy leaves the flow showing one filter in the editor and applying another,
    and the next save in the editor may write the stale copy back. Make all three
    list the same variable, operator and value (an edit by hand or by a tool must
    change all three), or re-save the conditions in the editor.
    """
    trigger, start = ctx.flow.trigger, ctx.flow.start
    if trigger is None or start is None or not trigger.conditions_enabled:
        return
    copies = {"start_node_info": trigger.info_conditions, "apiReqConditions": None, "conditions": None}
    where = {"start_node_info": child(trigger.pointer, "conditions")}
    for name, attr in (("apiReqConditions", "api_conditions"), ("conditions", "ui_conditions")):
        param = start.param(name)
        if param is not None:
            copies[name] = getattr(trigger, attr)
            where[name] = param.text_pointer
    reference_name = "start_node_info" if trigger.info_conditions is not None else "apiReqConditions"
    reference = copies[reference_name]
    if reference is None:
        return
    reference_keys = Counter(_key(c) for c in reference)
    shown = COPY_NAMES[reference_name]
    for name, conditions in copies.items():
        if name == reference_name:
            continue
        if conditions is None:
            pointer = trigger.pointer if name == "start_node_info" else start.pointer
            message = (f"{COPY_NAMES[name]} is missing while the conditions are on"
                       f" ({shown} has {len(reference)})")
            yield ctx.issue(pointer, message, node=start)
            continue
        extra = Counter(_key(c) for c in conditions) - reference_keys
        missing = reference_keys - Counter(_key(c) for c in conditions)
        if not extra and not missing:
            continue
        if extra:
            odd = next(c for c in conditions if extra[_key(c)])
            same = next((k for k in missing if k[:2] == _key(odd)[:2]), None)
            if same is not None:
                pointer = odd.value_pointer
                message = (f"{COPY_NAMES[name]} has {_show(_key(odd))} where {shown} has value {same[2]!r}")
            else:
                pointer = odd.pointer
                message = f"{COPY_NAMES[name]} has {_show(_key(odd))}, which {shown} does not list"
        else:
            pointer = where[name]
            message = f"{COPY_NAMES[name]} lacks {', '.join(_show(k) for k in missing)} (listed in {shown})"
        yield ctx.issue(pointer, message, node=start, fix="make the three copies list the same conditions")
