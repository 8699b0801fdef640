import re

from connectflow.copies import script_copies
from connectflow.lint.registry import rule
from connectflow.model import as_text


def _lines(script: str) -> str:
    return "\n".join(line.rstrip() for line in script.replace("\r\n", "\n").split("\n")).strip()


@rule("CF504", "evaluate-script-drift", "warning")
def check(ctx):
    """An Evaluate node's two copies of its script differ.

    Evaluate (and Branch) nodes keep the script twice, in ``expression`` and
    ``exp``. They differ after a hand edit or a partial patch, or after an upload
    that was not saved straight away: "missing this step can lead to Evaluate
    node script formatting getting lost", which shows as one copy without any
    line break (a ``//`` comment then swallows the rest of the script). Open the
    node, check the script and save it; patches must write both copies. Nodes
    with only one copy (Branch nodes have no ``exp``) are not checked.
    """
    for node in ctx.flow.nodes_of("evaluate"):
        scripts = {c.store: c for c in script_copies(node)}
        if len(scripts) < 2:
            continue
        expression, exp = scripts["expression"], scripts["exp"]
        a, b = as_text(expression.value), as_text(exp.value)
        if a == b:
            continue  # nearly always: no need to compare them line by line
        a, b = _lines(a), _lines(b)
        if a == b:
            continue
        flat = [name for name, text, other in (("expression", a, b), ("exp", b, a))
                if "\n" not in text and "\n" in other]
        if flat and re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b):
            bad = expression if flat[0] == "expression" else exp
            message = f"{flat[0]} has lost its line breaks; the other copy has them"
        else:
            bad = exp
            message = "expression and exp hold different scripts"
        yield ctx.issue(bad.pointer, message, node=node,
                        fix="open the node, check the script and save it, so that both copies agree")
