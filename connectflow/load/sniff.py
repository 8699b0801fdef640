"""Decide what a file is from its first bytes, never from its name."""

from __future__ import annotations

import re
from enum import Enum


class Format(str, Enum):
    JSON = "json"  # the flow model as JSON (either value encoding)
    XML = "xml"  # an mxGraph <mxGraphModel> document
    ENCRYPTED = "encrypted"  # a Cisco .workflow export: one hex string, 16-byte blocks
    ZIP = "zip"  # a .workflow.zip (or any zip) holding a flow
    EMPTY = "empty"
    BINARY = "binary"
    UNKNOWN = "unknown"


_HEX = re.compile(rb"[0-9a-fA-F]+")
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_LEADING = re.compile(rb"[\xef\xbb\xbf]*[ \t\n\r\x0b\x0c]*")  # as raw.lstrip(BOM bytes).strip() at the start
_SPACE = b" \t\n\r\x0b\x0c"


def is_encrypted_export(raw: bytes, start: int, end: int) -> bool:
    """Whether ``raw[start:end]`` (the file without its surrounding space) is one hex string of
    16-byte blocks."""
    return end - start >= 32 and (end - start) % 32 == 0 and _HEX.fullmatch(raw, start, end) is not None


def sniff(raw: bytes) -> Format:
    if raw.startswith(_ZIP_MAGIC):
        return Format.ZIP
    # Where the body starts and ends, without copying a 10 MB file twice to strip it.
    start, end = _LEADING.match(raw).end(), len(raw)
    while end > start and raw[end - 1] in _SPACE:
        end -= 1
    if start == end:
        return Format.EMPTY
    if is_encrypted_export(raw, start, end):
        return Format.ENCRYPTED
    if b"\x00" in raw[:4096]:
        return Format.BINARY
    first = raw[start:start + 1]
    if first in (b"{", b"["):
        return Format.JSON
    if first == b"<":
        return Format.XML
    # Text that is neither JSON nor XML: decide "binary" for control bytes.
    if any(b < 9 or 13 < b < 32 for b in raw[start:min(end, start + 512)]):
        return Format.BINARY
    return Format.UNKNOWN
