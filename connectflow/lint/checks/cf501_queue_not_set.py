from connectflow.catalogue import template_queue_ids
from connectflow.copies import nodes_of_kind, setting_copies
from connectflow.lint.checks._prebuilt import is_reference, shown
from connectflow.lint.registry import rule
from connectflow.model import as_text
from connectflow.settings import flow_value, setting

QUEUE = setting("queue")

SOURCES = ("nodeInput", "extraParamsData", "request_body")
FIX = "select your queue in the Queue Task node, or: connectflow patch --queue QUEUE_ID"


@rule("CF501", "queue-not-set", "error")
def check(ctx):
    """A Queue Task node has no queue, or not the tenant's queue.

    "Before making a flow live, the flow administrator must configure this node
    with the correct queue selection. Failure to configure the queue will prevent
    the flow from routing contacts to agents" (Cisco's template README). Reported
    when the queue id (``queueid`` in ``nodeInput``, ``extraParamsData`` or
    ``request_body``) is empty, when it is a queue of Cisco's authoring org that a
    template ships with (catalogue.toml ``queue_task.queue_ids``), or, with a
    tenant profile that names a queue for this flow (``[queues]``, by flow file
    stem or ``default``), when it is another queue. A variable reference (a
    dynamic queue) is accepted. Select the queue in the node.
    """
    template = template_queue_ids()
    expected = flow_value(QUEUE, ctx.profile, ctx.source.path)
    for node in nodes_of_kind(ctx.flow, QUEUE.node):
        copies = setting_copies(node, QUEUE.key, SOURCES)
        empty = [c for c in copies if as_text(c.value).strip() == ""]
        if not copies or empty:
            where = f" ({empty[0].where} is empty)" if empty else ""
            yield ctx.issue(empty[0].pointer if empty else node.pointer, f"no queue selected{where}",
                            node=node, fix=FIX)
            continue
        for copy in copies:
            value = as_text(copy.value).strip()
            if is_reference(value):
                continue
            if value in template:
                yield ctx.issue(copy.pointer, f"queue {shown(value)} is the template's queue, not one of "
                                              "your tenant's", node=node, fix=FIX)
                break
            if expected and value != as_text(expected):
                yield ctx.issue(copy.pointer, f"queue {shown(value)} is not the tenant's queue {expected}",
                                node=node, fix="correct [queues] in the profile, or: connectflow patch --queue QUEUE_ID")
                break
