from connectflow.lint.registry import rule
from connectflow.refs import Kind, first_of_each, more_places, output_declared


@rule("CF221", "reference-unknown-output", "warning")
def check(ctx):
    """A reference names an output that its node does not declare.

    ``$(n<id>.<output>)`` must name one of node ``<id>``'s outputs: the Start
    node's ``output_variables`` (which differ per trigger: a Task Closed flow has
    ``webex.taskId``/``webex.owner``, Task Routed and Modified have
    ``webex.ID``/``webex.agentId``), a prebuilt node's custom outputs or
    ``methodResponseParameters``, an HTTP node's output list. A name the node does
    not produce is empty at run time, typically after copying a node or part of a
    flow from another trigger. Nodes that declare no outputs at all are not
    checked, nor kind-specific outputs such as ``http.*`` and ``receive.*``.
    Pick the variable again from the node's output list.
    """
    nodes = ctx.flow.nodes
    declared: dict[tuple[str, str], bool | None] = {}  # a flow names the same few outputs thousands of times
    found = []
    for ref in ctx.references:
        if ref.kind is Kind.NODE and ref.target in nodes:
            key = (ref.target, ref.path)
            if key not in declared:
                declared[key] = output_declared(nodes[ref.target], ref.path)
            if declared[key] is False:
                found.append(ref)
    for ref, count in first_of_each(found):
        producer = nodes[ref.target]
        yield ctx.issue(ref.pointer,
                        f"{ref.text}: {producer.title} ({producer.id}) has no output {ref.path}{more_places(count)}",
                        node=ref.node_id, fix=f"use one of the outputs of node {producer.id}")
