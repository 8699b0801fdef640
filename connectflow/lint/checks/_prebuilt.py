"""How lint compares the copies of a prebuilt node's settings (``connectflow.copies``
says where they are). Shared by CF301-CF303 and CF501-CF503."""

from __future__ import annotations

import json
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any

from connectflow.copies import Copy, auth_copies
from connectflow.model import Node, as_text, decode

REDACTED = "[redacted]"


def _normal(value: Any) -> Any:
    value = decode(value) if isinstance(value, str) else value
    if isinstance(value, dict):
        return {str(k): _normal(v) for k, v in value.items()}
    if isinstance(value, list):  # order-only differences are not drift
        return sorted((_normal(v) for v in value), key=canonical)
    return as_text(value)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def normal_text(value: Any) -> str:
    """``canonical(_normal(value))``: what ``same`` and ``redacted`` compare. A scalar's is its
    text as a JSON string (``encode_basestring`` is what ``json.dumps`` writes for one, without
    setting up an encoder: CF503 compares some 10,000 copies on a 10 MB flow)."""
    if type(value) is str:
        return _normal_string(value)
    if isinstance(value, str):
        value = decode(value)
    if isinstance(value, (dict, list)):
        return canonical(_normal(value))
    return encode_basestring(as_text(value))


@lru_cache(maxsize=4096)  # settings copies repeat the same few values ("$(n2.webex.ID)", "-1")
def _normal_string(value: str) -> str:
    decoded = decode(value)
    if isinstance(decoded, (dict, list)):
        return canonical(_normal(decoded))
    return encode_basestring(as_text(decoded))


def same(a: Any, b: Any) -> bool:
    """Equal as the platform sees them: decoded, scalars as text, lists in any order."""
    return normal_text(a) == normal_text(b)


def redacted(value: Any) -> bool:
    return REDACTED in normal_text(value)


def shown(value: Any, limit: int = 80) -> str:
    from connectflow.redact import text as masked

    # Masked before it is cut: the engine masks the flow's secrets in the whole message,
    # but could not recognise a token's first 80 characters.
    text = masked(as_text(value))
    text = text if text != "" else '""'
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_reference(value: Any) -> bool:
    return "$(" in as_text(value)


def auth_parts(node: Node) -> tuple[Copy | None, list[Copy]]:
    """The ``auth_id`` param (None when absent) and the resource-list copies, those
    that lack an ``auth_id`` included (``present`` False), since they count as unset."""
    found = auth_copies(node, missing=True)
    main = found[0] if found and found[0].store == "auth_id" else None
    return main, found[1:] if main else found


def auth_is_set(value: Any) -> bool:
    """False for a missing, empty, -1 or other non-positive id; ids that are not numbers pass."""
    text = as_text(value).strip()
    if text in ("", "null", "undefined"):
        return False
    if text == REDACTED:
        return True
    try:
        return float(text) > 0
    except ValueError:
        return True
