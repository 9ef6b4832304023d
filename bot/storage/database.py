"""SQLite storage through sqlite-utils: connections, transactions, and what every store shares.

Bolt runs listeners on a thread pool and the scheduler has threads of its own, so every thread
gets its own connection. WAL lets readers carry on while one writer writes; a generous busy
timeout plus `BEGIN IMMEDIATE` for read-then-write steps means writers queue instead of failing
with "database is locked".

`Storage` knows no table. Each table belongs to one store (see migrations.py), which holds all
of that table's SQL and declares which of its columns name a person and which date a row, so
forget-me and retention can ask every store to clean up after itself.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from sqlite_utils import Database

from bot.storage.migrations import migrations

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000
# What SQLite raises when it can't write: read-only file, disk full, I/O error, locked too long.
STORAGE_ERRORS = (sqlite3.OperationalError,)


def is_busy(err: BaseException) -> bool:
    """Another connection held the lock longer than we waited: try again later, nothing is
    wrong with the file (unlike read-only, disk full or I/O errors)."""
    text = str(err)
    return isinstance(err, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def private_file(path: Path) -> None:
    """Create a data file readable by its owner only (0600), in a folder only they can enter
    (0700) when we create that folder. SQLite gives its -wal and -shm files the database
    file's permissions, so they are private too."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def stamp(moment: datetime) -> str:
    """A moment as stored: ISO 8601 in UTC, to the second (sorts as text)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def rows_of(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def read_only_snapshot(path: str, limit: int = 50) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows (up to `limit` each), read through a read-only connection: what a
    works council member would see opening the file with sqlite3 (the playground shows it)."""
    conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != '_sqlite_migrations' ORDER BY name"
            )
        ]
        return {
            table: [dict(row) for row in conn.execute(f'SELECT * FROM "{table}" LIMIT ?', [limit])]
            for table in tables
        }
    finally:
        conn.close()


