from collections import Counter

from connectflow.lint.registry import rule
from connectflow.load.locate import child


def _event_pointer(node, event):
    """The place that declares ``event``: its event child, newEvents item or Branch outcome."""
    for item in node.children:
        if item.tag == "event" and item.name == event:
            return item.pointer
    for name, field in (("newEvents", "name"), ("outcomes", "outcome")):
        param = node.param(name)
        if param is not None and isinstance(param.value, list):
            for i, entry in enumerate(param.value):
                if isinstance(entry, dict) and str(entry.get(field)) == event:
                    return child(param.text_pointer, i)
    fallback = node.param("allConditionsFail") if node.kind == "branch" else None
    return fallback.text_pointer if fallback is not None else node.pointer


def _copied_node_ends(flow):
    """How many surplus End bindings each (node kind, event) has.

    Copying a node in the editor copies its End cells but keeps their
    ``data.parentNode`` (platform-facts.md §12): the copy's outcomes look unhandled
    while its original has one End too many for the same event.
    """
    per_binding = Counter((end.parent_node, end.event.lower()) for end in flow.ends if end.parent_node in flow.nodes)
    surplus = Counter()
    for (parent, event), count in per_binding.items():
        surplus[(flow.nodes[parent].tag, event)] += count - 1
    return surplus


@rule("CF401", "unhandled-outcome", "warning")
def check(ctx):
    """A node outcome leads nowhere: no connection and no End.

    "Every node outcome must either be mapped to the next node or terminate onto
    an End node" (Flow Builder docs). An outcome left open ends the flow
    silently when it happens, without a flow outcome or the error handling the
    flow has for it; typical are an SMS node's ``onerror`` and a Branch's
    ``None of the above``. Outcomes are the declared events, prebuilt
    ``newEvents`` and Branch outcomes; implicit ports (``onsuccess`` of a send
    node) are not required. An End that a copied node inherited with its
    original's ``parentNode`` counts for the copy (see CF405). Connect the outcome
    to the next node or attach an End node to it.
    """
    surplus = _copied_node_ends(ctx.flow)
    for node, event in ctx.graph.unhandled_events():
        key = (node.tag, event.lower())
        if surplus[key] > 0:
            surplus[key] -= 1
            continue
        yield ctx.issue(_event_pointer(node, event), f"outcome {event} has no connection and no End",
                        node=node, fix="connect it to the next node or attach an End node")
