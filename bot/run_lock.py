"""One `leerzone run` per database, enforced with an OS file lock next to it.

Slot and event claims in SQLite already keep two processes from posting a prompt or a tip
twice, but a running process also owns things no row can share: its scheduler's timers, its
caches, and the start-up recovery that re-sends what a stopped process left pending (that
recovery is only safe when no other `run` is alive). The lock is released by the OS when
the process dies, however it dies, so a crash never leaves a stale lock behind.
`leerzone post-prompts` takes no lock: it may run beside a `run` (slot claims keep it safe).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

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
        self.path = f"{db_path}.run.lock"
        self._file: IO[str] | None = None

    def acquire(self) -> RunLock:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 (kept open while the lock is held)
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.seek(0)
                holder = handle.read().strip()
                handle.close()
                raise AlreadyRunning(self.path, holder) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle
        return self

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the flock
            self._file = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
