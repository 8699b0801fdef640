from connectflow.lint.registry import rule
from connectflow.refs import Kind, first_of_each, more_places


@rule("CF220", "reference-unknown-node", "error")
def check(ctx):
    """A reference names the output of a node that is not in the flow.

    ``$(n<id>.<output>)`` reads an output of node ``<id>``. When that node was
    deleted, or copied or recreated (which gives it a new id), the reference points
    at nothing and the value is empty at run time; Cisco's own templates carry such
    leftovers (``n9``, ``n194``, ``n1405``). Pick the variable again from the node's
    output list in the Flow Builder, or correct the node id. Reported once per
    node and reference, at its first place.
    """
    nodes = ctx.flow.nodes
    found = [r for r in ctx.references if r.kind is Kind.NODE and r.target not in nodes]
    for ref, count in first_of_each(found):
        yield ctx.issue(ref.pointer,
                        f"{ref.text} refers to node {ref.target}, which is not in the flow{more_places(count)}",
                        node=ref.node_id,
                        fix="select the output again from the producing node, or correct the node id")
