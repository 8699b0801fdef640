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
    found = [r for r in ctx.references
             if r.kind is Kind.NODE and r.target in nodes and output_declared(nodes[r.target], r.path) is False]
    for ref, count in first_of_each(found):
        producer = nodes[ref.target]
        yield ctx.issue(ref.pointer,
                        f"{ref.text}: {producer.title} ({producer.id}) has no output {ref.path}{more_places(count)}",
                        node=ref.node_id, fix=f"use one of the outputs of node {producer.id}")
