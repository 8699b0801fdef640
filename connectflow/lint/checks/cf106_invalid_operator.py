from connectflow.lint.registry import rule
from connectflow.load.locate import child
from connectflow.model import ALLOWED_OPERATORS, as_text


@rule("CF106", "invalid-operator", "error")
def check(ctx):
    """A start condition uses an operator the platform does not know.

    Start conditions accept only ``equals``, ``notequals``, ``in``, ``contains``,
    ``notin``, ``equalsignorecase``, ``startswith``, ``endswith``, ``regex`` and
    ``containsignorecase`` (lower case, as the editor writes them). Any other operator,
    usually from a hand edit (``Equals``, ``==``, ``not_equals``), is rejected on upload
    or never matches. Use one of the allowed operators in all three stored copies.
    Each distinct condition is reported once, at its first copy.
    """
    trigger = ctx.flow.trigger
    if trigger is None:
        return
    seen = set()
    for condition in trigger.all_copies:
        if condition.operator in ALLOWED_OPERATORS or not (
                condition.variable or condition.operator or as_text(condition.value)):
            continue  # allowed, or a blank row
        key = (condition.variable, condition.operator, as_text(condition.value))
        if key in seen:
            continue
        seen.add(key)
        field = next((k for k in ("opr", "operator") if k in condition.raw), None)
        yield ctx.issue(child(condition.pointer, field) if field else condition.pointer,
                        f"start condition {condition.variable} uses operator {condition.operator!r}, "
                        f"not one of {', '.join(ALLOWED_OPERATORS)}",
                        node=ctx.flow.start, fix="use one of the allowed operators")
