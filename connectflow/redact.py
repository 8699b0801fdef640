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
# A header line or pair inside a string: "Authorization: Bearer abc", "x-api-key=abc". The key
# starts a word and is taken whole (no backtracking into it): linear on any text.
_HEADER = re.compile(
    r"(?<![A-Za-z0-9_.-])(?P<key>[A-Za-z0-9_.-]++)(?P<sep>\s*+[:=]\s*+)(?P<value>[^\s\"',;&\\]+(?: [^\s\"',;&\\]+)?)"
)
_HEADER_WORD = re.compile(r"authorization|token|password|passwd|secret|api[-_]?key|apikey|access[-_]?key|cookie|signature",
                          re.IGNORECASE)
# A JSON member whose key is credential-like: "api_key": "abc" (also with escaped quotes).
_JSON_MEMBER = re.compile(
    r"(?<!\\)(?P<q>\\*\")(?P<key>[^\"\\]*)(?P=q)(?P<sep>\s*:\s*)(?P<vq>\\*\")"
    # one way only to read a run of backslashes (pairs, then one before a character that is
    # neither a quote nor a backslash): no exponential backtracking on a run without an end
    r"(?P<value>(?:[^\"\\]|\\\\|\\(?![\\\"]))*?)(?P=vq)"
)
# {"key": "Authorization", "value": "Bearer abc"}: the editor's header rows.
_KEY_VALUE_ROW = re.compile(
    r"(?P<head>(?<!\\)(?P<q>\\*\")(?:key|name|header)(?P=q)\s*:\s*(?P=q)(?P<key>[^\"\\]*)(?P=q)\s*,\s*(?P=q)value(?P=q)\s*:\s*(?P=q))"
    r"(?P<value>(?:[^\"\\]|\\(?!\"))*?)(?P<tail>(?P=q))",
    re.IGNORECASE,
)


_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_NUMBERED = re.compile(r"([a-zA-Z])([0-9])")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
# A credential-like name holds one of these in its lower case (a word of _SECRET_WORDS, or a
# word of each pair): a quick test that spares most strings the splitting in _secret_name.
_NAME_HINT = re.compile("|".join(sorted(_SECRET_WORDS | {max(pair, key=len) for pair in _SECRET_PAIRS})))


def is_secret_key(name: object) -> bool:
    """``apiToken``, ``x-api-key``, ``Authorization``, ``client_secret``: yes; ``auth_id``, ``tokenUrl``: no."""
    if not isinstance(name, str) or not name:
        return False
    return _secret_name(name)


@lru_cache(maxsize=65536)  # a flow repeats its keys ("name", "value", "id") thousands of times
def _secret_name(name: str) -> bool:
    # apiKey7, token2: a number is a word of its own (numbered copies of a credential).
    split_name = _NUMBERED.sub(r"\1_\2", _CAMEL.sub(r"\1_\2", name))
    words = [w for w in _NOT_WORD.split(split_name.lower()) if w]
    while len(words) > 1 and words[-1].isdigit():  # tokenUrl2 names a URL, as tokenUrl does
        words.pop()
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
    if SHOW_SECRETS or not line or (":" not in line and "=" not in line):  # each pattern needs one of them
        return line
    if not _NAME_HINT.search(line.lower()):  # each pattern masks only behind a credential-like key
        return line
    if '"' not in line:  # members and rows are quoted: only header lines are possible
        return _HEADER.sub(_masked_header, line)
    line = _KEY_VALUE_ROW.sub(lambda m: m.group("head") + (mask(m.group("value")) if is_secret_key(m.group("key"))
                                                          else m.group("value")) + m.group("tail"), line)
    line = _JSON_MEMBER.sub(lambda m: m.group(0) if not is_secret_key(m.group("key")) else
                            f"{m.group('q')}{m.group('key')}{m.group('q')}{m.group('sep')}{m.group('vq')}"
                            f"{mask(m.group('value'))}{m.group('vq')}", line)
    return _HEADER.sub(_masked_header, line)


