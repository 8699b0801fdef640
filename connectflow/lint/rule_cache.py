"""Rule files' parses kept between runs, so that a lint need not import and run the YAML parser.

Importing PyYAML and parsing the shipped rules is a tenth of a lint's start-up. The parse of
each rule file is written to the user's cache (``$XDG_CACHE_HOME/connectflow/rules.json``,
else ``~/.cache/connectflow/rules.json``) as JSON, keyed by the file's path, size and
modification time (as Python keys its bytecode); a file that changed is parsed again.
Only the parse is kept: every run validates and compiles the rules from it, so an entry is
trusted no more than the file it came from. A parse JSON cannot hold exactly (a YAML date,
a number as a key) is not kept. A cache that cannot be read or written is passed over
silently: the files are the truth, the cache only saves time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

_VERSION = 1
_MISSING = object()


def cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "connectflow" / "rules.json"


def _stamp(path: Path) -> list[int]:
    status = path.stat()
    return [status.st_size, status.st_mtime_ns]


class RuleCache:
    """The parses of rule files, read once per run; ``save`` writes back what was added."""

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
        except OSError:
            pass  # a read-only home: the next run parses again


def parsed(path: Path, cache: RuleCache, parse) -> Any:
    """``parse(path)``, or its kept result when the file has not changed since."""
    data = cache.get(path)
    if data is _MISSING:
        data = parse(path)
        cache.put(path, data)
    return data
