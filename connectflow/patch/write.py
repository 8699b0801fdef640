"""Atomic file replacement: the target holds either its old bytes or the new ones.

The new bytes go to a temporary file in the same folder (so ``os.replace`` is a
rename on one file system, which POSIX and Windows make atomic), are flushed to
disk, get the original's permission bits, and only then replace the target. On
any failure the temporary file is removed and the target is untouched.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def _default_mode() -> int:
    umask = os.umask(0)  # read the umask: there is no getter
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: str | Path, data: bytes) -> None:
    """Replace ``path`` with ``data``. A symlink is followed: its target is replaced, the link kept."""
    target = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = _default_mode()
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