def _masked_header(match: re.Match) -> str:
    key = match.group("key")
    if match.group("value").startswith(MASK) or not _HEADER_WORD.search(key) or not is_secret_key(key):
        return match.group(0)
    return f"{key}{match.group('sep')}{mask(match.group('value'))}"


def secrets_in(document: object) -> set[str]:
    """Every credential value in a decoded document: values of credential-like keys, of
    ``{"name"|"key": <credential-like>, "value": ...}`` rows, and of header lines in strings."""
    # One walk that judges each distinct string and key once (value_walk: lint asks this of
    # every flow, with the template values in the same walk). Recursive: the loader bounds the
    # depth of a document (MAX_DEPTH, through strings too).
    from connectflow.value_walk import walk_values

    return walk_values(document, secrets=True).secrets


_FEW = 32  # up to this many secrets, str.replace per secret (in C) beats the prefix index


class Secrets:
    """One flow's credential values, found on first use, and the masking of any text derived
    from that flow: the one step every output takes its flow text through (lint's messages
    and fix hints, ``show``'s views, the report, the worksheet, ``patch --diff``).

    Linear in the text whatever the number of secrets: a flow with thousands of credential-
    looking values must not make every message cost thousands of searches."""

    def __init__(self, document: object = None, values: set[str] | None = None):
        """``document``: a decoded flow, or a function that returns one (called on first use)."""
        self._document = document
        self._values = None if values is None else frozenset(values)
        self._index: dict[str, list[tuple[int, set[str]]]] | None = None
        self._longest_first: list[str] | None = None  # the values, in the order they are replaced

    @property
    def values(self) -> frozenset[str]:
        if self._values is None:
            document = self._document() if callable(self._document) else self._document
            self._values = frozenset(secrets_in(document))
            self._document = None
        return self._values

    def __or__(self, other: "Secrets") -> "Secrets":
        return Secrets(values=self.values | other.values)

    def __call__(self, output):
        """``output`` (None stays None) with every secret value, credential-looking member and
        header line masked; unchanged with --show-secrets."""
        if SHOW_SECRETS or not output:
            return output
        if self._longest_first is None:
            self._longest_first = sorted(self.values, key=len, reverse=True)
        if len(self._longest_first) <= _FEW:
            for secret in self._longest_first:
                if secret in output:
                    output = output.replace(secret, mask(secret))
        else:
            output = self._replace_indexed(output)
        if "\n" not in output:
            return text(output)
        if not _NAME_HINT.search(output.lower()):  # as text() tells each line: nothing to mask
            return output
        return "\n".join(text(line) for line in output.split("\n"))

    def _replace_indexed(self, output: str) -> str:
        if self._index is None:  # by first four characters: (length, secrets of that length), longest first
            by_prefix: dict[str, dict[int, set[str]]] = {}
            for secret in self.values:
                by_prefix.setdefault(secret[:4], {}).setdefault(len(secret), set()).add(secret)
            self._index = {prefix: sorted(lengths.items(), reverse=True) for prefix, lengths in by_prefix.items()}
        get, parts, start = self._index.get, [], 0
        for at in range(len(output) - 3):
            if at < start:
                continue
            candidates = get(output[at:at + 4])
            if candidates is None:
                continue
            for length, secrets in candidates:
                if output[at:at + length] in secrets:
                    parts += [output[start:at], mask(output[at:at + length])]
                    start = at + length
                    break
        return "".join(parts) + output[start:] if parts else output


def scrub(output: str, secrets: set[str]) -> str:
    """``output`` with every occurrence of the given secret values (and of credential-looking
    members and header lines) masked."""
    return Secrets(values=secrets)(output)


__all__ = ["MASK", "SHOW_SECRETS", "Secrets", "is_secret_key", "mask", "scrub", "secrets_in", "text", "value"]
