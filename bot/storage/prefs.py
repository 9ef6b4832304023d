"""A person's own settings (the `user_prefs` table): their language and lesson questions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.storage.database import TableStore, utcnow

TIP_DELIVERIES = ("dm", "channel", "home")  # how a leader wants tips; dm is the default


@dataclass(frozen=True)
class UserPrefs:
    language: str | None = None
    lesson_reminders: bool = True  # the learning loop may ask this person what they learned
    tip_delivery: str = "dm"


class PrefStore(TableStore):
    PERSONAL = {"user_prefs": ("user_id",)}

    def get(self, team_id: str, user_id: str) -> UserPrefs:
        row = self.storage.db.execute(
            "SELECT language, lesson_reminders, tip_delivery FROM user_prefs "
            "WHERE team_id = ? AND user_id = ?",
            [team_id, user_id],
        ).fetchone()
        if row is None:
            return UserPrefs()
        delivery = row[2] if row[2] in TIP_DELIVERIES else "dm"
        return UserPrefs(language=row[0], lesson_reminders=row[1] != 0, tip_delivery=delivery)

    def set(self, team_id: str, user_id: str, **values: Any) -> None:
        with self.storage.write() as db:
            db.table("user_prefs").upsert(
                {"team_id": team_id, "user_id": user_id, **values, "updated_at": utcnow()},
                pk=("team_id", "user_id"),
            )
