from connectflow.lint.checks._task_variables import ECC, first_of_each, of_kind
from connectflow.lint.registry import rule
from connectflow.profile_lookup import normalize_ecc_name


@rule("CF201", "ecc-not-defined", "error")
def check(ctx):
    """The flow passes an ECC variable that the tenant profile does not define.

    ECC (Expanded Call Context) variables, the ``user_...`` keys a CCE Create Task
    node sends as user variables, must be defined in CCE and added to its Digital
    Channel Settings before the flow runs; CCE does not carry an unknown one. With a
    tenant profile, every ECC variable the flow passes must be listed in its ``[ecc]``
    table (``variables`` or an ``import`` of CCE's expanded-call-variable list).
    Define the variable in CCE and the profile, or correct the key. Reported once per
    node and variable, at its first settings copy.
    """
    if ctx.profile is None:
        return
    defined = ctx.profile.ecc_variables()
    for variable in first_of_each(of_kind(ctx, ECC)):
        if normalize_ecc_name(variable.name) in defined:
            continue
        hint = "" if variable.name.startswith("user_") else " (ECC variable names start with user_)"
        yield ctx.issue(variable.key_pointer,
                        f"ECC variable {variable.name} is not defined in the tenant profile's [ecc]{hint}",
                        node=variable.node,
                        fix="define it in CCE and list it in the profile's [ecc], or correct the key")
