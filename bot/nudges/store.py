"""Storage for the reply suggestions: event claims, scans, nudges (tips) and mutes.

Every "only once" rule is a UNIQUE constraint, so it holds across threads, retries and
processes: one claim per Slack event, one nudge of a purpose per leader per thread.

A tip's status: pending (claimed, on its way), sent (the leader was shown it: delivered_via
dm, channel or morning), held (outside working hours, for the morning DM), home (waits in
the Home tab: the leader's choice, or over the daily cap), then done / false_positive / later
after a button, or failed (Slack refused it, or it was too old to send after a restart).
Open moments are sent, held and home ones: the Home tab lists them.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.nudges.policy import CAPPED_PURPOSES
from bot.storage.database import TableStore, rows_of, stamp, utcnow

# A claim older than this that never finished belonged to a process that crashed.
STALE_CLAIM = timedelta(minutes=2)
OPEN_STATUSES = ("sent", "held", "home")
# What counts against the daily cap: tips pushed to the leader, or on their way.
_PUSHED = "(status = 'pending' OR delivered_via IN ('dm', 'channel'))"


@dataclass(frozen=True)
class Nudge:
    id: int
    team_id: str
    channel_id: str
    thread_ts: str
    message_ts: str
    leader_id: str
    purpose: str
    kind: str | None
    variant: int
    status: str
    created_at: str
    delivered_via: str | None = None
    permalink: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Nudge:
        values: dict[str, Any] = {k: row.get(k) for k in cls.__dataclass_fields__}
        return cls(**values)


_NUDGE_COLUMNS = frozenset(Nudge.__dataclass_fields__) | {"updated_at"}


class NudgeStore(TableStore):
    # A scan and a tip never name the reporter: only the leader a tip went to is personal.
    PERSONAL = {"nudges": ("leader_id",), "mutes": ("leader_id",)}
    DATED = {"scans": "created_at", "nudges": "created_at", "event_claims": "claimed_at"}

    # event claims -------------------------------------------------------------------------

    def claim_event(
        self,
        event_id: str,
        team_id: str,
        now: datetime | None = None,
        work: dict[str, Any] | None = None,
        wait_ms: int | None = None,
        *,
        done: bool = False,
    ) -> bool:
        """True if this process may act on the event (first time, or an abandoned claim).
        `work`, what is still to do (ids and numbers only), stays with the claim until
        `finish_event`: after a crash, the next start does it (see `unfinished_work`).
        `done`: claimed and finished at once, inside the transaction that does the work.
        `wait_ms`: how long another writer may hold us up (see Storage.write)."""
        # Plain SQL in this file's hot paths: sqlite-utils' upsert reads the schema each time,
        # which was most of the CPU a mistake report cost (bench/bench_events.py).
        # One statement: a new claim, or one taken over from a process that left it unfinished
        # for STALE_CLAIM; a claim that is done or fresh is left alone (no row changed).
        now = now or datetime.now(UTC)
        with self.storage.write(wait_ms) as db:
            changed = db.execute(
                "INSERT INTO event_claims (event_id, team_id, status, claimed_at, work) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO UPDATE SET "
                "team_id = excluded.team_id, status = excluded.status, "
                "claimed_at = excluded.claimed_at, work = excluded.work "
                "WHERE event_claims.status != 'done' "
                "AND julianday(event_claims.claimed_at) <= julianday(?)",
                [
                    event_id,
                    team_id,
                    "done" if done else "claimed",
                    now.isoformat(timespec="seconds"),
                    json.dumps(work) if work is not None else None,
                    stamp(now - STALE_CLAIM),
                ],
            ).rowcount
        return changed == 1

    def finish_event(self, event_id: str) -> None:
        with self.storage.write() as db:
            db.execute(
                "UPDATE event_claims SET status = 'done', work = NULL WHERE event_id = ?",
                [event_id],
            )

    def unfinished_work(self) -> list[tuple[str, dict[str, Any]]]:
        """(event id, work) of claims a stopped process did not finish. Only `leerzone run`
        asks, at start-up, under its run lock: no other process can be at work on them."""
        rows = self.storage.db.execute(
            "SELECT event_id, work FROM event_claims WHERE status = 'claimed' "
            "AND work IS NOT NULL ORDER BY claimed_at"
        ).fetchall()
        return [(event_id, json.loads(work)) for event_id, work in rows]

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

    def record_scan(self, *, unless_false_positive: bool = False, **scan: Any) -> bool:
        """Where a report is, its kind and score (never its text or author); a rescan
        updates it. `unless_false_positive`: leave a message a leader called no report alone
        and say so (False), in the same transaction (one per report, not two)."""
        row = {**scan, "created_at": utcnow()}
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        keys = {"team_id", "channel_id", "ts"}
        updates = ", ".join(f"{k} = excluded.{k}" for k in row if k not in keys)
        # one statement: a row flagged false positive is not updated, so none changes
        unless = " WHERE scans.false_positive IS NOT 1" if unless_false_positive else ""
        with self.storage.write() as db:
            changed = db.execute(
                f"INSERT INTO scans ({names}) VALUES ({marks}) "
                f"ON CONFLICT (team_id, channel_id, ts) DO UPDATE SET {updates}{unless}",
                list(row.values()),
            ).rowcount
        return changed == 1

    def is_report(self, team_id: str, channel_id: str, ts: str) -> bool:
        """Whether the message at `ts` was a mistake report (detected or marked by a leader,
        and not called a false one): only in its thread is a "why…?" possibly blame."""
        row = self.storage.db.execute(
            "SELECT false_positive FROM scans WHERE team_id = ? AND channel_id = ? AND ts = ?",
            [team_id, channel_id, ts],
        ).fetchone()
        return row is not None and not row[0]

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
        purpose: str,
        kind: str | None,
        since: datetime | None = None,
        limit: int | None = None,
        at: datetime | None = None,
    ) -> Nudge | None:
        """Reserve the nudge before sending it: None when this leader already had one of this
        purpose in this thread. With since/limit, a leader who was pushed `limit` tips since
        `since` still gets the moment, as status "home": it waits in the Home tab."""
        now = stamp(at) if at else utcnow()
        try:
            with self.storage.write() as db:
                over_cap = (
                    since is not None
                    and limit is not None
                    and self._count(db, team_id, leader_id, since, CAPPED_PURPOSES, True, limit)
                    >= limit
                )
                row = {
                    "team_id": team_id,
                    "channel_id": channel_id,
                    "thread_ts": thread_ts,
                    "message_ts": message_ts,
                    "leader_id": leader_id,
                    "purpose": purpose,
                    "kind": kind,
                    "variant": 0,
                    # pending until Slack took it: a restart sends what is still pending
                    "status": "home" if over_cap else "pending",
                    "delivered_via": "home" if over_cap else None,
                    "created_at": now,
                    "updated_at": now,
                }
                # plain SQL on this path (every report): sqlite-utils' insert reads the
                # table's schema first, which cost more than the insert itself
                new_id = db.execute(
                    f"INSERT INTO nudges ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                    list(row.values()),
                ).lastrowid
        except sqlite3.IntegrityError:
            return None
        return Nudge.from_row({**row, "id": int(new_id or 0)})  # what a SELECT would give

    def for_message(self, team_id: str, channel_id: str, message_ts: str) -> list[Nudge]:
        """The tips one message gave rise to (for the playground's decision panel)."""
        rows = self.storage.db.table("nudges").rows_where(
            "team_id = ? AND channel_id = ? AND message_ts = ?",
            [team_id, channel_id, message_ts],
            order_by="id",
        )
        return [Nudge.from_row(row) for row in rows]

    def pending(self) -> list[Nudge]:
        """Tips claimed but never confirmed sent: their process stopped in between."""
        rows = self.storage.db.table("nudges").rows_where("status = 'pending'", order_by="id")
        return [Nudge.from_row(row) for row in rows]

    def get(self, team_id: str, nudge_id: int) -> Nudge | None:
        rows = rows_of(
            self.storage.db.execute(
                "SELECT * FROM nudges WHERE team_id = ? AND id = ?", [team_id, nudge_id]
            )
        )
        return Nudge.from_row(rows[0]) if rows else None

    @staticmethod
    def _set_status(db: Any, nudge_id: int, status: str, **extra: Any) -> None:
        values = {"status": status, "updated_at": utcnow(), **extra}
        unknown = set(values) - _NUDGE_COLUMNS
        if unknown:
            raise ValueError(f"not a column of nudges: {sorted(unknown)}")
        db.execute(
            f"UPDATE nudges SET {', '.join(f'{name} = ?' for name in values)} WHERE id = ?",
            [*values.values(), nudge_id],
        )

    def set_permalink(self, nudge: Nudge, link: str) -> Nudge:
        """Only the link (whatever the status meanwhile): a tip's link is added when shown."""
        with self.storage.write() as db:
            db.execute("UPDATE nudges SET permalink = ? WHERE id = ?", [link, nudge.id])
        return replace(nudge, permalink=link)

    def set_status(self, nudge: Nudge, status: str, **extra: Any) -> Nudge:
        with self.storage.write() as db:
            self._set_status(db, nudge.id, status, **extra)
        return self.get(nudge.team_id, nudge.id)  # type: ignore[return-value]

    @staticmethod
    def _count(
        db: Any,
        team_id: str,
        leader_id: str,
        since: datetime,
        purposes: tuple[str, ...],
        pushed_only: bool = False,
        at_most: int = -1,
    ) -> int:
        """How many; with `at_most`, counting stops there (the daily cap only needs to know
        whether it is reached, and a busy leader's day can hold hundreds of moments)."""
        marks = ",".join("?" for _ in purposes)
        which = _PUSHED if pushed_only else "status != 'failed'"
        return db.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM nudges WHERE team_id = ? AND leader_id = ? "
            f"AND purpose IN ({marks}) AND created_at >= ? AND {which} LIMIT ?)",
            [team_id, leader_id, *purposes, stamp(since), at_most],
        ).fetchone()[0]

    def count_since(
        self, team_id: str, leader_id: str, since: datetime, purposes: tuple[str, ...]
    ) -> int:
        """Tips given to a leader since a moment, however they reached them (not failed ones)."""
        return self._count(self.storage.db, team_id, leader_id, since, purposes)

    def open_for(self, team_id: str, leader_id: str, since: datetime) -> list[Nudge]:
        """A leader's open moments since a moment, newest first: what the Home tab lists."""
        marks = ",".join("?" for _ in OPEN_STATUSES)
        rows = self.storage.db.table("nudges").rows_where(
            f"team_id = ? AND leader_id = ? AND status IN ({marks}) AND created_at >= ?",
            [team_id, leader_id, *OPEN_STATUSES, stamp(since)],
            order_by="created_at DESC, id DESC",
        )
        return [Nudge.from_row(row) for row in rows]

    def release_held(self, team_id: str, leader_id: str) -> list[Nudge]:
        """The leader's held tips, now marked sent by the morning DM (once: a second run of
        the morning job finds none). Give them back with `hold_again` if that DM fails."""
        with self.storage.write() as db:
            rows = rows_of(
                db.execute(
                    "SELECT * FROM nudges WHERE team_id = ? AND leader_id = ? "
                    "AND status = 'held' ORDER BY id",
                    [team_id, leader_id],
                )
            )
            db.execute(
                "UPDATE nudges SET status = 'sent', delivered_via = 'morning', updated_at = ? "
                f"WHERE id IN ({','.join('?' for _ in rows)})",
                [utcnow(), *(row["id"] for row in rows)],
            )
        return [Nudge.from_row(row) for row in rows]

    def hold_again(self, nudges: list[Nudge]) -> None:
        with self.storage.write() as db:
            for nudge in nudges:
                self._set_status(db, nudge.id, "held", delivered_via=None)

    def leaders_with_held(self) -> list[tuple[str, str]]:
        """(team_id, leader_id) of everyone with tips waiting for the morning."""
        rows = self.storage.db.execute(
            "SELECT DISTINCT team_id, leader_id FROM nudges WHERE status = 'held'"
        ).fetchall()
        return [(team, leader) for team, leader in rows]

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

    def leader_tip_counts(self, team_id: str, leader_id: str, since: datetime) -> dict[str, int]:
        """A leader's own suggestions in all their channels since a moment, by status."""
        rows = self.storage.db.execute(
            "SELECT status, count(*) FROM nudges WHERE team_id = ? AND leader_id = ? "
            "AND purpose = 'suggestion' AND created_at >= ? GROUP BY status",
            [team_id, leader_id, stamp(since)],
        ).fetchall()
        return dict(rows)

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
