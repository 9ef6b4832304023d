"""One `leerzone run` per database, enforced with an OS lock on the database file itself.

Slot and event claims in SQLite already keep two processes from posting a prompt or a tip
twice, but a running process also owns things no row can share: its scheduler's timers, its
caches, and the start-up recovery that re-sends what a stopped process left pending (that
recovery is only safe when no other `run` is alive). The lock is released by the OS when
the process dies, however it dies, so a crash never leaves a stale lock behind.
`leerzone post-prompts` takes no lock: it may run beside a `run` (slot claims keep it safe).

The lock is a `flock` on the database file's inode, not on a name: a second `run` that reaches
the same database through a symlink or a hard link finds it taken. (flock and SQLite's own
POSIX byte-range locks do not interact on Linux; the holder's pid, for the message, goes in a
small file next to the resolved path.) On Windows there is no flock: one process per
database is then up to the operator.
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path
from typing import IO

from bot.storage.database import private_file

try:
    import fcntl
except ImportError:  # Windows: no flock; one process is then up to the operator
    fcntl = None  # type: ignore[assignment]


class AlreadyRunning(RuntimeError):
    def __init__(self, lock_path: str, holder: str) -> None:
        super().__init__(f"{lock_path} is held by process {holder or '?'}")
        self.lock_path = lock_path
        self.holder = holder


class RunLock:
    """Held from `acquire()` until `release()` or the end of the process."""

    def __init__(self, db_path: str) -> None:
        self.db_path = Path(db_path)
        self.path = f"{os.path.realpath(db_path)}.run.lock"  # who holds it, for the message
        self._file: IO[bytes] | None = None

    def acquire(self) -> RunLock:
        private_file(self.db_path)  # the database may not exist yet: create it, private
        handle = open(os.path.realpath(self.db_path), "rb")  # noqa: SIM115 (held open)
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                raise AlreadyRunning(self.path, self._holder()) from None
        self._file = handle
        with suppress(OSError):  # only informative: the lock holds without it
            Path(self.path).write_text(str(os.getpid()))
        return self

    def _holder(self) -> str:
        try:
            return Path(self.path).read_text().strip()
        except OSError:
            return ""

    def release(self) -> None:
        if self._file is not None:
            if fcntl is not None:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
