from connectflow.lint.checks._prebuilt import auth_is_set, auth_parts, shown
from connectflow.lint.registry import rule
from connectflow.model import as_text


@rule("CF302", "authorization-copies-disagree", "warning")
def check(ctx):
    """A prebuilt node's two copies of its authorization id differ.

    The node keeps the authorization in ``auth_id`` and again in
    ``resourceinfo.resource_list[].auth_id``; the editor writes both together. When
    they differ (a hand edit or a partial patch), which one the platform uses is
    not documented. Select the authorization again in the node, or set both
    copies to the same id (``connectflow patch --auth`` does).
    """
    for node in ctx.flow.nodes_of("prebuiltnode"):
        main, resources = auth_parts(node)
        if main is None:
            continue
        for copy in resources:
            if not copy.present or as_text(copy.value).strip() == as_text(main.value).strip():
                continue
            if not auth_is_set(copy.value) and not auth_is_set(main.value):
                continue  # both unset: CF301 reports it
            yield ctx.issue(copy.pointer,
                            f"auth_id is {shown(main.value)} but {copy.where} is {shown(copy.value)}",
                            node=node, fix="set both copies to the same authorization id")
