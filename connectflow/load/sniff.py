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


def is_encrypted_export(raw: bytes) -> bool:
    body = raw.strip()
    return len(body) >= 32 and len(body) % 32 == 0 and _HEX.fullmatch(body) is not None


def sniff(raw: bytes) -> Format:
    if raw.startswith(_ZIP_MAGIC):
        return Format.ZIP
    body = raw.lstrip(b"\xef\xbb\xbf").strip()
    if not body:
        return Format.EMPTY
    if is_encrypted_export(body):
        return Format.ENCRYPTED
    if b"\x00" in raw[:4096]:
        return Format.BINARY
    first = body[:1]
    if first in (b"{", b"["):
        return Format.JSON
    if first == b"<":
        return Format.XML
    # Text that is neither JSON nor XML: decide "binary" for control bytes.
    if any(b < 9 or 13 < b < 32 for b in body[:512]):
        return Format.BINARY
    return Format.UNKNOWN
