"""Storage for the reply suggestions: event claims, scans, nudges and mutes.

Every "only once" rule is a UNIQUE constraint, so it holds across threads, retries and
processes: one claim per Slack event, one nudge of a purpose per leader per thread.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.nudges.policy import CAPPED_PURPOSES
from bot.storage.database import TableStore, rows_of, stamp, utcnow

# A claim older than this that never finished belonged to a process that crashed.
STALE_CLAIM = timedelta(minutes=2)


@dataclass(frozen=True)
class Nudge:
    id: int
    team_id: str
    channel_id: str
    thread_ts: str
    message_ts: str
    leader_id: str
    author_id: str
    purpose: str
    kind: str | None
    variant: int
    status: str
    created_at: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Nudge:
        values: dict[str, Any] = {k: row.get(k) for k in cls.__dataclass_fields__}
        return cls(**values)


class NudgeStore(TableStore):
    PERSONAL = {
        "scans": ("user_id",),
        "nudges": ("leader_id", "author_id"),
        "mutes": ("leader_id",),
    }
    DATED = {"scans": "created_at", "nudges": "created_at", "event_claims": "claimed_at"}

    # event claims -------------------------------------------------------------------------

    def claim_event(self, event_id: str, team_id: str, now: datetime | None = None) -> bool:
        """True if this process may act on the event (first time, or an abandoned claim)."""
        # Plain SQL in this file's hot paths: sqlite-utils' upsert reads the schema each time,
        # which was most of the CPU a mistake report cost (bench/bench_events.py).
        now = now or datetime.now(UTC)
        with self.storage.write() as db:
            row = db.execute(
                "SELECT status, claimed_at FROM event_claims WHERE event_id = ?", [event_id]
            ).fetchone()
            if row is not None:
                status, claimed_at = row
                if status == "done" or now - datetime.fromisoformat(claimed_at) < STALE_CLAIM:
                    return False
            db.execute(
                "INSERT OR REPLACE INTO event_claims (event_id, team_id, status, claimed_at) "
                "VALUES (?, ?, 'claimed', ?)",
                [event_id, team_id, now.isoformat(timespec="seconds")],
            )
        return True

    def finish_event(self, event_id: str) -> None:
        with self.storage.write() as db:
            db.execute("UPDATE event_claims SET status = 'done' WHERE event_id = ?", [event_id])

    def forget_events(self, before: datetime) -> int:
        """Claims older than Slack's retries (about an hour) guard nothing any more."""
        with self.storage.write() as db:
            return db.execute(
                "DELETE FROM event_claims WHERE claimed_at < ?", [stamp(before)]
            ).rowcount

    def release_event(self, event_id: str) -> None:
        """Handling failed: let Slack's retry of this event try again."""
        with self.storage.write() as db:
            db.execute("DELETE FROM event_claims WHERE event_id = ?", [event_id])

    # scans --------------------------------------------------------------------------------

    def record_scan(self, **scan: Any) -> None:
        """Ids, kind and score of a scanned report (never its text); a rescan updates it."""
        row = {**scan, "created_at": utcnow()}
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        keys = {"team_id", "channel_id", "ts"}
        updates = ", ".join(f"{k} = excluded.{k}" for k in row if k not in keys)
        with self.storage.write() as db:
            db.execute(
                f"INSERT INTO scans ({names}) VALUES ({marks}) "
                f"ON CONFLICT (team_id, channel_id, ts) DO UPDATE SET {updates}",
                list(row.values()),
            )

    def is_false_positive(self, team_id: str, channel_id: str, ts: str) -> bool:
        rows = self.storage.db.execute(
            "SELECT false_positive FROM scans WHERE team_id = ? AND channel_id = ? AND ts = ?",
            [team_id, channel_id, ts],
        ).fetchall()
        return bool(rows and rows[0][0])

    def mark_false_positive(self, nudge: Nudge) -> None:
        with self.storage.write() as db:
            db.execute(
                "UPDATE scans SET false_positive = 1 WHERE team_id = ? AND channel_id = ? "
                "AND ts = ?",
                [nudge.team_id, nudge.channel_id, nudge.message_ts],
            )
            self._set_status(db, nudge.id, "false_positive")

    # nudges -------------------------------------------------------------------------------

    def claim(
        self,
        *,
        team_id: str,
        channel_id: str,
        thread_ts: str,
        message_ts: str,
        leader_id: str,
        author_id: str,
        purpose: str,
        kind: str | None,
        since: datetime | None = None,
        limit: int | None = None,
        at: datetime | None = None,
    ) -> Nudge | None:
        """Reserve the nudge before sending it. None when this leader already had one of this
        purpose in this thread, or (with since/limit) has had `limit` nudges since `since`."""
        now = stamp(at) if at else utcnow()
        try:
            with self.storage.write() as db:
                if (
                    since is not None
                    and limit is not None
                    and self._count(db, team_id, leader_id, since, CAPPED_PURPOSES) >= limit
                ):
                    return None
                new_id = (
                    db.table("nudges")
                    .insert(
                        {
                            "team_id": team_id,
                            "channel_id": channel_id,
                            "thread_ts": thread_ts,
                            "message_ts": message_ts,
                            "leader_id": leader_id,
                            "author_id": author_id,
                            "purpose": purpose,
                            "kind": kind,
                            "variant": 0,
                            # pending until Slack took it: a restart sends what is still pending
                            "status": "pending",
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                    .last_pk
                )
        except sqlite3.IntegrityError:
            return None
        return self.get(team_id, int(new_id or 0))

    def pending(self) -> list[Nudge]:
        """Tips claimed but never confirmed sent: their process stopped in between."""
        rows = self.storage.db.table("nudges").rows_where("status = 'pending'", order_by="id")
        return [Nudge.from_row(row) for row in rows]

    def get(self, team_id: str, nudge_id: int) -> Nudge | None:
        rows = list(
            self.storage.db.table("nudges").rows_where(
                "team_id = ? AND id = ?", [team_id, nudge_id]
            )
        )
        return Nudge.from_row(rows[0]) if rows else None

    @staticmethod
    def _set_status(db: Any, nudge_id: int, status: str, **extra: Any) -> None:
        db.table("nudges").update(nudge_id, {"status": status, "updated_at": utcnow(), **extra})

    def set_status(self, nudge: Nudge, status: str, **extra: Any) -> Nudge:
        with self.storage.write() as db:
            self._set_status(db, nudge.id, status, **extra)
        return self.get(nudge.team_id, nudge.id)  # type: ignore[return-value]

    @staticmethod
    def _count(
        db: Any, team_id: str, leader_id: str, since: datetime, purposes: tuple[str, ...]
    ) -> int:
        marks = ",".join("?" for _ in purposes)
        return db.execute(
            f"SELECT count(*) FROM nudges WHERE team_id = ? AND leader_id = ? "
            f"AND purpose IN ({marks}) AND created_at >= ? AND status != 'failed'",
            [team_id, leader_id, *purposes, stamp(since)],
        ).fetchone()[0]

    def count_since(
        self, team_id: str, leader_id: str, since: datetime, purposes: tuple[str, ...]
    ) -> int:
        """Nudges actually sent to a leader since a moment (failed sends do not count)."""
        return self._count(self.storage.db, team_id, leader_id, since, purposes)

    # mutes --------------------------------------------------------------------------------

    def mute(self, team_id: str, channel_id: str, leader_id: str, until: datetime) -> None:
        with self.storage.write() as db:
            db.table("mutes").upsert(
                {
                    "team_id": team_id,
                    "channel_id": channel_id,
                    "leader_id": leader_id,
                    "until": stamp(until),
                },
                pk=("team_id", "channel_id", "leader_id"),
            )

    def is_muted(self, team_id: str, channel_id: str, leader_id: str, now: datetime) -> bool:
        rows = self.storage.db.execute(
            "SELECT until FROM mutes WHERE team_id = ? AND channel_id = ? AND leader_id = ?",
            [team_id, channel_id, leader_id],
        ).fetchall()
        return bool(rows) and datetime.fromisoformat(rows[0][0]) > now

    # aggregates and data rights -------------------------------------------------------------

    def tip_counts(
        self, team_id: str, channel_id: str, leader_id: str, since: datetime
    ) -> dict[str, int]:
        """A leader's own suggestions in a channel since a moment, by status."""
        rows = self.storage.db.execute(
            "SELECT status, count(*) FROM nudges WHERE team_id = ? AND channel_id = ? "
            "AND leader_id = ? AND purpose = 'suggestion' AND created_at >= ? GROUP BY status",
            [team_id, channel_id, leader_id, stamp(since)],
        ).fetchall()
        return dict(rows)

    def export(self, team_id: str, user_id: str) -> dict[str, list[dict[str, Any]]]:
        db = self.storage.db
        return {
            "tips_received_as_leader": rows_of(
                db.execute(
                    "SELECT channel_id, purpose, kind, status, created_at, updated_at FROM nudges "
                    "WHERE team_id = ? AND leader_id = ? ORDER BY id",
                    [team_id, user_id],
                )
            ),
            "your_messages_recognised_as_mistake_reports": rows_of(
                db.execute(
                    "SELECT channel_id, ts, kind, score, cue_category, false_positive, "
                    "created_at FROM scans WHERE team_id = ? AND user_id = ? ORDER BY created_at",
                    [team_id, user_id],
                )
            ),
        }
