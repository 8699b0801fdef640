from connectflow.copies import auth_name_copy, node_keys
from connectflow.lint.checks._prebuilt import auth_is_set, auth_parts, shown
from connectflow.lint.checks.cf301_missing_authorization import auth_hint
from connectflow.lint.registry import rule
from connectflow.model import as_text


@rule("CF303", "unknown-authorization", "warning")
def check(ctx):
    """A prebuilt node uses another authorization than the tenant profile gives it.

    With a tenant profile that lists ``[authorizations]`` (by integration id, node
    label, method name, group id or ``default``), each prebuilt node's
    authorization id must be the profile's, and the display name in
    ``viewmodeData`` must match the profile's name when it gives one: a leftover
    name from the authoring tenant (for example "WxCC Task Node Auth") beside
    your id means the node was edited by hand. Nodes without an authorization are
    CF301's; nodes the profile has no entry for are not checked. Fix the node or
    the profile; ``connectflow patch --auth`` writes id and name together.
    """
    profile = ctx.profile
    if profile is None or not profile.authorizations:
        return
    for node in ctx.flow.nodes_of("prebuiltnode"):
        main, _ = auth_parts(node)
        if main is None or not auth_is_set(main.value):
            continue
        expected = profile.authorization_for(*node_keys(node))
        if expected is None:
            continue
        if as_text(main.value).strip() != as_text(expected.id):
            want = f"{expected.id}" + (f' ("{expected.name}")' if expected.name else "")
            yield ctx.issue(main.pointer, f"authorization {shown(main.value)} is not the tenant's {want}",
                            node=node, fix=auth_hint(node, "correct [authorizations] in the profile, or"))
            continue
        display = auth_name_copy(node)
        if expected.name and display is not None and as_text(display.value) != expected.name:
            yield ctx.issue(display.pointer,
                            f'authorization {shown(main.value)} is shown as "{shown(display.value)}", '
                            f'the tenant calls it "{expected.name}"',
                            node=node, fix=auth_hint(node, "select the authorization again in the node, or"))
