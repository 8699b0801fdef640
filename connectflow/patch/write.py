"""Safe replacement of files: each target holds its old bytes or its new ones, never a mix.

``write_files`` writes a whole patch run:

1. refuse targets that are not regular files (``-o /dev/null`` must not turn a device
   into a file) and read-only ones (unless ``force``);
2. write every new content to a temporary file next to its target (same file system,
   so ``os.replace`` is an atomic rename), flushed to disk, with the target's
   permission bits and owner;
3. lock every target (``flock``, in path order) and check that each in-place input
   still holds the bytes the patch was computed from: a concurrent patch or editor
   that got there first makes this run fail (``ConflictError``) instead of silently
   losing its update;
4. replace all targets with SIGTERM/SIGINT/SIGHUP held back, so a signal cannot
   leave half of a multi-file run written; then report exactly what was written.

Temporary files are named ``.<name>.connectflow-<pid>-<random>.tmp``: they are
removed on any error or signal, and one left by a process that no longer exists
(``kill -9``) is removed by the next run that writes next to it. Replacing a file
gives it a new inode: other hard links to it keep the old content (we say so).
"""

from __future__ import annotations

import os
import re
import signal
import stat
from dataclasses import dataclass, field
from pathlib import Path

_SIGNALS = tuple(s for s in (getattr(signal, n, None) for n in ("SIGTERM", "SIGINT", "SIGHUP")) if s is not None)
_TEMP = re.compile(r"^\.(?P<name>.+)\.connectflow-(?P<pid>\d+)-[0-9a-f]{8}\.tmp$")


class WriteError(OSError):
    """A target that cannot be written; ``str()`` is one line. Nothing was replaced."""


class ConflictError(WriteError):
    """An input changed on disk while it was being patched."""


class Interrupted(BaseException):
    """A termination signal arrived while writing; temporary files are gone."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class Encoded:
    """Bytes given as the text they encode (UTF-8, after ``prefix``), encoded a piece at a time
    as they are written or compared: a large flow's bytes are never held whole beside its text.
    The text is a ``str``, or a function that gives it in ``str`` pieces (made as they are read)."""

    PIECE = 1 << 20  # characters

    def __init__(self, text, prefix: bytes = b""):
        self.text, self.prefix = text, prefix

    def pieces(self):
        if self.prefix:
            yield self.prefix
        for part in (self.text,) if isinstance(self.text, str) else self.text():
            for start in range(0, len(part), self.PIECE):
                yield part[start:start + self.PIECE].encode("utf-8")


def _pieces(data: "bytes | Encoded"):
    if isinstance(data, Encoded):
        yield from data.pieces()
    else:
        yield data


@dataclass
class Job:
    target: str                    # where the bytes go
    data: "bytes | Encoded"
    expect: "bytes | Encoded | None" = None  # for --in-place: the bytes the patch was computed from
    real: Path = field(init=False)
    temp: str | None = field(default=None, init=False)
    notes: list[str] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.real = Path(os.path.realpath(self.target))  # a symlink is followed: its target is replaced


def _default_mode() -> int:
    umask = os.umask(0)  # read the umask: there is no getter
    os.umask(umask)
    return 0o666 & ~umask


def _kind(mode: int) -> str:
    from connectflow.load.reader import _kind as kind

    return kind(mode)


def _inspect(job: Job, force: bool) -> os.stat_result | None:
    try:
        info = os.stat(job.real)
    except FileNotFoundError:
        return None
    except OSError as err:
        raise WriteError(f"{job.target}: cannot write ({err.strerror or err})") from None
    if not stat.S_ISREG(info.st_mode):
        raise WriteError(f"{job.target}: is {_kind(info.st_mode)}; patch writes regular files only")
    if not force and (info.st_mode & 0o222 == 0 or not os.access(job.real, os.W_OK)):
        raise WriteError(f"{job.target}: is read-only; make it writable or pass --force to replace it")
    if info.st_nlink > 1:
        job.notes.append(f"{job.target} had {info.st_nlink} hard links: it is replaced by a new file, "
                         "the other links keep the old content")
    return info


def remove_stale_temps(folder: Path) -> list[str]:
    """Remove our temporary files in ``folder`` whose process is gone (left by kill -9)."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        match = _TEMP.match(name)
        if not match or int(match.group("pid")) == os.getpid():
            continue
        try:
            os.kill(int(match.group("pid")), 0)
            continue  # still running: not stale
        except ProcessLookupError:
            pass
        except (PermissionError, OverflowError, OSError):
            continue  # someone else's live process
        try:
            os.unlink(folder / name)
            removed.append(str(folder / name))
        except OSError:
            pass
    return removed


