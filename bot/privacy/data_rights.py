"""A person's data rights: everything stored about them, and forgetting them.

Each store knows its own tables: which columns name a person (deleted on forget-me), which
name who changed a shared row (blanked), and how to export what it holds about someone. This
module only asks every store, in one transaction, so a forget-me is all or nothing.
"""

from __future__ import annotations

from typing import Any

from bot.deps import Deps
from bot.storage.database import utcnow


def export_user(deps: Deps, team_id: str, user_id: str) -> dict[str, Any]:
    """Everything stored about one person, as plain data."""
    return {
        "exported_at": utcnow(),
        "team_id": team_id,
        "user_id": user_id,
        "failures": deps.failures.export(team_id, user_id),
        **deps.nudges.export(team_id, user_id),
        "channels_you_lead": deps.channels.led_by(team_id, user_id),
        "settings": deps.prefs.export(team_id, user_id),
    }


def forget_user(deps: Deps, team_id: str, user_id: str) -> dict[str, int]:
    """Delete every row about a person in one workspace; returns how many, per table."""
    counts: dict[str, int] = {}
    with deps.channels.changing() as db:  # it may take the person off channels' leaders
        for store in deps.stores:
            counts.update(store.forget(db, team_id, user_id))
    deps.storage.checkpoint()  # and out of the write-ahead log
    return counts
