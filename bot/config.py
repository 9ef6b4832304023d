"""Settings, read and validated once from the environment.

Everything that can be wrong with the configuration is reported at start, naming the variable,
instead of surfacing later as an obscure Slack error in the middle of a conversation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.team_prompts.rotation import parse_schedule

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
    language: str = "nl"
    timezone: str = "Europe/Amsterdam"
    daily_nudges: int = 5
    prompt_grace_hours: float = 6.0
    digest: str = "vr 16:00"  # weekday and local time of the leaders' weekly digest, or "uit"
    retention_days: int = 365
    lesson_reminder_days: int = 3
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

        api_url = get("SLACK_API_URL") or DEFAULT_API_URL
        if not re.match(r"^https?://", api_url):
            raise ConfigError("SLACK_API_URL", f"must be an http(s) URL, got {api_url!r}")
        if not api_url.endswith("/"):
            api_url += "/"

        port_text = get("PORT") or "3000"
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ConfigError("PORT", f"must be a port number 1-65535, got {port_text!r}")

        leaders = tuple(x.strip() for x in (get("LEERZONE_LEADERS") or "").split(",") if x.strip())
        for leader in leaders:
            if not USER_ID_RE.match(leader):
                raise ConfigError(
                    "LEERZONE_LEADERS", f"{leader!r} is not a Slack user id (like U0123ABCD)"
                )

        language = (get("LEERZONE_LANGUAGE") or "nl").lower()
        if language not in LANGUAGES:
            raise ConfigError("LEERZONE_LANGUAGE", f"must be nl or en, got {language!r}")

        timezone = get("LEERZONE_TIMEZONE") or "Europe/Amsterdam"
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                "LEERZONE_TIMEZONE", f"{timezone!r} is not a known time zone"
            ) from None

        cap_text = get("LEERZONE_DAILY_NUDGES") or "5"
        if not cap_text.isdigit() or not 0 <= int(cap_text) <= 100:
            raise ConfigError("LEERZONE_DAILY_NUDGES", f"must be a number 0-100, got {cap_text!r}")

        grace_text = get("LEERZONE_PROMPT_GRACE_HOURS") or "6"
        try:
            grace = float(grace_text)
        except ValueError:
            grace = -1.0
        if not 0 <= grace <= 72:
            raise ConfigError(
                "LEERZONE_PROMPT_GRACE_HOURS", f"must be hours between 0 and 72, got {grace_text!r}"
            )

        digest = (get("LEERZONE_DIGEST") or "vr 16:00").lower()
        if parse_schedule(digest.split()) is None:
            raise ConfigError(
                "LEERZONE_DIGEST",
                f"must be a day and time like 'vr 16:00', or 'uit'; got {digest!r}",
            )

        retention_text = get("LEERZONE_RETENTION_DAYS") or "365"
        if not retention_text.isdigit() or int(retention_text) < 1:
            raise ConfigError(
                "LEERZONE_RETENTION_DAYS", f"must be a whole number of days, got {retention_text!r}"
            )

        reminder_text = get("LEERZONE_LESSON_REMINDER_DAYS") or "3"
        if not reminder_text.isdigit():
            raise ConfigError(
                "LEERZONE_LESSON_REMINDER_DAYS", f"must be a whole number, got {reminder_text!r}"
            )

        return cls(
            bot_token=bot_token,
            signing_secret=signing_secret,
            app_token=app_token,
            api_url=api_url,
            port=int(port_text),
            db_path=get("LEERZONE_DB") or "data/leerzone.db",
            default_leaders=leaders,
            language=language,
            timezone=timezone,
            daily_nudges=int(cap_text),
            prompt_grace_hours=grace,
            digest=digest,
            retention_days=int(retention_text),
            lesson_reminder_days=int(reminder_text),
            client_id=oauth_values["SLACK_CLIENT_ID"],
            client_secret=oauth_values["SLACK_CLIENT_SECRET"],
            state_secret=oauth_values["SLACK_STATE_SECRET"],
        )
