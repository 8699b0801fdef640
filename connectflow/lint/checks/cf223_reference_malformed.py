from connectflow.lint.registry import rule
from connectflow.refs import Kind, first_of_each, more_places


@rule("CF223", "reference-malformed", "error")
def check(ctx):
    """A variable reference is malformed and is not replaced at run time.

    A reference is ``$(name)`` or ``$(n<id>.<output>)`` with nothing else inside
    the parentheses. Whitespace inside (``$(n2. abc.attachmentCount)``, seen in
    a Cisco template), an empty body, a body of digits only (``$(1100)``), a
    parenthesis inside or a ``$(`` without its ``)`` is passed on as literal
    text. Correct the reference, or pick the variable again from the Flow
    Builder's variable list. In Evaluate scripts only candidates that look like
    references are checked (``$(`` can be JavaScript there).
    """
    for ref, count in first_of_each(r for r in ctx.references if r.kind is Kind.MALFORMED):
        yield ctx.issue(ref.pointer, f"reference {ref.text} {ref.problem}{more_places(count)}", node=ref.node_id,
                        fix="write it as $(name) or $(n<id>.<output>), without spaces")
