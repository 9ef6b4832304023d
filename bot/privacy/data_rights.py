"""A person's data rights and the retention period (store-level, no Slack).

Export gives a person everything stored about them; forgetting removes every row about them
(as author, as leader, in claims and counters) and blanks their id where a row is about a
channel rather than about them; retention purges what has grown old.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot.storage.database import Store, utcnow

# table -> the columns that can hold a user id, for forgetting and for the proof in tests
USER_TABLES: dict[str, tuple[str, ...]] = {
    "failures": ("user_id",),
    "scans": ("user_id",),
    "nudges": ("leader_id", "author_id"),
    "mutes": ("leader_id",),
    "leader_invites": ("leader_id",),
    "digests_sent": ("leader_id",),
    "lesson_asks": ("user_id",),
    "user_prefs": ("user_id",),
}
BLANKED: dict[str, str] = {"channels": "updated_by", "schedules": "updated_by"}
# table -> timestamp column, for retention
DATED: dict[str, str] = {
    "failures": "created_at",
    "scans": "created_at",
    "nudges": "created_at",
    "event_claims": "claimed_at",
    "prompt_slots": "created_at",
    "leader_invites": "sent_at",
    "digests_sent": "sent_at",
    "lesson_asks": "asked_at",
}


def _rows(store: Store, sql: str, args: list[Any]) -> list[dict[str, Any]]:
    cursor = store.db.execute(sql, args)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def export_user(store: Store, team_id: str, user_id: str) -> dict[str, Any]:
    """Everything stored about one person, as plain data."""
    led = [
        row["channel_id"]
        for row in _rows(
            store, "SELECT channel_id, leaders FROM channels WHERE team_id = ?", [team_id]
        )
        if user_id in json.loads(row["leaders"] or "[]")
    ]
    return {
        "exported_at": utcnow(),
        "team_id": team_id,
        "user_id": user_id,
        "failures": _rows(
            store,
            "SELECT id, channel_id, text, kind, kind_source, lesson, shared, shared_channel_id, "
            "created_at, updated_at FROM failures WHERE team_id = ? AND user_id = ? ORDER BY id",
            [team_id, user_id],
        ),
        "tips_received_as_leader": _rows(
            store,
            "SELECT channel_id, purpose, kind, status, created_at, updated_at FROM nudges "
            "WHERE team_id = ? AND leader_id = ? ORDER BY id",
            [team_id, user_id],
        ),
        "your_messages_recognised_as_mistake_reports": _rows(
            store,
            "SELECT channel_id, ts, kind, score, cue_category, false_positive, created_at "
            "FROM scans WHERE team_id = ? AND user_id = ? ORDER BY created_at",
            [team_id, user_id],
        ),
        "channels_you_lead": led,
        "settings": _rows(
            store,
            "SELECT language, lesson_reminders FROM user_prefs WHERE team_id = ? AND user_id = ?",
            [team_id, user_id],
        ),
    }


def forget_user(store: Store, team_id: str, user_id: str) -> dict[str, int]:
    """Delete every row about a person in one workspace; returns how many, per kind."""
    counts: dict[str, int] = {}
    with store.changing_channels() as db:  # it may take the person off channels' leaders
        for table, columns in USER_TABLES.items():
            where = " OR ".join(f"{column} = ?" for column in columns)
            cursor = db.execute(
                f"DELETE FROM {table} WHERE team_id = ? AND ({where})",
                [team_id, *([user_id] * len(columns))],
            )
            counts[table] = cursor.rowcount
        led = 0
        for row in db.execute(
            "SELECT channel_id, leaders FROM channels WHERE team_id = ?", [team_id]
        ).fetchall():
            leaders = json.loads(row[1] or "[]")
            if user_id in leaders:
                led += 1
                db.execute(
                    "UPDATE channels SET leaders = ? WHERE team_id = ? AND channel_id = ?",
                    [json.dumps([u for u in leaders if u != user_id]), team_id, row[0]],
                )
        counts["leaderships"] = led
        for table, column in BLANKED.items():
            db.execute(
                f"UPDATE {table} SET {column} = NULL WHERE team_id = ? AND {column} = ?",
                [team_id, user_id],
            )
    return counts


def purge_older_than(store: Store, cutoff: datetime) -> dict[str, int]:
    """Retention: delete rows created before the cutoff, in every dated table."""
    stamp = cutoff.astimezone(UTC).isoformat(timespec="seconds")
    counts = {}
    with store.write() as db:
        for table, column in DATED.items():
            counts[table] = db.execute(f"DELETE FROM {table} WHERE {column} < ?", [stamp]).rowcount
    return counts
