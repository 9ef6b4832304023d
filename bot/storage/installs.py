"""The OAuth files next to the database: who installed Leerzone, and open install states.

slack-sdk's SQLite stores write `installations.db` (per workspace: the bot token and the
installer's id and user token) and `oauth_states.db` (one row per install link, ten minutes).
They own the schema; this store only does what data rights and retention need and slack-sdk
does not: show a person the installation rows that name them (never a token), take their id
and user token off those rows on forget-me (the workspace's bot keeps working: Bolt falls
back to the bot row), and delete state rows after they expire.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any

INSTALLATIONS, STATES = "installations.db", "oauth_states.db"
# Columns never shown in an export: the tokens themselves.
SECRET = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
FORGOTTEN = {
    "user_id": "",  # NOT NULL in slack-sdk's schema
    "user_token": None,
    "user_scopes": None,
    "user_refresh_token": None,
    "user_token_expires_at": None,
}


class InstallRecords:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _open(self, name: str) -> sqlite3.Connection | None:
        path = self.folder / name
        if not path.exists():
            return None
        conn = sqlite3.connect(path, timeout=5.0)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA secure_delete=ON")
        return conn

    @staticmethod
    def _has(conn: sqlite3.Connection, table: str) -> bool:
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
        ).fetchone()
        return found is not None

    def export(self, team_id: str, user_id: str) -> dict[str, list[dict[str, Any]]]:
        """The installation rows where this person is the installer, without any token."""
        conn = self._open(INSTALLATIONS)
        if conn is None:
            return {"installations": []}
        with closing(conn):
            if not self._has(conn, "slack_installations"):
                return {"installations": []}
            rows = conn.execute(
                "SELECT * FROM slack_installations WHERE team_id = ? AND user_id = ? ORDER BY id",
                [team_id, user_id],
            ).fetchall()
        # a sqlite3.Row iterates over its values: its names come from keys()
        shown = [{k: row[k] for k in row.keys() if k not in SECRET} for row in rows]  # noqa: SIM118
        return {"installations": shown}

    def forget(self, team_id: str, user_id: str) -> dict[str, int]:
        """Take the installer's id and user token off the workspace's installation rows."""
        conn = self._open(INSTALLATIONS)
        if conn is None:
            return {"installations": 0}
        with closing(conn), conn:
            if not self._has(conn, "slack_installations"):
                return {"installations": 0}
            sets = ", ".join(f"{column} = ?" for column in FORGOTTEN)
            changed = conn.execute(
                f"UPDATE slack_installations SET {sets} WHERE team_id = ? AND user_id = ?",
                [*FORGOTTEN.values(), team_id, user_id],
            ).rowcount
        return {"installations": changed}

    def purge_states(self, now: float | None = None) -> int:
        """Delete install states past their expiry: slack-sdk deletes only the used ones."""
        conn = self._open(STATES)
        if conn is None:
            return 0
        with closing(conn), conn:
            if not self._has(conn, "oauth_states"):
                return 0
            return conn.execute(
                "DELETE FROM oauth_states WHERE expire_at < ?", [now or time.time()]
            ).rowcount
