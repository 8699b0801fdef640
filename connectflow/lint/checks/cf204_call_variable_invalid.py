from connectflow.lint.checks._task_variables import (
    CALL, CALL_VARIABLE, byte_length, first_of_each, of_kind)
from connectflow.lint.registry import rule

CALL_MAX_BYTES = 40


@rule("CF204", "call-variable-invalid", "error")
def check(ctx):
    """A CCE call variable has an invalid key or a literal value over 40 bytes.

    CCE has ten call variables (Peripheral Variables 1 to 10), named ``cv_1`` to
    ``cv_10`` in the Digital Routing payload, of 40 bytes each. A call variable keyed
    otherwise (``cv_0``, ``cv_11``, ``CV_1``, ``PV1``) is not delivered, and a longer
    value is rejected or truncated. Use ``cv_1``..``cv_10``, pass longer data in an
    ECC (``user_...``) variable, or shorten the value. Lengths are counted in UTF-8
    bytes; values with a ``$(...)`` reference are not checked.
    """
    variables = of_kind(ctx, CALL)
    for variable in first_of_each(variables):
        if not CALL_VARIABLE.match(variable.name):
            yield ctx.issue(variable.key_pointer,
                            f"call variable key {variable.name!r} is not one of cv_1..cv_10",
                            node=variable.node, fix="use a key cv_1..cv_10, or an ECC variable (user_...)")
    for variable in first_of_each(variables, by_value=True):
        text = variable.literal
        if text is None or variable.value_pointer is None:
            continue
        size = byte_length(text)
        if size > CALL_MAX_BYTES:
            yield ctx.issue(variable.value_pointer,
                            f"call variable {variable.name} value is {size} bytes, over {CALL_MAX_BYTES}",
                            node=variable.node, fix="shorten the value, or pass it in an ECC variable")
