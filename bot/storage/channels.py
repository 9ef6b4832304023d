"""A channel's own settings: its language and its leaders (the `channels` table).

Read for every channel message, so kept in memory; every write through this store clears the
copy, and a copy lives CHANNEL_TTL seconds at most in case another process (or a person with
sqlite3) changed the row. The leaders column is JSON; it is decoded here and nowhere else.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from bot.storage.database import Storage, TableStore, rows_of, stamp, utcnow

CHANNEL_TTL = 30.0  # seconds a channel's settings are kept in memory
CACHE_MAX = 10_000


@dataclass(frozen=True)
class ChannelSettings:
    team_id: str
    channel_id: str
    language: str | None
    leaders: tuple[str, ...]  # named for this channel (the workspace default is not included)
    celebrations: bool = True  # the monthly round-up of intelligent failures


def _decode_leaders(raw: str | None) -> tuple[str, ...]:
    return tuple(json.loads(raw)) if raw else ()


class ChannelStore(TableStore):
    BLANKED = {"channels": "updated_by"}

    def __init__(self, storage: Storage, default_leaders: tuple[str, ...] = ()) -> None:
        super().__init__(storage)
        self.default_leaders = default_leaders
        self._cache: dict[tuple[str, str], tuple[float, ChannelSettings]] = {}
        self._generation = 0
        self._lock = threading.Lock()

    def get(self, team_id: str, channel_id: str) -> ChannelSettings:
        key = (team_id, channel_id)
        now = time.monotonic()
        cached = self._cache.get(key)
        if cached is not None and now - cached[0] < CHANNEL_TTL:
            return cached[1]
        generation = self._generation
        settings = self._read(team_id, channel_id)
        with self._lock:
            if len(self._cache) > CACHE_MAX:
                self._cache.clear()
            if generation == self._generation:  # no write landed while we were reading
                self._cache[key] = (now, settings)
        return settings

    def leaders(self, team_id: str, channel_id: str) -> tuple[tuple[str, ...], bool]:
        """The channel's leaders and whether they come from the workspace-wide default."""
        own = self.get(team_id, channel_id).leaders
        if own:
            return own, False
        return self.default_leaders, bool(self.default_leaders)

    def named_leaders(self, team_id: str) -> dict[str, tuple[str, ...]]:
        """Every channel of the workspace with leaders named for it."""
        rows = self.storage.db.execute(
            "SELECT channel_id, leaders FROM channels WHERE team_id = ?", [team_id]
        ).fetchall()
        return {channel: _decode_leaders(raw) for channel, raw in rows}

    def _read(self, team_id: str, channel_id: str) -> ChannelSettings:
        # Plain SQL: sqlite-utils' rows_where first asks the schema whether the table exists.
        row = self.storage.db.execute(
            "SELECT language, leaders, celebrations FROM channels "
            "WHERE team_id = ? AND channel_id = ?",
            [team_id, channel_id],
        ).fetchone()
        if row is None:
            return ChannelSettings(team_id, channel_id, None, ())
        language, leaders, celebrations = row
        return ChannelSettings(
            team_id, channel_id, language, _decode_leaders(leaders), celebrations != 0
        )

    @contextmanager
    def changing(self) -> Iterator[Database]:
        """A write transaction that may change channel rows: the in-memory copies go."""
        try:
            with self.storage.write() as db:
                yield db
        finally:
            with self._lock:
                self._generation += 1
                self._cache.clear()

    def _upsert(self, team_id: str, channel_id: str, by: str, **values: Any) -> None:
        with self.changing() as db:
            db.table("channels").upsert(
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
        self._upsert(team_id, channel_id, by, language=language)

    def set_celebrations(self, team_id: str, channel_id: str, on: bool, by: str) -> None:
        self._upsert(team_id, channel_id, by, celebrations=1 if on else 0)

    def set_leaders(self, team_id: str, channel_id: str, leaders: list[str], by: str) -> None:
        unique = list(dict.fromkeys(leaders))
        self._upsert(team_id, channel_id, by, leaders=json.dumps(unique))

    def claim_introduction(
        self, team_id: str, channel_id: str, now: datetime, quiet: timedelta
    ) -> str | None:
        """Claim the bot's introduction in a channel: None when it introduced itself there
        within `quiet`, else the previous moment (or "") to give back if the post fails."""
        with self.changing() as db:
            row = db.execute(
                "SELECT introduced_at FROM channels WHERE team_id = ? AND channel_id = ?",
                [team_id, channel_id],
            ).fetchone()
            before = row[0] if row and row[0] else ""
            if before and now - datetime.fromisoformat(before) < quiet:
                return None
            db.table("channels").upsert(
                {"team_id": team_id, "channel_id": channel_id, "introduced_at": stamp(now)},
                pk=("team_id", "channel_id"),
            )
        return before

    def give_back_introduction(self, team_id: str, channel_id: str, before: str) -> None:
        with self.changing() as db:
            db.execute(
                "UPDATE channels SET introduced_at = ? WHERE team_id = ? AND channel_id = ?",
                [before or None, team_id, channel_id],
            )

    def led_by(self, team_id: str, user_id: str) -> list[str]:
        """Channels where this person is a named leader."""
        return sorted(c for c, leaders in self.named_leaders(team_id).items() if user_id in leaders)

    def export(self, team_id: str, user_id: str) -> dict[str, list[dict[str, Any]]]:
        """The channels the person leads or last changed (the leaders list is JSON)."""
        rows = rows_of(
            self.storage.db.execute("SELECT * FROM channels WHERE team_id = ?", [team_id])
        )
        return {
            "channels": [
                row
                for row in rows
                if row["updated_by"] == user_id or user_id in _decode_leaders(row["leaders"])
            ]
        }

    def forget(self, db: Database, team_id: str, user_id: str) -> dict[str, int]:
        """Take the person off every channel's leaders (call inside `changing()`)."""
        led = 0
        for channel_id, leaders in self.named_leaders(team_id).items():
            if user_id in leaders:
                led += 1
                db.execute(
                    "UPDATE channels SET leaders = ? WHERE team_id = ? AND channel_id = ?",
                    [json.dumps([u for u in leaders if u != user_id]), team_id, channel_id],
                )
        return {**super().forget(db, team_id, user_id), "leaderships": led}
