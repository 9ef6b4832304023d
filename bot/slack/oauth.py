"""Multi-workspace install: Slack's OAuth flow with slack-sdk's SQLite stores.

Installations (one bot token per workspace) and OAuth states live in SQLite files next to the
Leerzone database. The state is also signed with SLACK_STATE_SECRET, so a state that this
deployment did not issue is refused before the database is even asked.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace
from pathlib import Path

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore
from slack_sdk.oauth.state_store.sqlite3 import SQLite3OAuthStateStore

from bot.config import BOT_SCOPES, Settings
from bot.slack.clients import ClientFor, make_client
from bot.storage.database import private_file
from bot.storage.installs import INSTALLATIONS, STATES

STATE_TTL_SECONDS = 600


class SignedStateStore(SQLite3OAuthStateStore):
    """OAuth states kept in SQLite (one use, ten minutes) and signed with a secret."""

    def __init__(self, *, database: str, secret: str, expiration_seconds: int) -> None:
        super().__init__(database=database, expiration_seconds=expiration_seconds)
        self._secret = secret.encode()

    def _sign(self, state: str) -> str:
        return hmac.new(self._secret, state.encode(), hashlib.sha256).hexdigest()[:32]

    def issue(self, *args: object, **kwargs: object) -> str:
        state = super().issue(*args, **kwargs)
        return f"{state}.{self._sign(state)}"

    def consume(self, state: str) -> bool:
        raw, _, signature = (state or "").rpartition(".")
        if not raw or not hmac.compare_digest(signature, self._sign(raw)):
            return False
        return super().consume(raw)


def data_folder(settings: Settings) -> Path:
    """The folder of the database; the token and state files are created private in it."""
    folder = Path(settings.db_path).resolve().parent
    for name in (INSTALLATIONS, STATES):
        private_file(folder / name)
    return folder


def oauth_settings(settings: Settings) -> OAuthSettings:
    folder = data_folder(settings)
    assert settings.client_id and settings.client_secret and settings.state_secret
    return OAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=SQLite3InstallationStore(
            database=str(folder / INSTALLATIONS), client_id=settings.client_id
        ),
        state_store=SignedStateStore(
            database=str(folder / STATES),
            secret=settings.state_secret,
            expiration_seconds=STATE_TTL_SECONDS,
        ),
    )


def installation_clients(settings: Settings, store: InstallationStore) -> ClientFor:
    """A workspace's own bot client, from its installation (for jobs outside a request)."""

    def client(team_id: str) -> WebClient:
        bot = store.find_bot(enterprise_id=None, team_id=team_id)
        if bot is None:
            raise LookupError(f"Leerzone is not installed in workspace {team_id}")
        return make_client(replace(settings, bot_token=bot.bot_token))

    return client
