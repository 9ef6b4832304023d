"""Settings, read and validated once from the environment.

Everything that can be wrong with the configuration is reported at start, naming the variable,
instead of surfacing later as an obscure Slack error in the middle of a conversation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.team_prompts.rotation import parse_schedule, parse_time

LANGUAGES = ("nl", "en")
# The bot scopes Leerzone asks for (kept equal to manifest.yml by a test).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "channels:history",
    "groups:history",
    "channels:read",
    "groups:read",
    "im:write",
    "im:history",  # only to find our own tip in a DM after a restart, so it is never sent twice
    "users:read",  # users.getPresence: an in-channel tip only reaches a leader who is active
    "files:write",
)
OAUTH_VARIABLES = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET")
DEFAULT_API_URL = "https://slack.com/api/"
USER_ID_RE = re.compile(r"^[UW][A-Z0-9]{2,}$")


class ConfigError(ValueError):
    """A setting is missing or invalid; the message names the variable."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


@dataclass(frozen=True)
class Settings:
    bot_token: str | None
    signing_secret: str | None
    app_token: str | None = None
    api_url: str = DEFAULT_API_URL
    port: int = 3000
    db_path: str = "data/leerzone.db"
    default_leaders: tuple[str, ...] = ()
    admins: tuple[str, ...] = ()  # may appoint leaders and change any channel's settings
    language: str = "nl"
    timezone: str = "Europe/Amsterdam"
    daily_nudges: int = 5
    prompt_grace_hours: float = 6.0
    digest: str = "vr 16:00"  # weekday and local time of the leaders' weekly digest, or "uit"
    retention_days: int = 365
    lesson_reminder_days: int = 3
    working_hours: tuple[time, time] = (time(8, 30), time(18, 0))  # tips as DMs only then
    client_id: str | None = None
    client_secret: str | None = None
    state_secret: str | None = None

    @property
    def oauth(self) -> bool:
        """Multi-workspace mode: Slack's install flow instead of one bot token."""
        return bool(self.client_id and self.client_secret and self.state_secret)

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @classmethod
    def from_env(cls, environ: Mapping[str, str], *, require_tokens: bool = True) -> Settings:
        """Build settings; with require_tokens the Slack credentials for `run` must be present."""

        def get(name: str) -> str | None:
            value = environ.get(name, "").strip()
            return value or None

        values: dict[str, Any] = _credentials(get, require_tokens)
        for option in OPTIONS:
            raw = get(option.variable) or option.default
            try:
                values[option.field] = option.parse(raw)
            except ValueError as err:
                raise ConfigError(option.variable, f"{err}, got {raw!r}") from None
        return cls(**values)


@dataclass(frozen=True)
class Option:
    """One setting read from the environment: its variable, the Settings field it fills, the
    default, and a parser that returns the value or raises ValueError saying what it must be."""

    variable: str
    field: str
    default: str
    parse: Callable[[str], Any]


def _whole_number(low: int, high: int | None, must: str) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        if not raw.isdigit() or int(raw) < low or (high is not None and int(raw) > high):
            raise ValueError(must)
        return int(raw)

    return parse


def _api_url(raw: str) -> str:
    if not re.match(r"^https?://", raw):
        raise ValueError("must be an http(s) URL")
    return raw if raw.endswith("/") else raw + "/"


def _user_ids(raw: str) -> tuple[str, ...]:
    ids = tuple(x.strip() for x in raw.split(",") if x.strip())
    for user_id in ids:
        if not USER_ID_RE.match(user_id):
            raise ValueError(f"{user_id!r} is not a Slack user id (like U0123ABCD)")
    return ids


def _language(raw: str) -> str:
    if raw.lower() not in LANGUAGES:
        raise ValueError("must be nl or en")
    return raw.lower()


def _timezone(raw: str) -> str:
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("is not a known time zone") from None
    return raw


def _hours(raw: str) -> float:
    try:
        hours = float(raw)
    except ValueError:
        hours = -1.0
    if not 0 <= hours <= 72:
        raise ValueError("must be hours between 0 and 72")
    return hours


