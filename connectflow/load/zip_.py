"""A zip archive (Cisco ships flows as ``X.workflow.zip``): find the one flow inside."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

_MAX_MEMBER = 64 * 1024 * 1024  # far above the platform's 10 MB flow limit


def open_zip(path: str | Path, raw: bytes) -> tuple[str, bytes]:
    from connectflow.load import LoadError

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = [m for m in archive.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
    except zipfile.BadZipFile as err:
        raise LoadError(path, f"damaged zip archive ({err})", "zip") from None
    flows = [m for m in members if m.filename.endswith((".workflow", ".json", ".xml"))] or members
    if len(flows) != 1:
        names = ", ".join(m.filename for m in flows) or "nothing"
        raise LoadError(path, f"zip archive must hold exactly one flow file; it holds {names}", "zip")
    member = flows[0]
    if member.file_size > _MAX_MEMBER:
        raise LoadError(path, f"{member.filename} inside the archive is too large ({member.file_size} bytes)", "zip")
    try:
        return member.filename, archive.read(member)
    except (zipfile.BadZipFile, OSError, RuntimeError) as err:
        raise LoadError(path, f"cannot extract {member.filename}: {err}", "zip") from None
