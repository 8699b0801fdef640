"""A zip archive (Cisco ships flows as ``X.workflow.zip``): find the one flow inside.

The member is inflated as a stream and stopped at the cap, whatever the archive's
size header claims (a lying header is how a 3 MB file becomes 2 GB in memory).
Member names come from the archive's author: they are shown escaped, and a long
listing is cut short so the message stays one line.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from connectflow.escape import visible
from connectflow.load.reader import FLOW_CAP

_MAX_MEMBER = FLOW_CAP
_LISTED = 5


def _names(members) -> str:
    names = [repr(visible(m.filename)) for m in members[:_LISTED]]
    more = f" and {len(members) - _LISTED:,} more" if len(members) > _LISTED else ""
    return ", ".join(names) + more if names else "nothing"


def open_zip(path: str | Path, raw: bytes) -> tuple[str, bytes]:
    from connectflow.load import LoadError

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = [m for m in archive.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as err:
        raise LoadError(path, f"damaged zip archive ({visible(err)})", "zip") from None
    flows = [m for m in members if m.filename.endswith((".workflow", ".json", ".xml"))] or members
    if len(flows) != 1:
        raise LoadError(path, f"zip archive must hold exactly one flow file; it holds {_names(flows)}", "zip")
    member = flows[0]
    name = visible(member.filename)
    if member.file_size > _MAX_MEMBER:
        raise LoadError(path, f"{name} inside the archive is too large ({member.file_size:,} bytes, "
                              f"cap {_MAX_MEMBER:,})", "zip")
    try:
        with archive.open(member) as stream:
            data = stream.read(_MAX_MEMBER + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, ValueError, EOFError,
            NotImplementedError) as err:
        raise LoadError(path, f"cannot extract {name}: {visible(err)}", "zip") from None
    if len(data) > _MAX_MEMBER:
        raise LoadError(path, f"{name} inside the archive inflates past the cap of {_MAX_MEMBER:,} bytes "
                              "(its size header is wrong)", "zip")
    return name, data
