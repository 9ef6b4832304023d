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
    """Everything stored about one person, as plain data: every row, of every table, that
    names them in any role (author, leader, who changed a setting, installer), per table."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for store in deps.stores:
        tables.update(store.export(team_id, user_id))
    if deps.installs is not None:
        tables.update(deps.installs.export(team_id, user_id))
    return {
        "exported_at": utcnow(),
        "team_id": team_id,
        "user_id": user_id,
        "channels_you_lead": deps.channels.led_by(team_id, user_id),
        **tables,
    }


def forget_user(deps: Deps, team_id: str, user_id: str) -> dict[str, int]:
    """Delete every row about a person in one workspace; returns how many, per table."""
    counts: dict[str, int] = {}
    with deps.channels.changing() as db:  # it may take the person off channels' leaders
        for store in deps.stores:
            counts.update(store.forget(db, team_id, user_id))
    deps.storage.checkpoint()  # and out of the write-ahead log
    if deps.installs is not None:  # the installer's id and user token, in slack-sdk's file
        counts.update(deps.installs.forget(team_id, user_id))
    return counts
