from connectflow.catalogue import catalogue
from connectflow.lint.checks._prebuilt import shown
from connectflow.lint.registry import rule
from connectflow.model import as_text
from connectflow.refs import Kind
from connectflow.settings import flow_variables, setting

VARIABLES = setting("variables")


def _fix(name: str) -> str:
    # Under a profile that holds the value, lint.hints names `patch --profile` instead.
    return f"set it in Flow settings > Custom Variables, or: connectflow patch --set-var {name}=VALUE"


@rule("CF215", "tenant-variable", "error")
def check(ctx):
    """A custom variable that carries a tenant value is empty, or not the profile's value.

    Cisco's templates leave some tenant values in plain custom variables: the CCE task
    nodes send ``$(domain)``, "the finesse public accessible domain name", and the
    templates ship it empty (catalogue.toml ``tenant_variables``). Such a variable
    that a prebuilt node sends, that is empty and that nothing in the flow sets (no
    Evaluate script, no transition action) reaches the service empty. With a tenant profile, every variable its
    ``[variables]`` table names for this flow (plain keys for every flow, tables
    keyed by a flow-stem glob) must hold that value. Set the variable in the flow's
    settings, or list it under ``[variables]`` and run ``connectflow patch --profile``.
    """
    wanted = flow_variables(ctx.profile, ctx.source.path)
    for name, value in wanted.items():
        variable = ctx.flow.variable(name)
        if variable is not None and as_text(variable.value) != value:
            yield ctx.issue(variable.value_pointer,
                            f"custom variable {name} is {shown(variable.value)}, not the tenant's {value} "
                            f"(profile {VARIABLES.profile}.{name})", fix=_fix(name))
    sent: dict[str, str] = {}
    for ref in ctx.references:
        if ref.kind is Kind.CUSTOM and ref.where == "param" and ref.node_id is not None:
            node = ctx.flow.nodes.get(ref.node_id)
            if node is not None and node.tag == "prebuiltnode":
                sent.setdefault(ref.body.strip(), node.title)
    tenant_variables = catalogue()["tenant_variables"]
    for name, node_title in sent.items():
        variable = ctx.flow.variable(name)
        if (variable is None or name not in tenant_variables or name in wanted or name in ctx.reference_scope.assigned
                or as_text(variable.value).strip() != ""):
            continue
        yield ctx.issue(variable.value_pointer,
                        f"custom variable {name} is empty and nothing in the flow sets it; {node_title} sends it "
                        f"as {tenant_variables[name]}",
                        fix=_fix(name))
