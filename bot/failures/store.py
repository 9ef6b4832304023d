"""The failure log (`failures`) and the learning loop's questions (`lesson_asks`).

A person changes only their own entries: every change reads the row inside the write
transaction and refuses someone else's, so a forged button value can't touch another entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlite_utils import Database

from bot.storage.database import TableStore, rows_of, stamp, utcnow

SHARE_CHOICES = ("no", "named", "anonymous")


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
        values: dict[str, Any] = {k: row.get(k) for k in cls.__dataclass_fields__}
        return cls(**values)


@dataclass(frozen=True)
class KindCounts:
    """One channel's entries since a moment, as aggregates (no names, no texts)."""

    people: int
    by_kind: dict[str, int]
    lessons: int
    shared: int


class FailureStore(TableStore):
    PERSONAL = {"failures": ("user_id",), "lesson_asks": ("user_id",)}
    DATED = {"failures": "created_at", "lesson_asks": "asked_at"}

    # the log ---------------------------------------------------------------------------------

    def add(
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
        with self.storage.write() as db:
            new_id = db.table("failures").insert(row).last_pk
        return self._must_get(team_id, int(new_id or 0))

    def get(self, team_id: str, failure_id: int) -> Failure | None:
        rows = list(
            self.storage.db.table("failures").rows_where(
                "team_id = ? AND id = ?", [team_id, failure_id]
            )
        )
        return Failure.from_row(rows[0]) if rows else None

    def _must_get(self, team_id: str, failure_id: int) -> Failure:
        failure = self.get(team_id, failure_id)
        if failure is None:  # only after a write of our own in this thread
            raise LookupError(failure_id)
        return failure

    def latest(self, team_id: str, user_id: str, limit: int = 10, offset: int = 0) -> list[Failure]:
        """A person's own entries, newest first."""
        rows = self.storage.db.table("failures").rows_where(
            "team_id = ? AND user_id = ?",
            [team_id, user_id],
            order_by="created_at DESC, id DESC",
            limit=limit,
            offset=offset,
        )
        return [Failure.from_row(r) for r in rows]

    def count(self, team_id: str, user_id: str | None = None) -> int:
        table = self.storage.db.table("failures")
        if user_id is None:
            return table.count_where("team_id = ?", [team_id])
        return table.count_where("team_id = ? AND user_id = ?", [team_id, user_id])

    @staticmethod
    def _own_row(db: Database, team_id: str, user_id: str, failure_id: int) -> dict[str, Any]:
        """The entry if it is the user's own; LookupError if absent, PermissionError if not."""
        rows = list(
            db.table("failures").rows_where("team_id = ? AND id = ?", [team_id, failure_id])
        )
        if not rows:
            raise LookupError(failure_id)
        if rows[0]["user_id"] != user_id:
            raise PermissionError(failure_id)
        return rows[0]

    def _update_own(self, team_id: str, user_id: str, failure_id: int, **changes: Any) -> Failure:
        with self.storage.write() as db:
            self._own_row(db, team_id, user_id, failure_id)
            db.table("failures").update(failure_id, {**changes, "updated_at": utcnow()})
        return self._must_get(team_id, failure_id)

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
        with self.storage.write() as db:
            if self._own_row(db, team_id, user_id, failure_id)["shared"] != "no":
                return None
            db.table("failures").update(failure_id, {"shared": how, "updated_at": utcnow()})
        return self.get(team_id, failure_id)

    def record_share(
        self, team_id: str, failure_id: int, ts: str | None, channel_id: str | None = None
    ) -> Failure | None:
        """After the post: keep where it went, or with ts None give the claim back."""
        with self.storage.write() as db:
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
        return self.get(team_id, failure_id)

    def shared_between(self, kind: str, since: datetime, until: datetime) -> list[Failure]:
        """Entries of one kind, logged in [since, until) and shared in a channel: exactly what
        the team already saw (never an unshared one), oldest first."""
        rows = self.storage.db.execute(
            "SELECT * FROM failures WHERE kind = ? AND shared != 'no' AND shared_ts IS NOT NULL "
            "AND shared_channel_id IS NOT NULL AND created_at >= ? AND created_at < ? ORDER BY id",
            [kind, stamp(since), stamp(until)],
        )
        return [Failure.from_row(row) for row in rows_of(rows)]

    def shared_count(self, team_id: str, user_id: str, since: datetime) -> int:
        """How many of the person's own entries since a moment they shared in a channel."""
        return int(
            self.storage.db.execute(
                "SELECT count(*) FROM failures WHERE team_id = ? AND user_id = ? "
                "AND shared != 'no' AND created_at >= ?",
                [team_id, user_id, stamp(since)],
            ).fetchone()[0]
        )

    def shared_cards(
        self, team_id: str, user_id: str, failure_id: int | None = None
    ) -> list[tuple[str, str]]:
        """(channel, ts) of the person's cards in channels: they go when their entry goes."""
        only = "" if failure_id is None else " AND id = ?"
        rows = self.storage.db.execute(
            "SELECT shared_channel_id, shared_ts FROM failures WHERE team_id = ? AND user_id = ? "
            f"AND shared_ts IS NOT NULL AND shared_channel_id IS NOT NULL{only} ORDER BY id",
            [team_id, user_id, *([] if failure_id is None else [failure_id])],
        ).fetchall()
        return [(channel, ts) for channel, ts in rows]

    def delete(self, team_id: str, user_id: str, failure_id: int) -> DeleteResult:
        with self.storage.write() as db:
            try:
                self._own_row(db, team_id, user_id, failure_id)
            except LookupError:
                return DeleteResult.NOT_FOUND
            except PermissionError:
                return DeleteResult.NOT_OWNER
            db.table("failures").delete(failure_id)
        self.storage.checkpoint()  # the text leaves the write-ahead log too
        return DeleteResult.DELETED

    def counts(self, team_id: str, channel_id: str, since: datetime) -> KindCounts:
        """A channel's entries since a moment: by kind, with lessons and shares."""
        db = self.storage.db
        args = [team_id, channel_id, stamp(since)]
        where = "WHERE team_id = ? AND channel_id = ? AND created_at >= ?"
        rows = db.execute(
            "SELECT kind, count(*), sum(lesson IS NOT NULL), sum(shared != 'no') "
            f"FROM failures {where} GROUP BY kind",
            args,
        ).fetchall()
        people = db.execute(f"SELECT count(DISTINCT user_id) FROM failures {where}", args)
        return KindCounts(
            people=people.fetchone()[0],
            by_kind={kind: count for kind, count, *_ in rows},
            lessons=sum(r[2] or 0 for r in rows),
            shared=sum(r[3] or 0 for r in rows),
        )

    # the learning loop's questions ---------------------------------------------------------

    def without_lesson(self, created_before: datetime) -> list[tuple[str, str, int]]:
        """Per person, their oldest entry without a lesson, never asked about, created before
        the moment: (team_id, user_id, failure_id)."""
        return self.storage.db.execute(
            "SELECT f.team_id, f.user_id, min(f.id) FROM failures f "
            "LEFT JOIN lesson_asks a ON a.failure_id = f.id "
            "WHERE f.lesson IS NULL AND f.created_at <= ? AND a.failure_id IS NULL "
            "GROUP BY f.team_id, f.user_id",
            [stamp(created_before)],
        ).fetchall()

    def claim_lesson_ask(self, failure: Failure) -> bool:
        """Once per entry: True if this call may ask its author what they learned."""
        return self.storage.insert_once(
            "lesson_asks",
            {
                "failure_id": failure.id,
                "team_id": failure.team_id,
                "user_id": failure.user_id,
                "status": "asked",
                "asked_at": utcnow(),
            },
        )

    def lesson_ask_declined(self, user_id: str, failure_id: int) -> None:
        with self.storage.write() as db:
            db.execute(
                "UPDATE lesson_asks SET status = 'later' WHERE failure_id = ? AND user_id = ?",
                [failure_id, user_id],
            )