class Storage:
    """One SQLite file, one connection per thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            private_file(Path(self.path))
        self._local = threading.local()
        # Extra PRAGMAs for connections opened from now on. Tests use it to play a read-only
        # file (query_only) or a full disk (max_page_count), which root can't otherwise fake.
        self.connect_pragmas: list[str] = []
        self._connections: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._lock = threading.Lock()
        db = self.db
        db.conn.execute("PRAGMA journal_mode=WAL")
        migrations.apply(db)

    @property
    def db(self) -> Database:
        db: Database | None = getattr(self._local, "db", None)
        if db is None:
            # check_same_thread off only so close() may close the connection of a thread that
            # has ended; each connection is otherwise used only by the thread that opened it.
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous=NORMAL")
            # deleted rows are overwritten with zeros, not left readable in free pages
            conn.execute("PRAGMA secure_delete=ON")
            for pragma in self.connect_pragmas:
                conn.execute(f"PRAGMA {pragma}")
            db = Database(conn)
            self._local.db = db
            self._local.wait_ms = BUSY_TIMEOUT_MS
            with self._lock:
                self._connections.append((threading.current_thread(), conn))
        return db

    def close(self) -> None:
        """Close this thread's connection and those of threads that have ended.

        A connection still owned by a live thread (a listener that is finishing) is left
        alone: closing it under that thread's feet would crash SQLite.
        """
        current = threading.current_thread()
        with self._lock:
            keep = []
            for thread, conn in self._connections:
                if thread is current or not thread.is_alive():
                    conn.close()
                else:
                    keep.append((thread, conn))
            self._connections = keep
        self._local.__dict__.pop("db", None)

    def checkpoint(self) -> None:
        """Move the write-ahead log into the database and empty it, after a deletion: with
        secure_delete, the deleted text is then gone from the files too, not waiting in the
        WAL until some later checkpoint."""
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except STORAGE_ERRORS as err:  # busy or read-only: the next checkpoint will do it
            log.warning("checkpoint after a deletion postponed: %s", err)

    def insert_once(self, table: str, row: dict[str, Any]) -> bool:
        """Insert a row guarded by a UNIQUE key: True if this call made it, False if it existed.

        This is how "only once" is kept across threads, retries and processes.
        """
        try:
            with self.write() as db:
                db.table(table).insert(row)
        except sqlite3.IntegrityError:
            return False
        return True

    @contextmanager
    def write(self, wait_ms: int | None = None) -> Iterator[Database]:
        """A write transaction that takes the write lock up front (no upgrade deadlocks).
        `wait_ms`: how long to wait for another writer's lock, when less than the usual
        BUSY_TIMEOUT_MS will do (work done before an ack to Slack cannot wait long).

        A connection opened while the file could not be written stays read-only for good:
        when a write fails that way, this thread's connection is dropped, so the next unit of
        work opens a fresh one and works again as soon as the file is writable.

        Inside a write already open in this thread, the block joins that transaction: a unit
        of work that spans stores (a report's scan, its tips' claims and its event, see
        nudges/delivery.py) is one BEGIN and one COMMIT. A statement that fails in a joined
        block undoes itself only, as SQLite does; the outermost block commits or rolls back.
        """
        if getattr(self._local, "writing", False):
            yield self.db
            return
        db = self.db
        try:
            self._wait_at_most(db, BUSY_TIMEOUT_MS if wait_ms is None else int(wait_ms))
            db.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            self._drop_if_read_only(err)
            raise
        self._local.writing = True
        try:
            yield db
        except BaseException as err:
            self._local.writing = False
            db.conn.execute("ROLLBACK")
            self._drop_if_read_only(err)
            raise
        else:
            self._local.writing = False
            try:
                db.conn.execute("COMMIT")
            except sqlite3.OperationalError as err:
                self._drop_if_read_only(err)
                raise

    def _wait_at_most(self, db: Database, wait_ms: int) -> None:
        """Set how long this thread's connection waits for another writer's lock, only when
        that changes: a thread keeps its last setting (request threads the short wait before
        an ack, pool threads the usual one), where setting and resetting it around every
        transaction cost two statements more per claim before the ack."""
        if self._local.wait_ms != wait_ms:
            db.conn.execute(f"PRAGMA busy_timeout={wait_ms}")
            self._local.wait_ms = wait_ms

    def _drop_if_read_only(self, err: BaseException) -> None:
        if isinstance(err, sqlite3.OperationalError) and "readonly" in str(err).replace("-", ""):
            log.warning("the database could not be written (%s): reconnecting next time", err)
            self.close()

    def health(self) -> str:
        """ "ok", "busy" (another writer holds the lock: fine) or "read-only" (no write would
        succeed now: a read-only file or mount). Asked on a fresh connection, so it tells how
        the file is now, not how it was when some thread connected; nothing is changed."""
        if self.path == ":memory:":
            return "ok"
        try:
            conn = sqlite3.connect(self.path, timeout=0.5)
        except sqlite3.Error:
            return "read-only"
        try:
            for pragma in self.connect_pragmas:
                conn.execute(f"PRAGMA {pragma}")
            conn.execute("BEGIN IMMEDIATE")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute(f"PRAGMA user_version = {int(version)}")  # a write that changes nothing
            conn.execute("ROLLBACK")
            return "ok"
        except sqlite3.OperationalError as err:
            return "busy" if is_busy(err) else "read-only"
        finally:
            conn.close()


class TableStore:
    """The base of every store: the tables it owns, and how a person and old rows leave them.

    PERSONAL: table -> the columns that can hold a user id (forget-me deletes those rows).
    BLANKED: table -> a column naming who changed a shared row (forget-me blanks it).
    DATED: table -> its timestamp column (retention deletes rows older than the cutoff).
    The export reads the same declarations, so whatever forget-me would touch, the person
    can see first: one list of where a person is named, used both ways.
    """

    PERSONAL: ClassVar[dict[str, tuple[str, ...]]] = {}
    BLANKED: ClassVar[dict[str, str]] = {}
    DATED: ClassVar[dict[str, str]] = {}

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def forget(self, db: Database, team_id: str, user_id: str) -> dict[str, int]:
        """Within the caller's transaction: delete every row about the person, per table."""
        counts = {}
        for table, columns in self.PERSONAL.items():
            where = " OR ".join(f"{column} = ?" for column in columns)
            cursor = db.execute(
                f"DELETE FROM {table} WHERE team_id = ? AND ({where})",
                [team_id, *([user_id] * len(columns))],
            )
            counts[table] = cursor.rowcount
        for table, column in self.BLANKED.items():
            db.execute(
                f"UPDATE {table} SET {column} = NULL WHERE team_id = ? AND {column} = ?",
                [team_id, user_id],
            )
        return counts

    def export(self, team_id: str, user_id: str) -> dict[str, list[dict[str, Any]]]:
        """Every row of this store's tables that names the person, in any role, per table."""
        found: dict[str, list[dict[str, Any]]] = {}
        wheres = {t: list(columns) for t, columns in self.PERSONAL.items()}
        for table, column in self.BLANKED.items():
            wheres.setdefault(table, []).append(column)
        for table, columns in wheres.items():
            where = " OR ".join(f"{column} = ?" for column in columns)
            found[table] = rows_of(
                self.storage.db.execute(
                    f"SELECT * FROM {table} WHERE team_id = ? AND ({where}) ORDER BY rowid",
                    [team_id, *([user_id] * len(columns))],
                )
            )
        return found

    def purge(self, db: Database, cutoff: datetime) -> dict[str, int]:
        """Within the caller's transaction: delete rows dated before the cutoff, per table."""
        return {
            table: db.execute(f"DELETE FROM {table} WHERE {column} < ?", [stamp(cutoff)]).rowcount
            for table, column in self.DATED.items()
        }
