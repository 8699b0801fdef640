"""Read a file, decide what it is, and return its raw text and parsed data.

``load_source(path)`` returns a :class:`Source` or raises :class:`LoadError`
with a one-line message; nothing here prints or exits. Format detection looks
at the content, not the file name (see ``sniff``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from connectflow.load.locate import SourceMap, locate_all
from connectflow.load.sniff import Format, sniff


class LoadError(Exception):
    """A file that cannot be read as a flow. ``str()`` is the one-line reason."""

    def __init__(self, path: str | Path, problem: str, kind: str = "unreadable"):
        super().__init__(problem)
        self.path = str(path)
        self.problem = problem
        self.kind = kind

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


@dataclass
class Source:
    """A flow file as read: its exact text (for spans and splicing) and its data."""

    path: str
    text: str
    data: dict[str, Any]
    format: Format
    bom: bool = False
    _map: SourceMap | None = field(default=None, repr=False, compare=False)
    _secrets: Any = field(default=None, repr=False, compare=False)

    @property
    def secrets(self):
        """The flow's credential values as a masking function (``redact.Secrets``), found once
        for lint's messages and show's view alike."""
        if self._secrets is None:
            from connectflow.redact import Secrets

            self._secrets = Secrets(self.data)
        return self._secrets

    @property
    def sourcemap(self) -> SourceMap:
        """The span of every value (built on first use; to place a few pointers, ``locate_all``)."""
        if self._map is None:
            self._map = SourceMap(self.text)
        return self._map

    def locate(self, pointer: str) -> tuple[int, int] | None:
        """1-based (line, column) of the value at ``pointer``, or None."""
        return self.locate_all([pointer])[pointer]

    def locate_all(self, pointers) -> dict[str, tuple[int, int] | None]:
        """``locate`` for many pointers in one pass that reads only their paths."""
        if self._map is not None:
            return {pointer: self._map.locate(pointer) for pointer in pointers}
        pointers = list(pointers)
        if self.format is Format.JSON:
            from connectflow.load.layout import place_all

            placed = place_all(self.text, self.data, pointers)  # the editor's layout: no reading
            if placed is not None:
                return placed
        return locate_all(self.text, pointers)


_BOM = b"\xef\xbb\xbf"


def decode_text(path: str | Path, raw: bytes) -> tuple[str, bool]:
    """UTF-8 text of ``raw`` (BOM removed and reported) or a LoadError."""
    bom = raw.startswith(_BOM)
    if bom:
        raw = raw[len(_BOM):]
    try:
        return raw.decode("utf-8"), bom
    except UnicodeDecodeError as err:
        raise LoadError(path, f"not UTF-8 text (invalid byte at offset {err.start}); "
                              "flow files are UTF-8 JSON", "encoding") from None


def parse_json(path: str | Path, text: str) -> Any:
    """``text`` parsed by the standard decoder, or a LoadError: what orjson left undecided
    (``load_bytes`` gives it the file's bytes first)."""
    from connectflow.load.decode import JSONLimitError, _by_json

    try:
        return _by_json(text)
    except JSONLimitError as err:
        raise LoadError(path, f"JSON refused: {err}", "json") from None
    except json.JSONDecodeError as err:
        where = f"line {err.lineno} column {err.colno}"
        if err.pos >= len(text.rstrip()):
            raise LoadError(path, f"truncated JSON: the document ends early ({where})", "json") from None
        raise LoadError(path, f"invalid JSON at {where}: {err.msg}", "json") from None


def check_flow_shape(path: str | Path, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise LoadError(path, f"JSON document is a {type(data).__name__}, not a Webex Connect flow "
                              "(expected an object with a 'cells' list)", "not-a-flow")
    if not isinstance(data.get("cells"), list):
        raise LoadError(path, "JSON document is not a Webex Connect flow: it has no 'cells' list", "not-a-flow")
    return data


def load_bytes(path: str | Path, raw: bytes, _archive_depth: int = 0) -> Source:
    fmt = sniff(raw)
    if fmt is Format.EMPTY:
        raise LoadError(path, "file is empty", "empty")
    if fmt is Format.BINARY:
        raise LoadError(path, "binary file, not a flow (expected UTF-8 JSON)", "binary")
    if fmt is Format.ENCRYPTED:
        raise LoadError(path, _ENCRYPTED_HELP, "encrypted")
    if fmt is Format.ZIP:
        from connectflow.load.zip_ import open_zip

        if _archive_depth:
            raise LoadError(path, "a zip archive inside a zip archive; extract the flow first", "zip")
        member_name, member = open_zip(path, raw)
        try:
            return load_bytes(f"{path}!{member_name}", member, _archive_depth + 1)
        except LoadError as err:
            raise LoadError(path, f"{member_name} inside the archive: {err.problem}", err.kind) from None
    if fmt is Format.JSON:
        from connectflow.load.decode import UNDECIDED, by_orjson

        # The bytes first, then the text: the parse's peak (the parser's own copy of the
        # document besides the objects it makes) holds one copy of the file, not two.
        data = by_orjson(memoryview(raw)[len(_BOM):] if raw.startswith(_BOM) else raw)
        text, bom = decode_text(path, raw)
        if data is UNDECIDED:
            data = parse_json(path, text)
        return Source(str(path), text, check_flow_shape(path, data), fmt, bom)
    text, bom = decode_text(path, raw)
    if fmt is Format.XML:
        from connectflow.load.xml_ import parse_mxgraph

        data = parse_mxgraph(path, text)
        return Source(str(path), text, check_flow_shape(path, data), fmt, bom)
    raise LoadError(path, "not a flow file: neither JSON, mxGraph XML nor a Cisco .workflow export", "unknown")


def load_source(path: str | Path) -> Source:
    """Read ``path`` and return its :class:`Source`, or raise :class:`LoadError`."""
    from connectflow.load.reader import ReadError, read_regular

    try:
        raw = read_regular(path)
    except ReadError as err:
        raise LoadError(path, err.problem, "io") from None
    return load_bytes(path, raw)


_ENCRYPTED_HELP = (
    "encrypted Cisco .workflow export: it cannot be read offline. Import it into Webex Connect, "
    "then lint the flow JSON from the editor (or a plain-JSON export) instead"
)
