from connectflow.copies import DIALOG_OPTION_KEYS, norm_key, setting_copy, setting_fields
from connectflow.lint.checks._prebuilt import REDACTED, normal_text, shown
from connectflow.lint.registry import rule
from connectflow.model import as_text


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
    shown_texts: dict[str, str] = {}  # shown() depends on the value's text only; nodes repeat the same few

    def show(value):
        text = as_text(value)
        if text not in shown_texts:
            shown_texts[text] = shown(value)
        return shown_texts[text]

    for node in ctx.flow.nodes_of("prebuiltnode"):
        others = [(store, field) for store in ("request_body", "extraParamsData")
                  for field in setting_fields(node, store)]
        if not others:
            continue
        # Each copy normalised once (same/redacted would normalise a copy for every comparison),
        # and made a Copy only when reported.
        other_keys = [norm_key(other_key) for _, (other_key, *_) in others]
        other_texts: list[str | None] = [None] * len(others)
        for field in setting_fields(node, "nodeInput"):
            field_key, value, *_ = field
            key = norm_key(field_key)
            if key in DIALOG_OPTION_KEYS:
                continue
            text = normal_text(value)
            if REDACTED in text:
                continue
            differ = []
            for i, (store, other) in enumerate(others):
                if other_keys[i] != key:
                    continue
                if other_texts[i] is None:
                    other_texts[i] = normal_text(other[1])
                if REDACTED not in other_texts[i] and other_texts[i] != text:
                    differ.append(setting_copy(node, store, other))
            if not differ:
                continue
            copy = setting_copy(node, "nodeInput", field)
            listed = " and ".join(f"{o.where} is {show(o.value)}" for o in differ)
            yield ctx.issue(copy.pointer, f"{copy.where} is {show(copy.value)}, but {listed}", node=node,
                            fix="open the node, check the field and save it so that all copies agree")
