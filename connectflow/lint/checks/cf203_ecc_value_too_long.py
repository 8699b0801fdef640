from connectflow.lint.checks._task_variables import ECC, byte_length, first_of_each, of_kind
from connectflow.lint.registry import rule
from connectflow.profile_lookup import ECC_MAX_BYTES, normalize_ecc_name


@rule("CF203", "ecc-value-too-long", "error")
def check(ctx):
    """An ECC variable's literal value is longer than the variable allows.

    ECC variables hold at most 210 bytes, and each one at most the maximum length
    it is defined with in CCE (the profile's ``[ecc]`` ``max_length``, or the
    ``maximumLength`` of an imported list). CCE rejects or truncates a longer value.
    Lengths are counted in UTF-8 bytes; values with a ``$(...)`` reference are not
    checked. Shorten the value or raise the variable's maximum length in CCE.
    """
    limits = ctx.profile.ecc_variables() if ctx.profile is not None else {}
    for variable in first_of_each(of_kind(ctx, ECC), by_value=True):
        text = variable.literal
        if text is None or variable.value_pointer is None:
            continue
        limit = limits.get(normalize_ecc_name(variable.name), ECC_MAX_BYTES)
        size = byte_length(text)
        if size > limit:
            source = "its maximum length in the profile" if normalize_ecc_name(variable.name) in limits \
                else "the ECC maximum"
            yield ctx.issue(variable.value_pointer,
                            f"ECC variable {variable.name} value is {size} bytes, over {source} of {limit}",
                            node=variable.node, fix=f"shorten the value to {limit} bytes or less")
