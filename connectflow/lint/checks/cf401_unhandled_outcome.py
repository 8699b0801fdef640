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


def _stale_ends_note(ctx, event):
    """Name the End cells of this event that end nothing of their own node: they may have
    been meant for this one (a copied node keeps its original's Ends, platform-facts.md §12)."""
    stale = [end for end in ctx.graph.stale_ends if end.event.lower() == event.lower()]
    if not stale:
        return ""
    nodes = ctx.flow.nodes
    listed = ", ".join(f"{end.id} (bound to {'' if end.parent_node in nodes else 'missing '}node {end.parent_node})"
                       for end in stale)
    return f"; End cells for {event} that end nothing of their own node exist: {listed}"


@rule("CF401", "unhandled-outcome", "warning")
def check(ctx):
    """A node outcome leads nowhere: no connection and no End.

    "Every node outcome must either be mapped to the next node or terminate onto
    an End node" (Flow Builder docs). An outcome left open ends the flow
    silently when it happens, without a flow outcome or the error handling the
    flow has for it; typical are an SMS node's ``onerror`` and a Branch's
    ``None of the above``. Outcomes are the declared events, prebuilt
    ``newEvents`` and Branch outcomes; implicit ports (``onsuccess`` of a send
    node) are not required. An End belongs to the node its ``data.parentNode``
    names: the Ends a copied node inherited still name the original, so they do not
    handle the copy's outcomes (the message names such stale Ends; CF404 and CF405
    report them). Connect the outcome to the next node or attach an End node to it.
    """
    notes: dict[str, str] = {}  # per event: a flow of copied nodes has thousands of open outcomes
    for outcome in ctx.graph.unhandled():
        node = ctx.flow.nodes[outcome.node_id]
        if outcome.event not in notes:
            notes[outcome.event] = _stale_ends_note(ctx, outcome.event)
        yield ctx.issue(_event_pointer(node, outcome.event),
                        f"outcome {outcome.event} has no connection and no End{notes[outcome.event]}",
                        node=node, fix="connect it to the next node or attach an End node")
