"""Turning a user's text into a value of the right type, and refusing bad values early.

Custom-variable values are judged by lint's own rules, so a patch never writes a
value that lint would then flag, and the two never disagree about a format. ``verify`` re-lints
the result as well, which also covers rules added later.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from connectflow.catalogue import placeholder_destinations, template_flow_ids, template_queue_ids
from connectflow.model import as_text


class ValueRefused(ValueError):
    """``str()`` says what is wrong with the value, in one line."""


def kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object" if isinstance(value, dict) else "array"


def coerce(old: Any, text: str, what: str) -> Any:
    """``text`` (from the command line) as a value of ``old``'s JSON type."""
    old_kind = kind(old)
    if old_kind in ("string", "null"):
        return text
    if old_kind == "number":
        number = text.strip()
        if re.fullmatch(r"-?(?:0|[1-9]\d*)", number):
            return int(number)
        if re.fullmatch(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?", number):  # JSON's number syntax
            return float(number)
        raise ValueRefused(f"{what} holds a number; {text!r} is not one")
    if old_kind == "boolean" and text.strip().lower() in ("true", "false"):
        return text.strip().lower() == "true"
    raise ValueRefused(f"{what} holds {_article(old_kind)}; {text!r} is not one")


def check_type(old: Any, new: Any, what: str) -> Any:
    """A ``--set`` value must have the JSON type of the value it replaces (null takes anything)."""
    if kind(old) not in ("null", kind(new)):
        raise ValueRefused(f"{what} holds {_article(kind(old))}, not {_article(kind(new))}: "
                           f"give {json.dumps(old, ensure_ascii=False)[:40]}-like JSON")
    return new


def _article(name: str) -> str:
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


# -- custom variables: lint's own rules decide ------------------------------------------------

@cache
def _lint_rules() -> tuple:
    from connectflow.lint.registry import builtin_registry

    return tuple(builtin_registry())


def check_variable(name: str, value: Any) -> None:
    """Refuse a custom-variable value that lint would report (CF210-CF214 and any rule added later).

    The rules run on a flow holding just this variable, so the refusal says what
    ``connectflow lint`` would say; ``verify`` re-lints the whole result as well.
    """
    from connectflow.lint import Selection, lint_source
    from connectflow.load import load_bytes

    document = {"cells": [], "customVariables": [{"name": name, "value": value}]}
    source = load_bytes(f"custom variable {name}", json.dumps(document).encode())
    for finding in lint_source(source, list(_lint_rules()), Selection()):
        if finding.pointer == "/customVariables/0/value" and finding.severity.value != "info":
            raise ValueRefused(finding.message)


def check_asset_id(value: str) -> None:
    if not re.fullmatch(r"\S+", value):
        raise ValueRefused(f"asset id {value!r} must be one word (an App ID or a service number)")
    if value in placeholder_destinations():
        raise ValueRefused(f"asset id {value} is a template sample asset, not your tenant's")


def check_auth_id(value: Any) -> None:
    """A selected authorization has a positive id; -1, 0 and empty mean "not selected"."""
    if not re.fullmatch(r"[1-9]\d*", as_text(value).strip()):
        raise ValueRefused(f"authorization id {as_text(value)!r} must be a positive number "
                           "(-1, 0 or empty mean no authorization)")


def check_queue(value: str) -> None:
    if not re.fullmatch(r"\S+", value):
        raise ValueRefused(f"queue id {value!r} must be one word (the WxCC queue id)")
    if value in template_queue_ids():
        raise ValueRefused(f"queue id {value} is a template's queue, not one of your tenant's")


def check_flow_id(value: str) -> None:
    if not re.fullmatch(r"[1-9]\d*", value.strip()):
        raise ValueRefused(f"flow id {value!r} must be a number (the id in the Flow Designer's address bar)")
    if value.strip() in template_flow_ids():
        raise ValueRefused(f"flow id {value} is a template or documentation sample, not your flow's id")


def check_sender(value: str) -> None:
    from connectflow.template_values import match

    if not re.fullmatch(r"\+?[A-Za-z0-9]{1,15}", value):
        raise ValueRefused(f"SMS sender {value!r} must be a number (country code first) or an alphanumeric "
                           "sender id of at most 11 characters")
    if match(value) is not None:
        raise ValueRefused(f"SMS sender {value} is a template sample, not your tenant's")


def check_text(value: str, what: str) -> None:
    """A tenant value of a catalogue kind: given, and not itself a template's value."""
    from connectflow.template_values import match

    if not value.strip():
        raise ValueRefused(f"{what}: the value is empty")
    if match(value) is not None:
        raise ValueRefused(f"{what}: {value} is a template sample, not your tenant's")


def check_word(value: str, what: str) -> None:
    """``check_text``, and one word (an id or an address)."""
    if not re.fullmatch(r"\S+", value):
        raise ValueRefused(f"{what}: {value!r} must be one word")
    check_text(value, what)
