"""The one way connectflow reads a file: regular files only, never more than a cap.

Flows, rule files, profiles and ECC imports all come through :func:`read_regular`.
A FIFO, a device (``/dev/zero``) or a socket named ``*.json`` is refused before a
byte is read (it would block forever or never end), and a file larger than its cap
is refused instead of filling memory. The platform stores a flow of at most 10 MB;
``FLOW_CAP`` leaves room for pretty-printed exports.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MiB = 1024 * 1024
FLOW_CAP = 64 * MiB  # documented in README ("Limits")
CONFIG_CAP = 4 * MiB  # rule files, profiles, ECC lists


class ReadError(OSError):
    """``str()`` is the one-line problem (without the path)."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem

    def __str__(self) -> str:
        return self.problem


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def read_regular(path: str | Path, cap: int = FLOW_CAP) -> bytes:
    """The bytes of the regular file ``path`` (symlinks followed), or ReadError."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; we refuse it right after.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except IsADirectoryError:
        raise ReadError("is a directory, not a file") from None
    except OSError as err:
        raise ReadError(f"cannot read: {err.strerror or err}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            if stat.S_ISDIR(info.st_mode):
                raise ReadError("is a directory, not a file")
            raise ReadError(f"is {_kind(info.st_mode)}; only regular files are read")
        if info.st_size > cap:
            raise ReadError(f"file is {info.st_size:,} bytes, over connectflow's cap of {cap:,} bytes")
        # The size read at once, plus a byte to see the end: one copy of the bytes, not chunks
        # joined into a second (a 10 MB flow held both for a moment).
        chunks, total = [], 0
        chunk = os.read(fd, info.st_size + 1)
        while chunk:
            total += len(chunk)
            if total > cap:  # the file grew while we read it
                raise ReadError(f"file is over connectflow's cap of {cap:,} bytes")
            chunks.append(chunk)
            chunk = os.read(fd, 1 << 20)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except ReadError:
        raise
    except OSError as err:
        raise ReadError(f"cannot read: {err.strerror or err}") from None
    finally:
        os.close(fd)


def read_text(path: str | Path, cap: int = CONFIG_CAP) -> str:
    """UTF-8 text of a regular file (BOM dropped), or ReadError."""
    raw = read_regular(path, cap)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ReadError(f"not UTF-8 text (invalid byte at offset {err.start})") from None
