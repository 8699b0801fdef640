"""Parses of the files every run reads, kept between runs: a lint need not import and run
the YAML or the TOML parser.

Every lint reads the shipped YAML rules (and those of ``--rules``), the catalogue of template
values (``catalogue.toml``) and the settings table (``settings.toml``). Importing PyYAML and
parsing the rules is a tenth of a lint's start-up; importing tomllib and parsing the two tables
as much again. The parse of each file is written to the user's cache
(``$XDG_CACHE_HOME/connectflow/parses.json``, else ``~/.cache/connectflow/parses.json``) as
JSON, keyed by the file's path, size and modification time (as Python keys its bytecode); a
file that changed is parsed again. Only the parse is kept: every run validates and builds what
it needs from it (the rules, the settings' entries), so an entry is trusted no more than the
file it came from. A parse JSON cannot hold exactly (a date, a number as a key) is not kept.
A cache that cannot be read or written is passed over silently: the files are the truth, the
cache only saves time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

_VERSION = 1  # of the file's form
_MISSING = object()


def cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "connectflow" / "parses.json"


def _stamp(path: Path) -> list[int]:
    status = path.stat()
    return [status.st_size, status.st_mtime_ns]


class ParseCache:
    """The kept parses, read when made; ``save`` writes back what was added."""

    def __init__(self) -> None:
        self._entries: dict[str, dict] = {}
        self._added = False
        try:
            document = json.loads(cache_file().read_text(encoding="utf-8"))
            if isinstance(document, dict) and document.get("version") == _VERSION \
                    and isinstance(document.get("files"), dict):
                self._entries = document["files"]
        except (OSError, ValueError):
            pass  # no cache yet, or a damaged one: parse the files

    def get(self, path: Path) -> Any:
        """The parse of ``path`` when it is kept and the file is unchanged, else ``_MISSING``."""
        entry = self._entries.get(str(path.resolve()))
        try:
            if isinstance(entry, dict) and entry.get("stamp") == _stamp(path):
                return entry.get("data", _MISSING)
        except OSError:
            pass
        return _MISSING

    def put(self, path: Path, data: Any) -> None:
        try:
            if json.loads(json.dumps(data)) != data:  # e.g. a number as a key: not kept
                return
            self._entries[str(path.resolve())] = {"stamp": _stamp(path), "data": data}
            self._added = True
        except (OSError, TypeError, ValueError):  # a YAML date or set: not JSON
            pass

    def save(self) -> None:
        if not self._added:
            return
        kept = {name: entry for name, entry in self._entries.items() if os.path.exists(name)}
        try:
            from connectflow.patch.write import write_atomic

            target = cache_file()
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, json.dumps({"version": _VERSION, "files": kept}).encode("utf-8"))
            self._added = False
        except OSError:
            pass  # a read-only home: the next run parses again


def parsed(path: Path, cache: ParseCache, parse) -> Any:
    """``parse(path)``, or its kept result when the file has not changed since."""
    data = cache.get(path)
    if data is _MISSING:
        data = parse(path)
        cache.put(path, data)
    return data


def parsed_file(path: str | Path, parse) -> Any:
    """``parsed`` for one file on its own (``yaml_rules.load_dir`` keeps a directory's at once)."""
    cache = ParseCache()
    data = parsed(Path(path), cache, parse)
    cache.save()
    return data


def toml(path: Path) -> Any:
    """A shipped TOML table's parse (the only place connectflow's own data needs tomllib)."""
    import tomllib

    with open(path, "rb") as file:
        return tomllib.load(file)
