"""Mask secrets before anything is printed.

Flows carry credentials: HTTP node headers (``Authorization: Bearer ...``,
``x-api-key``), custom variables named ``apiToken`` or ``password``. ``show``,
``patch --diff`` and messages would otherwise echo them into terminals and CI
logs. A value whose *key* looks like a credential is shown as ``****`` (its last
four characters kept when it is long enough to stay secret), everywhere, unless
the user passes ``--show-secrets`` (which sets :data:`SHOW_SECRETS`).
"""

from __future__ import annotations

import re
from functools import lru_cache

SHOW_SECRETS = False  # --show-secrets
MASK = "****"

_SECRET_WORDS = frozenset({"authorization", "token", "password", "passwd", "pwd", "secret", "apikey",
                           "credential", "credentials", "bearer", "cookie", "signature", "passphrase"})
_SECRET_PAIRS = frozenset({("api", "key"), ("access", "key"), ("private", "key"), ("client", "secret"),
                           ("session", "id"), ("x", "auth")})
_NOT_SECRET_SUFFIX = ("id", "name", "type", "url", "uri", "enabled", "required", "expiry", "expires", "length")
# A header line or pair inside a string: "Authorization: Bearer abc", "x-api-key=abc".
_HEADER = re.compile(
    r"(?P<key>[A-Za-z0-9_.-]*(?:authorization|token|password|passwd|secret|api[-_]?key|apikey|access[-_]?key"
    r"|cookie|signature)[A-Za-z0-9_.-]*)(?P<sep>\s*[:=]\s*)(?P<value>[^\s\"',;&\\]+(?: [^\s\"',;&\\]+)?)",
    re.IGNORECASE,
)
# A JSON member whose key is credential-like: "api_key": "abc" (also with escaped quotes).
_JSON_MEMBER = re.compile(
    r"(?P<q>\\*\")(?P<key>[^\"\\]*)(?P=q)(?P<sep>\s*:\s*)(?P<vq>\\*\")(?P<value>(?:[^\"\\]|\\(?!\")|\\\\)*?)(?P=vq)"
)
# {"key": "Authorization", "value": "Bearer abc"}: the editor's header rows.
_KEY_VALUE_ROW = re.compile(
    r"(?P<head>(?P<q>\\*\")(?:key|name|header)(?P=q)\s*:\s*(?P=q)(?P<key>[^\"\\]*)(?P=q)\s*,\s*(?P=q)value(?P=q)\s*:\s*(?P=q))"
    r"(?P<value>(?:[^\"\\]|\\(?!\"))*?)(?P<tail>(?P=q))",
    re.IGNORECASE,
)


# What every _HEADER match holds: searched first, since _HEADER itself backtracks over every word.
_HEADER_WORD = re.compile(r"authorization|token|password|passwd|secret|api[-_]?key|apikey|access[-_]?key"
                          r"|cookie|signature", re.IGNORECASE)
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def is_secret_key(name: object) -> bool:
    """``apiToken``, ``x-api-key``, ``Authorization``, ``client_secret``: yes; ``auth_id``, ``tokenUrl``: no."""
    if not isinstance(name, str) or not name:
        return False
    return _is_secret_name(name)


@lru_cache(maxsize=4096)  # a flow repeats the same few hundred keys thousands of times
def _is_secret_name(name: str) -> bool:
    words = [w for w in _NOT_WORD.split(_CAMEL.sub(r"\1_\2", name).lower()) if w]
    if not words or words[-1] in _NOT_SECRET_SUFFIX and not (len(words) > 1 and (words[-2], words[-1]) in _SECRET_PAIRS):
        return False
    return any(w in _SECRET_WORDS for w in words) or any(p in _SECRET_PAIRS for p in zip(words, words[1:]))


def mask(value: object) -> str:
    """The masked form of a secret value (empty stays empty: nothing to hide)."""
    text = "" if value is None else str(value)
    if SHOW_SECRETS or text in ("", '""'):
        return text
    return MASK + text[-4:] if len(text) >= 16 else MASK


def value(name: object, value_: object) -> object:
    """``value_`` itself, or its mask when ``name`` is credential-like."""
    if SHOW_SECRETS or not is_secret_key(name):
        return value_
    return mask(value_)


def text(line: str) -> str:
    """``line`` with credential values inside it masked (header lines, JSON members, key/value rows)."""
    if SHOW_SECRETS or not line:
        return line
    line = _KEY_VALUE_ROW.sub(lambda m: m.group("head") + (mask(m.group("value")) if is_secret_key(m.group("key"))
                                                          else m.group("value")) + m.group("tail"), line)
    line = _JSON_MEMBER.sub(lambda m: m.group(0) if not is_secret_key(m.group("key")) else
                            f"{m.group('q')}{m.group('key')}{m.group('q')}{m.group('sep')}{m.group('vq')}"
                            f"{mask(m.group('value'))}{m.group('vq')}", line)
    return _HEADER.sub(lambda m: m.group(0) if m.group("value").startswith(MASK) or not is_secret_key(m.group("key")) else
                       f"{m.group('key')}{m.group('sep')}{mask(m.group('value'))}", line)


def secrets_in(document: object) -> set[str]:
    """Every credential value in a decoded document: values of credential-like keys, of
    ``{"name"|"key": <credential-like>, "value": ...}`` rows, and of header lines in strings."""
    from connectflow.load.decode import loads

    found: set[str] = set()
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            label = item.get("name", item.get("key", item.get("header")))
            if is_secret_key(label) and isinstance(item.get("value"), (str, int)):
                found.add(str(item["value"]))
            attributes = item.get("attributes")  # a node param: {"attributes": {"name": ...}, "text": ...}
            if isinstance(attributes, dict) and is_secret_key(attributes.get("name")) \
                    and isinstance(item.get("text"), str) and item["text"][:1] not in ("{", "["):
                found.add(item["text"])
            for key, child in item.items():
                if is_secret_key(key) and isinstance(child, (str, int)) and not isinstance(child, bool):
                    found.add(str(child))
                stack.append(child)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            if item[:1] in ("{", "["):
                try:
                    stack.append(loads(item))
                    continue
                except ValueError:
                    pass
            if ("=" in item or ":" in item) and _HEADER_WORD.search(item):
                found.update(m.group("value") for m in _HEADER.finditer(item) if is_secret_key(m.group("key")))
    return {value for value in found if len(value) >= 4 and not value.startswith(MASK)}


def scrub(output: str, secrets: set[str]) -> str:
    """``output`` with every occurrence of the given secret values (and of credential-looking
    members and header lines) masked."""
    if SHOW_SECRETS:
        return output
    for secret in sorted(secrets, key=len, reverse=True):
        if secret in output:
            output = output.replace(secret, mask(secret))
    return "\n".join(text(line) for line in output.split("\n"))


__all__ = ["MASK", "SHOW_SECRETS", "is_secret_key", "mask", "scrub", "secrets_in", "text", "value"]
