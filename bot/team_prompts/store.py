"""Storage for scheduled prompts: schedules, rotation state and slot claims."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.storage.database import TableStore, stamp, utcnow
from bot.team_prompts.rotation import RotationState, Schedule, parse_time

log = logging.getLogger(__name__)

# A slot claimed longer ago than this was abandoned: posting with all retries and backoff
# takes well under a minute.
STALE_SLOT = timedelta(minutes=10)


@dataclass(frozen=True)
class SlotClaim:
    prompt_id: str
    claimed_at: str  # when the slot was first claimed (ISO, UTC)
    abandoned: bool  # taken over from a stopped process: the post may have gone out


def _older_than(row: dict[str, Any], age: timedelta) -> bool:
    return datetime.now(UTC) - datetime.fromisoformat(row["updated_at"]) > age


class PromptStore(TableStore):
    PERSONAL = {"leader_invites": ("leader_id",), "digests_sent": ("leader_id",)}
    BLANKED = {"schedules": "updated_by"}
    DATED = {
        "prompt_slots": "created_at",
        "leader_invites": "sent_at",
        "digests_sent": "sent_at",
        "roundups": "created_at",
    }

    # schedules ----------------------------------------------------------------------------

    def schedule(self, team_id: str, channel_id: str) -> Schedule | None:
        rows = list(
            self.storage.db.table("schedules").rows_where(
                "team_id = ? AND channel_id = ?", [team_id, channel_id]
            )
        )
        return _schedule(rows[0]) if rows else None

    def schedules(self) -> list[tuple[str, str, Schedule, datetime]]:
        """Every channel's schedule, with when it was last set."""
        return [
            (r["team_id"], r["channel_id"], _schedule(r), datetime.fromisoformat(r["updated_at"]))
            for r in self.storage.db.table("schedules").rows
        ]

    def channels(self, team_id: str) -> list[str]:
        """The workspace's channels with a schedule (on or off): the bot was invited there."""
        rows = self.storage.db.execute(
            "SELECT channel_id FROM schedules WHERE team_id = ? ORDER BY channel_id", [team_id]
        ).fetchall()
        return [channel for (channel,) in rows]

    def set_schedule(self, team_id: str, channel_id: str, schedule: Schedule, by: str) -> None:
        with self.storage.write() as db:
            db.table("schedules").upsert(
                {
                    "team_id": team_id,
                    "channel_id": channel_id,
                    "weekday": schedule.weekday,
                    "at": schedule.at.strftime("%H:%M"),
                    "every_weeks": schedule.every_weeks,
                    "timezone": schedule.timezone,
                    "anchor": schedule.anchor.isoformat(),
                    "enabled": int(schedule.enabled),
                    "updated_by": by,
                    "updated_at": utcnow(),
                },
                pk=("team_id", "channel_id"),
            )

    def ensure_schedule(self, team_id: str, channel_id: str, default: Schedule) -> bool:
        """Give a channel the default schedule unless it has one (on or off). True if new."""
        return self.storage.insert_once(
            "schedules",
            {
                "team_id": team_id,
                "channel_id": channel_id,
                "weekday": default.weekday,
                "at": default.at.strftime("%H:%M"),
                "every_weeks": default.every_weeks,
                "timezone": default.timezone,
                "anchor": default.anchor.isoformat(),
                "enabled": 1,
                "updated_by": "leerzone",
                "updated_at": utcnow(),
            },
        )

    # rotation and slot claims -------------------------------------------------------------

    def claim_slot(
        self, team_id: str, channel_id: str, slot: str, pick: Any, max_attempts: int
    ) -> SlotClaim | None:
        """Claim a slot and choose its prompt in one transaction; None when the slot is
        posted, being posted, skipped, or failed too often already.

        A claim left `claimed` for longer than STALE_SLOT belonged to a process that stopped
        mid-post: it is taken over, flagged `abandoned` so the caller first asks Slack
        whether that post went out after all. `pick(state) -> (prompt_id, new_state)` is the
        pure rotation step.
        """
        with self.storage.write() as db:
            rows = list(
                db.table("prompt_slots").rows_where(
                    "team_id = ? AND channel_id = ? AND slot = ?", [team_id, channel_id, slot]
                )
            )
            if rows:
                row = rows[0]
                abandoned = row["status"] == "claimed" and _older_than(row, STALE_SLOT)
                retry = row["status"] == "failed" and row["attempts"] < max_attempts
                if not (abandoned or retry):
                    return None
                db.table("prompt_slots").update(
                    (team_id, channel_id, slot), {"status": "claimed", "updated_at": utcnow()}
                )
                # a retry or takeover posts the prompt that was chosen
                return SlotClaim(row["prompt_id"], row["created_at"], abandoned)
            state = self._rotation(db, team_id, channel_id)
            prompt_id, new_state = pick(state)
            db.table("rotations").upsert(
                {
                    "team_id": team_id,
                    "channel_id": channel_id,
                    "state": json.dumps(asdict(new_state)),
                    "updated_at": utcnow(),
                },
                pk=("team_id", "channel_id"),
            )
            now = utcnow()
            db.table("prompt_slots").insert(
                {
                    "team_id": team_id,
                    "channel_id": channel_id,
                    "slot": slot,
                    "prompt_id": prompt_id,
                    "status": "claimed",
                    "attempts": 0,
                    "replies": 0,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        return SlotClaim(prompt_id, now, abandoned=False)

    def record_skipped(self, team_id: str, channel_id: str, slot: str) -> bool:
        now = utcnow()
        return self.storage.insert_once(
            "prompt_slots",
            {
                "team_id": team_id,
                "channel_id": channel_id,
                "slot": slot,
                "status": "skipped",
                "attempts": 0,
                "replies": 0,
                "error": "missed while the bot was down",
                "created_at": now,
                "updated_at": now,
            },
        )

    def finish_slot(
        self,
        team_id: str,
        channel_id: str,
        slot: str,
        *,
        ts: str | None,
        error: str | None,
        attempts: int,
        delivered: bool = False,
    ) -> None:
        """Record how a slot went: posted (ts of the post, or `delivered` for a prompt that
        went to the leaders by DM and has no post) or failed."""
        with self.storage.write() as db:
            db.execute(
                "UPDATE prompt_slots SET status = ?, ts = ?, error = ?, "
                "attempts = attempts + ?, updated_at = ? "
                "WHERE team_id = ? AND channel_id = ? AND slot = ?",
                [
                    "posted" if ts or delivered else "failed",
                    ts,
                    error,
                    attempts,
                    utcnow(),
                    team_id,
                    channel_id,
                    slot,
                ],
            )

    def slot(self, team_id: str, channel_id: str, slot: str) -> dict[str, Any] | None:
        rows = list(
            self.storage.db.table("prompt_slots").rows_where(
                "team_id = ? AND channel_id = ? AND slot = ?", [team_id, channel_id, slot]
            )
        )
        return rows[0] if rows else None

    def peek_rotation(self, team_id: str, channel_id: str) -> RotationState:
        return self._rotation(self.storage.db, team_id, channel_id)

    @staticmethod
    def _rotation(db: Any, team_id: str, channel_id: str) -> RotationState:
        rows = list(
            db.table("rotations").rows_where(
                "team_id = ? AND channel_id = ?", [team_id, channel_id]
            )
        )
        if not rows:
            return RotationState()
        raw = json.loads(rows[0]["state"])
        return RotationState(
            cycle=raw["cycle"],
            order=tuple(raw["order"]),
            position=raw["position"],
            last=raw["last"],
            seen=tuple(raw["seen"]),
        )

    def is_prompt_thread(self, team_id: str, channel_id: str, thread_ts: str) -> bool:
        return bool(
            self.storage.db.execute(
                "SELECT 1 FROM prompt_slots WHERE team_id = ? AND channel_id = ? AND ts = ?",
                [team_id, channel_id, thread_ts],
            ).fetchone()
        )

    def count_reply(self, team_id: str, channel_id: str, thread_ts: str) -> bool:
        """A reply in a prompt's thread: counted, never stored. True if it was a prompt."""
        with self.storage.write() as db:
            cursor = db.execute(
                "UPDATE prompt_slots SET replies = replies + 1 "
                "WHERE team_id = ? AND channel_id = ? AND ts = ?",
                [team_id, channel_id, thread_ts],
            )
            return cursor.rowcount > 0

    def replies_since(self, team_id: str, channel_id: str, since: datetime) -> int:
        """Replies counted under the channel's prompts posted since a moment."""
        return self.storage.db.execute(
            "SELECT coalesce(sum(replies), 0) FROM prompt_slots WHERE team_id = ? "
            "AND channel_id = ? AND created_at >= ?",
            [team_id, channel_id, stamp(since)],
        ).fetchone()[0]

    def digest_once(self, team_id: str, leader_id: str, week: str) -> bool:
        return self.storage.insert_once(
            "digests_sent",
            {"team_id": team_id, "leader_id": leader_id, "week": week, "sent_at": utcnow()},
        )

    def invite_once(self, team_id: str, channel_id: str, slot: str, leader_id: str) -> bool:
        return self.storage.insert_once(
            "leader_invites",
            {
                "team_id": team_id,
                "channel_id": channel_id,
                "slot": slot,
                "leader_id": leader_id,
                "sent_at": utcnow(),
            },
        )

    # the monthly round-up of intelligent failures -------------------------------------------

    def claim_roundup(self, team_id: str, channel_id: str, month: str) -> bool:
        """Once per channel per month: True if this call may post that month's round-up."""
        return self.storage.insert_once(
            "roundups",
            {
                "team_id": team_id,
                "channel_id": channel_id,
                "month": month,
                "status": "claimed",
                "created_at": utcnow(),
            },
        )

    def finish_roundup(self, team_id: str, channel_id: str, month: str, ts: str | None) -> None:
        with self.storage.write() as db:
            db.execute(
                "UPDATE roundups SET status = ?, ts = ? "
                "WHERE team_id = ? AND channel_id = ? AND month = ?",
                ["posted" if ts else "failed", ts, team_id, channel_id, month],
            )


def _schedule(row: dict[str, Any]) -> Schedule:
    """A stored schedule, checked at the boundary: a row that was forged or damaged (weekday 9,
    time 25:00, an unknown zone) reads as the default schedule, switched off, instead of
    breaking the channel's prompts and `/fout schema` for good."""
    try:
        at = parse_time(str(row["at"]))
        weekday, every = int(row["weekday"]), int(row["every_weeks"])
        ZoneInfo(str(row["timezone"]))
        if at is None or not 0 <= weekday <= 6 or every not in (1, 2):
            raise ValueError(row)
        return Schedule(
            weekday=weekday,
            at=at,
            every_weeks=every,
            timezone=str(row["timezone"]),
            anchor=date.fromisoformat(str(row["anchor"])),
            enabled=bool(row["enabled"]),
        )
    except (ValueError, TypeError, KeyError, ZoneInfoNotFoundError):
        log.warning("a stored schedule is invalid; reading it as off")
        return Schedule(enabled=False)
