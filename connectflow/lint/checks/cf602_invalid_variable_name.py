import re

from connectflow.lint.registry import rule
from connectflow.load.locate import child

VALID = re.compile(r"^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$")


@rule("CF602", "invalid-variable-name", "warning")
def check(ctx):
    """A custom variable's name has characters the platform does not allow.

    "Variable name can have Alpha Numeric values ... We do not support the use of
    special characters in the variable name" (Webex Connect docs). Cisco's own
    templates also use underscores (``err_msg_toomanyrequests``), and the gallery
    templates define dotted names after the channel variables they copy
    (``facebook.psid``, ``app.deviceId``, ``sms.message``), which import and
    work; so letters, digits and ``_`` are accepted, in parts joined by single
    dots. Anything else (spaces, ``-``, ``$``, brackets), or an empty name, is
    reported. Rename the variable and every ``$(name)`` that uses it.
    """
    for variable in ctx.flow.custom_variables:
        if not VALID.match(variable.name):
            bad = sorted({c for c in variable.name if not (c.isascii() and (c.isalnum() or c in "_."))})
            what = "is empty" if variable.name == "" else (
                f"has characters not allowed: {' '.join(repr(c) for c in bad)}" if bad else "has a misplaced dot")
            yield ctx.issue(child(variable.pointer, "name"), f"custom variable name {variable.name!r} {what}",
                            fix="rename it with letters, digits and _ only, and update its references")
