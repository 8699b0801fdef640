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
    # Lint asks this of every flow (its messages are masked), so the walk is as bare as a walk
    # can be: a 10 MB flow holds some 140,000 strings (a few thousand distinct) and 57,000
    # objects over a few hundred distinct keys. The answer is a set, so a string met again adds
    # nothing new: each distinct string is decoded, searched and judged once. The keys are
    # judged after the walk, once each (their union costs less than a test per object). A row's
    # label and a param's attribute name are strings of the object that holds them, so only an
    # object holding a credential-like string is looked at as a row or as a param's attributes.
    # Recursive: the loader bounds the depth of a document (MAX_DEPTH, through strings too).
    from connectflow.load.decode import loads

    found: set[str] = set()
    objects: list[dict] = []   # every object met, for their keys
    plain: set[str] = set()    # strings met that hold no secret and name no credential
    naming: set[str] = set()   # strings met that name a credential (a row's or a param's label)

    def walk(item, parent) -> None:
        if type(item) is dict or isinstance(item, dict):
            objects.append(item)
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            return
        for child in children:
            kind = type(child)
            if kind is str:
                if child in plain:
                    continue
                if child not in naming:
                    first_sight(child)
                if child in naming:
                    labelled(item, parent)
            elif kind is dict or kind is list:
                walk(child, item)
            elif kind is bool or kind is int or kind is float or child is None:
                continue
            elif isinstance(child, str):  # a subclass: as a string, without the shortcuts
                first_sight(child)
                if child in naming:
                    labelled(item, parent)
            else:
                walk(child, item)

    def first_sight(text: str) -> None:
        decoded = False
        if text[:1] in ("{", "["):
            try:
                inner = loads(text)
            except ValueError:
                pass
            else:
                decoded = True
                walk(inner, None)
        if not decoded and ("=" in text or ":" in text) and _HEADER_WORD.search(text):  # most: no pattern run
            found.update(m.group("value") for m in _HEADER.finditer(text)
                         if _HEADER_WORD.search(m.group("key")) and is_secret_key(m.group("key")))
        (naming if _NAME_HINT.search(text.lower()) and is_secret_key(text) else plain).add(text)

    def labelled(item, parent) -> None:
        """``item`` holds a credential-like string: it may be a row, and ``parent`` a node param."""
        if isinstance(item, dict):
            if isinstance(item.get("value"), (str, int)) \
                    and is_secret_key(item.get("name", item.get("key", item.get("header")))):
                found.add(str(item["value"]))
        if isinstance(parent, dict):  # a node param: {"attributes": {"name": ...}, "text": ...}
            attributes = parent.get("attributes")
            if isinstance(attributes, dict) and is_secret_key(attributes.get("name")) \
                    and isinstance(parent.get("text"), str) and parent["text"][:1] not in ("{", "["):
                found.add(parent["text"])

    walk([document], None)  # the document as a child: a string is looked at as any other
    # The nested functions refer to each other through their cells: a cycle that would keep
    # ``objects`` (every object of the document) alive until the collector's next pass.
    walk = first_sight = labelled = None
    secret_keys = {key for key in set().union(*objects) if is_secret_key(key)}
    for item in objects if secret_keys else ():
        for key in secret_keys.intersection(item):
            child = item[key]
            if isinstance(child, (str, int)) and not isinstance(child, bool):
                found.add(str(child))
    return {value for value in found if len(value) >= 4 and not value.startswith(MASK)}


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
