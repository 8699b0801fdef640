import re

from connectflow.lint.checks._task_variables import ECC, of_kind
from connectflow.lint.registry import rule
from connectflow.profile_lookup import normalize_ecc_name


@rule("CF202", "ecc-variables-required", "info")
def check(ctx):
    """Lists the ECC variables the flow needs defined in CCE (when no profile is given).

    CCE only carries ECC (``user_...``) variables that are defined in CCE and added to
    its Digital Channel Settings, before the flow is imported and tried end to end.
    Without a tenant profile connectflow cannot check them (CF201 does, with one), so
    it lists them once per flow, at the first use. Define them in CCE, or give a
    profile with an ``[ecc]`` table to have them checked.
    """
    if ctx.profile is not None:
        return
    variables = of_kind(ctx, ECC)
    if not variables:
        return
    names = sorted({normalize_ecc_name(v.name) for v in variables})
    # First by node id and pointer, not by cell or key order: a re-export keeps the finding in place.
    first = min(variables, key=lambda v: (len(v.node.id), v.node.id,
                                          re.sub(r"\d+", lambda m: m.group().zfill(9), v.key_pointer)))
    yield ctx.issue(first.key_pointer,
                    f"the flow passes {len(names)} ECC variable{'s' if len(names) != 1 else ''} that must be "
                    f"defined in CCE: {', '.join(names)}",
                    node=first.node, fix="define them in CCE, or lint with a profile that lists them in [ecc]")