def _working_hours(raw: str) -> tuple[time, time]:
    start, _, end = raw.replace(" ", "").partition("-")
    first, last = parse_time(start), parse_time(end)
    if first is None or last is None or first >= last:
        raise ValueError("must be two times like '08:30-18:00', the first before the second")
    return first, last


def _digest(raw: str) -> str:
    if parse_schedule(raw.lower().split()) is None:
        raise ValueError("must be a day and time like 'vr 16:00', or 'uit'")
    return raw.lower()


OPTIONS = (
    Option("SLACK_API_URL", "api_url", DEFAULT_API_URL, _api_url),
    Option("PORT", "port", "3000", _whole_number(1, 65535, "must be a port number 1-65535")),
    Option("LEERZONE_DB", "db_path", "data/leerzone.db", str),
    Option("LEERZONE_LEADERS", "default_leaders", "", _user_ids),
    Option("LEERZONE_ADMINS", "admins", "", _user_ids),
    Option("LEERZONE_LANGUAGE", "language", "nl", _language),
    Option("LEERZONE_TIMEZONE", "timezone", "Europe/Amsterdam", _timezone),
    Option(
        "LEERZONE_DAILY_NUDGES",
        "daily_nudges",
        "5",
        _whole_number(0, 100, "must be a number 0-100"),
    ),
    Option("LEERZONE_PROMPT_GRACE_HOURS", "prompt_grace_hours", "6", _hours),
    Option("LEERZONE_DIGEST", "digest", "vr 16:00", _digest),
    Option(
        "LEERZONE_RETENTION_DAYS",
        "retention_days",
        "365",
        _whole_number(1, None, "must be a whole number of days"),
    ),
    Option("LEERZONE_WORKING_HOURS", "working_hours", "08:30-18:00", _working_hours),
    Option(
        "LEERZONE_LESSON_REMINDER_DAYS",
        "lesson_reminder_days",
        "3",
        _whole_number(0, None, "must be a whole number"),
    ),
)


def _credentials(get: Callable[[str], str | None], require_tokens: bool) -> dict[str, Any]:
    """The Slack credentials: one bot token, or the three OAuth values for many workspaces.
    They depend on each other, so they are checked together rather than one by one."""
    app_token = get("SLACK_APP_TOKEN")
    bot_token = get("SLACK_BOT_TOKEN")
    signing_secret = get("SLACK_SIGNING_SECRET")
    oauth_values = {name: get(name) for name in OAUTH_VARIABLES}
    oauth = any(oauth_values.values())
    if oauth:
        for name, value in oauth_values.items():
            if not value:
                raise ConfigError(name, "is not set (all three OAuth variables are needed)")
        if not signing_secret:
            raise ConfigError("SLACK_SIGNING_SECRET", "is not set (needed for OAuth over HTTP)")
        if app_token:
            raise ConfigError(
                "SLACK_APP_TOKEN", "must be empty in OAuth mode (the install flow needs HTTP)"
            )
    if require_tokens and not oauth:
        if not bot_token:
            raise ConfigError("SLACK_BOT_TOKEN", "is not set (the bot token, xoxb-…)")
        if not app_token and not signing_secret:
            raise ConfigError(
                "SLACK_SIGNING_SECRET",
                "is not set (needed in HTTP mode; or set SLACK_APP_TOKEN for Socket Mode)",
            )
    if bot_token and not bot_token.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN", "must be a bot token starting with xoxb-")
    if app_token and not app_token.startswith("xapp-"):
        raise ConfigError("SLACK_APP_TOKEN", "must be an app-level token starting with xapp-")
    return {
        "bot_token": bot_token,
        "signing_secret": signing_secret,
        "app_token": app_token,
        "client_id": oauth_values["SLACK_CLIENT_ID"],
        "client_secret": oauth_values["SLACK_CLIENT_SECRET"],
        "state_secret": oauth_values["SLACK_STATE_SECRET"],
    }
