"""Turning a user's text into a value of the right type, and refusing bad values early.

The checks mirror what lint reports for the same settings (platform-facts §6.3),
so a patch never writes a value that lint would then flag. ``verify`` re-lints
the result as well, which also covers rules added later.
"""

from __future__ import annotations

import json
import re
from typing import Any

from connectflow.catalogue import catalogue, placeholder_destinations, template_flow_ids, template_queue_ids
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


# -- format checks, by custom variable name ------------------------------------------------------

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*(?::\d{{1,5}})?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _live_chat_domain(text: str) -> str | None:
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text):
        return "must be a host name without a protocol (e.g. support.example.com, not https://...)"
    if "/" in text:
        return "must be a host name without a path (e.g. support.example.com)"
    return None if _HOST.match(text) else "is not a host name (e.g. support.example.com)"


def _wa_number(text: str) -> str | None:
    if text.startswith("+"):
        return "must be digits with the country code and no '+' (e.g. 14155550123)"
    if re.fullmatch(r"[1-9]\d{6,14}", text):
        return None
    return "must be 7 to 15 digits with the country code (e.g. 14155550123)"


def _fb_page_id(text: str) -> str | None:
    return None if re.fullmatch(r"\d+", text) else "must be the numeric Facebook Page ID"


def _email(text: str) -> str | None:
    return None if _EMAIL.match(text) else "must be an email address (e.g. support@example.com)"


def _app_id(text: str) -> str | None:
    return None if re.fullmatch(r"\S+", text) else "must be an App ID without spaces"


VARIABLE_CHECKS = {
    "liveChatDomain": _live_chat_domain,
    "WANumber": _wa_number,
    "FBpageid": _fb_page_id,
    "bizemailid": _email,
    "appid": _app_id,
    "appId": _app_id,
}


def check_variable(name: str, value: Any) -> None:
    """Refuse a value for a channel variable that lint would report."""
    text = as_text(value).strip()
    if name not in VARIABLE_CHECKS:
        return
    if not text:
        raise ValueRefused(f"{name} must not be empty")
    problem = VARIABLE_CHECKS[name](text)
    if problem:
        raise ValueRefused(f"{name} {problem}; got {text!r}")
    if text in {as_text(v) for v in catalogue().get("channel_defaults", {}).get(name, [])}:
        raise ValueRefused(f"{name} {text!r} is the template's sample value, not your tenant's")


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
