"""SQLite storage through sqlite-utils.

Bolt runs listeners on a thread pool and the scheduler has threads of its own, so every thread
gets its own connection. WAL lets readers carry on while one writer writes; a generous busy
timeout plus `BEGIN IMMEDIATE` for read-then-write steps means writers queue instead of failing
with "database is locked".
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from sqlite_utils import Database, Migrations

BUSY_TIMEOUT_MS = 30_000
CHANNEL_TTL = 30.0  # seconds a channel's settings are kept in memory
# What SQLite raises when it can't write: read-only file, disk full, I/O error, locked too long.
STORAGE_ERRORS = (sqlite3.OperationalError,)
SHARE_CHOICES = ("no", "named", "anonymous")

migrations = Migrations("leerzone")


@migrations()
def m001_failures_and_channels(db: Database) -> None:
    # AUTOINCREMENT (raw SQL: sqlite-utils cannot ask for it) so a deleted id is never handed
    # out again and "/fout wis 12" can never hit a newer entry by accident.
    db.execute(
        """
        CREATE TABLE failures (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            team_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            channel_id TEXT,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            kind_source TEXT NOT NULL DEFAULT 'guess',
            lesson TEXT,
            shared TEXT NOT NULL DEFAULT 'no',
            shared_channel_id TEXT,
            shared_ts TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT
        )
        """
    )
    db["failures"].create_index(["team_id", "user_id", "created_at"])
    db["channels"].create(
        {
            "team_id": str,
            "channel_id": str,
            "language": str,
            "leaders": str,
            "updated_by": str,
            "updated_at": str,
        },
        pk=("team_id", "channel_id"),
    )


@migrations()
def m002_events_scans_nudges(db: Database) -> None:
    # One row per Slack event we act on: the UNIQUE claim that makes retries harmless.
    db["event_claims"].create(
        {"event_id": str, "team_id": str, "status": str, "claimed_at": str}, pk="event_id"
    )
    # Scanned mistake reports: ids, time, kind and score only — never the message text.
    db["scans"].create(
        {
            "team_id": str,
            "channel_id": str,
            "ts": str,
            "thread_ts": str,
            "user_id": str,
            "kind": str,
            "score": float,
            "cue_category": str,
            "false_positive": int,
            "created_at": str,
        },
        pk=("team_id", "channel_id", "ts"),
        defaults={"false_positive": 0},
    )
    db["nudges"].create(
        {
            "id": int,
            "team_id": str,
            "channel_id": str,
            "thread_ts": str,
            "message_ts": str,
            "leader_id": str,
            "author_id": str,
            "purpose": str,  # suggestion | reframe | appreciation
            "kind": str,
            "variant": int,
            "status": str,  # sent | done | other | false_positive | later | failed
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        defaults={"variant": 0, "status": "sent"},
    )
    # At most one nudge of each purpose per leader per thread.
    db["nudges"].create_index(
        ["team_id", "channel_id", "thread_ts", "leader_id", "purpose"], unique=True
    )
    db["nudges"].create_index(["team_id", "leader_id", "created_at"])
    db["mutes"].create(
        {"team_id": str, "channel_id": str, "leader_id": str, "until": str},
        pk=("team_id", "channel_id", "leader_id"),
    )


@migrations()
def m003_schedules_rotation_slots(db: Database) -> None:
    db["schedules"].create(
        {
            "team_id": str,
            "channel_id": str,
            "weekday": int,
            "at": str,  # HH:MM local
            "every_weeks": int,
            "timezone": str,
            "anchor": str,  # ISO date; biweekly slots are even weeks from here
            "enabled": int,
            "updated_by": str,
            "updated_at": str,
        },
        pk=("team_id", "channel_id"),
    )
    db["rotations"].create(
        {
            "team_id": str,
            "channel_id": str,
            "state": str,  # JSON of rotation.RotationState
            "updated_at": str,
        },
        pk=("team_id", "channel_id"),
    )
    # One row per (channel, slot): the claim that makes a prompt post exactly once.
    db["prompt_slots"].create(
        {
            "team_id": str,
            "channel_id": str,
            "slot": str,
            "prompt_id": str,
            "status": str,  # claimed | posted | failed | skipped
            "attempts": int,
            "ts": str,
            "error": str,
            "replies": int,
            "created_at": str,
            "updated_at": str,
        },
        pk=("team_id", "channel_id", "slot"),
        defaults={"attempts": 0, "replies": 0},
    )
    db["prompt_slots"].create_index(["team_id", "channel_id", "ts"])
    db["leader_invites"].create(
        {"team_id": str, "channel_id": str, "slot": str, "leader_id": str, "sent_at": str},
        pk=("team_id", "channel_id", "slot", "leader_id"),
    )
    db["digests_sent"].create(
        {"team_id": str, "leader_id": str, "week": str, "sent_at": str},
        pk=("team_id", "leader_id", "week"),
    )


@migrations()
def m004_user_prefs_and_lesson_asks(db: Database) -> None:
    db["user_prefs"].create(
        {
            "team_id": str,
            "user_id": str,
            "language": str,
            "lesson_reminders": int,
            "updated_at": str,
        },
        pk=("team_id", "user_id"),
        defaults={"lesson_reminders": 1},
    )
    # The learning loop asks once per entry what was learned.
    db["lesson_asks"].create(
        {"failure_id": int, "team_id": str, "user_id": str, "status": str, "asked_at": str},
        pk="failure_id",
    )


class DeleteResult(Enum):
    DELETED = "deleted"
    NOT_FOUND = "not_found"
    NOT_OWNER = "not_owner"


@dataclass(frozen=True)
class Failure:
    id: int
    team_id: str
    user_id: str
    channel_id: str | None
    text: str
    kind: str
    kind_source: str
    lesson: str | None
    shared: str
    shared_channel_id: str | None
    shared_ts: str | None
    created_at: str
    updated_at: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Failure:
        return cls(**{k: row.get(k) for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class ChannelSettings:
    team_id: str
    channel_id: str
    language: str | None
    leaders: tuple[str, ...]


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """One SQLite file, one connection per thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        # Extra PRAGMAs for connections opened from now on. Tests use it to play a read-only
        # file (query_only) or a full disk (max_page_count), which root can't otherwise fake.
        self.connect_pragmas: list[str] = []
        self._channels: dict[tuple[str, str], tuple[float, ChannelSettings]] = {}
        self._generation = 0
        self._connections: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._lock = threading.Lock()
        db = self.db
        db.conn.execute("PRAGMA journal_mode=WAL")
        migrations.apply(db)

    @property
    def db(self) -> Database:
        db = getattr(self._local, "db", None)
        if db is None:
            # check_same_thread off only so close() may close the connection of a thread that
            # has ended; each connection is otherwise used only by the thread that opened it.
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous=NORMAL")
            for pragma in self.connect_pragmas:
                conn.execute(f"PRAGMA {pragma}")
            db = Database(conn)
            self._local.db = db
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

    def insert_once(self, table: str, row: dict[str, Any]) -> bool:
        """Insert a row guarded by a UNIQUE key: True if this call made it, False if it existed.

        This is how "only once" is kept across threads, retries and processes.
        """
        try:
            with self.write() as db:
                db[table].insert(row)
        except sqlite3.IntegrityError:
            return False
        return True

    @contextmanager
    def write(self) -> Iterator[Database]:
        """A write transaction that takes the write lock up front (no upgrade deadlocks)."""
        db = self.db
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.conn.execute("ROLLBACK")
            raise
        else:
            db.conn.execute("COMMIT")

    # failures -----------------------------------------------------------------------------

    def add_failure(
        self,
        *,
        team_id: str,
        user_id: str,
        channel_id: str | None,
        text: str,
        kind: str,
        kind_source: str = "guess",
        lesson: str | None = None,
    ) -> Failure:
        now = utcnow()
        row = {
            "team_id": team_id,
            "user_id": user_id,
            "channel_id": channel_id,
            "text": text,
            "kind": kind,
            "kind_source": kind_source,
            "lesson": (lesson or "").strip() or None,
            "shared": "no",
            "created_at": now,
            "updated_at": now,
        }
        with self.write() as db:
            new_id = db["failures"].insert(row).last_pk
        return self.get_failure(team_id, new_id)  # type: ignore[return-value]

    def get_failure(self, team_id: str, failure_id: int) -> Failure | None:
        rows = list(self.db["failures"].rows_where("team_id = ? AND id = ?", [team_id, failure_id]))
        return Failure.from_row(rows[0]) if rows else None

    def list_failures(
        self, team_id: str, user_id: str, limit: int = 10, offset: int = 0
    ) -> list[Failure]:
        rows = self.db["failures"].rows_where(
            "team_id = ? AND user_id = ?",
            [team_id, user_id],
            order_by="created_at DESC, id DESC",
            limit=limit,
            offset=offset,
        )
        return [Failure.from_row(r) for r in rows]

    def count_failures(self, team_id: str, user_id: str | None = None) -> int:
        if user_id is None:
            return self.db["failures"].count_where("team_id = ?", [team_id])
        return self.db["failures"].count_where("team_id = ? AND user_id = ?", [team_id, user_id])

    @staticmethod
    def _own_row(db: Database, team_id: str, user_id: str, failure_id: int) -> dict[str, Any]:
        """The entry if it is the user's own; LookupError if absent, PermissionError if not."""
        rows = list(db["failures"].rows_where("team_id = ? AND id = ?", [team_id, failure_id]))
        if not rows:
            raise LookupError(failure_id)
        if rows[0]["user_id"] != user_id:
            raise PermissionError(failure_id)
        return rows[0]

    def _update_own(self, team_id: str, user_id: str, failure_id: int, **changes: Any) -> Failure:
        with self.write() as db:
            self._own_row(db, team_id, user_id, failure_id)
            db["failures"].update(failure_id, {**changes, "updated_at": utcnow()})
        return self.get_failure(team_id, failure_id)  # type: ignore[return-value]

    def set_lesson(self, team_id: str, user_id: str, failure_id: int, lesson: str) -> Failure:
        return self._update_own(team_id, user_id, failure_id, lesson=lesson.strip() or None)

    def set_kind(self, team_id: str, user_id: str, failure_id: int, kind: str) -> Failure:
        return self._update_own(team_id, user_id, failure_id, kind=kind, kind_source="user")

    def claim_share(self, team_id: str, user_id: str, failure_id: int, how: str) -> Failure | None:
        """Mark the entry shared before posting, so a double click can never post twice.

        Returns the updated entry, or None when it was already shared.
        """
        if how not in SHARE_CHOICES[1:]:
            raise ValueError(how)
        with self.write() as db:
            if self._own_row(db, team_id, user_id, failure_id)["shared"] != "no":
                return None
            db["failures"].update(
                failure_id,
                {"shared": how, "updated_at": utcnow()},
            )
        return self.get_failure(team_id, failure_id)

    def record_share(
        self, team_id: str, failure_id: int, ts: str | None, channel_id: str | None = None
    ) -> Failure | None:
        """After the post: keep where it went, or with ts None give the claim back."""
        with self.write() as db:
            if ts is None:
                changes = {"shared": "no", "shared_channel_id": None, "shared_ts": None}
            else:
                changes = {"shared_ts": ts, "shared_channel_id": channel_id}
            db.execute(
                "UPDATE failures SET "
                + ", ".join(f"{k} = ?" for k in changes)
                + ", updated_at = ? WHERE team_id = ? AND id = ?",
                [*changes.values(), utcnow(), team_id, failure_id],
            )
        return self.get_failure(team_id, failure_id)

    def delete_failure(self, team_id: str, user_id: str, failure_id: int) -> DeleteResult:
        with self.write() as db:
            try:
                self._own_row(db, team_id, user_id, failure_id)
            except LookupError:
                return DeleteResult.NOT_FOUND
            except PermissionError:
                return DeleteResult.NOT_OWNER
            db["failures"].delete(failure_id)
        return DeleteResult.DELETED

    # channels -----------------------------------------------------------------------------

    def channel(self, team_id: str, channel_id: str) -> ChannelSettings:
        """A channel's language and leaders. Read for every channel message, so kept in
        memory; a change through `changing_channels` clears the copy, and it lives
        CHANNEL_TTL seconds at most in case another process (or a person with sqlite3)
        changed the row."""
        key = (team_id, channel_id)
        now = time.monotonic()
        cached = self._channels.get(key)
        if cached is not None and now - cached[0] < CHANNEL_TTL:
            return cached[1]
        generation = self._generation
        settings = self._read_channel(team_id, channel_id)
        with self._lock:
            if len(self._channels) > 10_000:
                self._channels.clear()
            if generation == self._generation:  # no write landed while we were reading
                self._channels[key] = (now, settings)
        return settings

    @contextmanager
    def changing_channels(self) -> Iterator[Database]:
        """A write transaction that changes channel rows: the in-memory copies go."""
        try:
            with self.write() as db:
                yield db
        finally:
            with self._lock:
                self._generation += 1
                self._channels.clear()

    def _read_channel(self, team_id: str, channel_id: str) -> ChannelSettings:
        # Plain SQL: sqlite-utils' rows_where first asks the schema whether the table exists.
        row = self.db.execute(
            "SELECT language, leaders FROM channels WHERE team_id = ? AND channel_id = ?",
            [team_id, channel_id],
        ).fetchone()
        if row is None:
            return ChannelSettings(team_id, channel_id, None, ())
        language, leaders = row
        return ChannelSettings(
            team_id, channel_id, language, tuple(json.loads(leaders)) if leaders else ()
        )

    def _upsert_channel(self, team_id: str, channel_id: str, by: str, **values: Any) -> None:
        with self.changing_channels() as db:
            db["channels"].upsert(
                {
                    "team_id": team_id,
                    "channel_id": channel_id,
                    **values,
                    "updated_by": by,
                    "updated_at": utcnow(),
                },
                pk=("team_id", "channel_id"),
            )

    def set_language(self, team_id: str, channel_id: str, language: str, by: str) -> None:
        self._upsert_channel(team_id, channel_id, by, language=language)

    def set_leaders(self, team_id: str, channel_id: str, leaders: list[str], by: str) -> None:
        unique = list(dict.fromkeys(leaders))
        self._upsert_channel(team_id, channel_id, by, leaders=json.dumps(unique))

    # people's own settings ------------------------------------------------------------------

    def user_pref(self, team_id: str, user_id: str) -> dict[str, Any]:
        rows = list(
            self.db["user_prefs"].rows_where("team_id = ? AND user_id = ?", [team_id, user_id])
        )
        return rows[0] if rows else {"language": None, "lesson_reminders": 1}

    def set_user_pref(self, team_id: str, user_id: str, **values: Any) -> None:
        with self.write() as db:
            db["user_prefs"].upsert(
                {"team_id": team_id, "user_id": user_id, **values, "updated_at": utcnow()},
                pk=("team_id", "user_id"),
            )