def _write_temp(job: Job, info: os.stat_result | None, force: bool) -> None:
    folder = job.real.parent
    # os.urandom(4).hex() is secrets.token_hex(4): the secrets module would load OpenSSL (5 MiB)
    job.temp = str(folder / f".{job.real.name}.connectflow-{os.getpid()}-{os.urandom(4).hex()}.tmp")
    fd = os.open(job.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as stream:
        for piece in _pieces(job.data):
            stream.write(piece)
        stream.flush()
        os.fsync(stream.fileno())
        if info is not None and (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
            try:
                os.fchown(stream.fileno(), info.st_uid, info.st_gid)
            except PermissionError:
                if not force:
                    raise WriteError(f"{job.target}: cannot keep its owner ({info.st_uid}:{info.st_gid}); "
                                     "pass --force to replace it as your own file") from None
        os.fchmod(stream.fileno(), stat.S_IMODE(info.st_mode) if info is not None else _default_mode())


def _lock(job: Job):
    """An flock on the target's current inode, or None when there is no target yet."""
    import fcntl

    while True:
        try:
            fd = os.open(job.real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except FileNotFoundError:
            return None
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            same = os.fstat(fd).st_ino == os.stat(job.real).st_ino
        except FileNotFoundError:
            same = False
        if same:  # nobody replaced it while we waited
            return fd
        os.close(fd)


def _unchanged(job: Job, fd: int | None) -> bool:
    if job.expect is None:
        return True
    if fd is None:
        return False
    os.lseek(fd, 0, os.SEEK_SET)
    for piece in _pieces(job.expect):  # compared as read, a piece at a time
        view = memoryview(piece)
        while view:
            chunk = os.read(fd, min(len(view), 1 << 20))
            if not chunk or view[:len(chunk)] != chunk:
                return False
            view = view[len(chunk):]
    return os.read(fd, 1) == b""


def _cleanup(jobs: list[Job]) -> None:
    for job in jobs:
        if job.temp is not None:
            try:
                os.unlink(job.temp)
            except OSError:
                pass
            job.temp = None


def _raise_interrupted(signum, _frame):
    raise Interrupted(signum)


def write_files(jobs: list[Job], force: bool = False) -> list[str]:
    """Write every job or none (see module doc). Returns notes (hard links, stale temps removed).
    Raises WriteError / ConflictError (nothing replaced) or Interrupted (nothing replaced)."""
    notes: list[str] = []
    for folder in sorted({job.real.parent for job in jobs}):
        notes += [f"removed a temporary file left by an interrupted run: {p}" for p in remove_stale_temps(folder)]
    import threading

    on_main = threading.current_thread() is threading.main_thread()  # signal handlers live there only
    previous = {s: signal.getsignal(s) for s in _SIGNALS} if on_main else {}
    locks: list[int] = []
    try:
        for s in previous:
            signal.signal(s, _raise_interrupted)
        infos = [_inspect(job, force) for job in jobs]
        for job, info in zip(jobs, infos):
            job.real.parent.mkdir(parents=True, exist_ok=True)  # -o DIR may not exist yet
            try:
                _write_temp(job, info, force)
            except WriteError:
                raise
            except OSError as err:
                raise WriteError(f"{job.target}: cannot write ({err.strerror or err})") from None
        for job in sorted(jobs, key=lambda j: str(j.real)):
            fd = _lock(job)
            if fd is not None:
                locks.append(fd)
            if not _unchanged(job, fd):
                raise ConflictError(f"{job.target}: changed on disk while it was being patched "
                                    "(another patch or an editor); run the patch again")
        signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
        written: list[str] = []
        for job in jobs:
            try:
                os.replace(job.temp, job.real)
            except OSError as err:
                raise WriteError(f"{job.target}: cannot replace ({err.strerror or err}); written before it: "
                                 f"{', '.join(written) or 'nothing'}; the others were not changed") from None
            job.temp = None
            written.append(job.target)
    except BaseException:
        _cleanup(jobs)
        raise
    finally:
        for fd in locks:
            os.close(fd)
        for s, handler in previous.items():
            signal.signal(s, handler)
        # A signal held back during the replace is delivered now, with its usual effect:
        # every file is already written and no temporary file is left.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
    for job in jobs:
        notes += job.notes
    return notes


def write_atomic(path: str | Path, data: bytes, force: bool = True) -> None:
    """Replace one file (kept for callers of the old API)."""
    write_files([Job(str(path), data)], force=force)
