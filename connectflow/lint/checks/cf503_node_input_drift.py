from connectflow.copies import DIALOG_OPTION_KEYS, norm_key, settings
from connectflow.lint.checks._prebuilt import REDACTED, normal_text, shown
from connectflow.lint.registry import rule


@rule("CF503", "node-input-drift", "warning")
def check(ctx):
    """A prebuilt node's settings copies disagree on a field.

    A prebuilt node keeps its settings in ``nodeInput`` (what the node's dialog
    shows) and again in ``request_body`` and ``extraParamsData``. They are written
    together; when they differ, the dialog shows one value and the node may send
    another. Cisco's own templates have such drift: the Task Routed Screen Pop
    shows query parameter ``CustomerName`` but sends ``CustomerId``. Keys are
    matched case-insensitively without spaces ("Query Parameters" =
    ``queryParameters``), values compared decoded, lists in any order; redacted
    values and the option lists the dialog caches (Queue Task ``queueInfo``) are skipped. Open the node, check the field and save it, so that all
    copies agree. Reported once per node and field, at its ``nodeInput`` copy.
    """
    for node in ctx.flow.nodes_of("prebuiltnode"):
        others = [*settings(node, "request_body"), *settings(node, "extraParamsData")]
        if not others:
            continue
        # Each copy normalised once (same/redacted would normalise a copy for every comparison).
        other_keys = [norm_key(o.key) for o in others]
        other_texts: list[str | None] = [None] * len(others)
        for field in settings(node, "nodeInput"):
            key = norm_key(field.key)
            if key in DIALOG_OPTION_KEYS:
                continue
            text = normal_text(field.value)
            if REDACTED in text:
                continue
            differ = []
            for i, other_key in enumerate(other_keys):
                if other_key != key:
                    continue
                if other_texts[i] is None:
                    other_texts[i] = normal_text(others[i].value)
                if REDACTED not in other_texts[i] and other_texts[i] != text:
                    differ.append(others[i])
            if not differ:
                continue
            listed = " and ".join(f"{o.where} is {shown(o.value)}" for o in differ)
            yield ctx.issue(field.pointer, f"{field.where} is {shown(field.value)}, but {listed}", node=node,
                            fix="open the node, check the field and save it so that all copies agree")
