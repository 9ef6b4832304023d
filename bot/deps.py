"""What every handler needs, injected through Bolt's context instead of globals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.config import Settings
from bot.nudges.store import Nudges
from bot.slack.members import MembersCache
from bot.slack.pacing import Pacer
from bot.storage.database import Store
from bot.ui.texts import Texts, texts_for


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Deps:
    settings: Settings
    store: Store
    members: MembersCache = field(default_factory=MembersCache)
    now: Callable[[], datetime] = _utc_now  # injected so tests can move the clock
    posts: Pacer = field(default_factory=Pacer)  # one per process: all jobs share the limits
    # Called after a channel's schedule changes, so the scheduler can rebuild that job.
    schedule_listeners: list[Callable[[str, str], None]] = field(default_factory=list)

    def on_schedule_change(self, team_id: str, channel_id: str) -> None:
        for listener in self.schedule_listeners:
            listener(team_id, channel_id)

    @property
    def nudges(self) -> Nudges:
        return Nudges(self.store)

    def language(self, team_id: str | None, channel_id: str | None) -> str:
        if team_id and channel_id:
            chosen = self.store.channel(team_id, channel_id).language
            if chosen:
                return chosen
        return self.settings.language

    def texts(self, team_id: str | None, channel_id: str | None) -> Texts:
        return texts_for(self.language(team_id, channel_id), self.settings.language)

    def user_texts(self, team_id: str, user_id: str) -> Texts:
        """Texts for one person (App Home, DMs): their own choice, else the default."""
        chosen = self.store.user_pref(team_id, user_id).get("language")
        return texts_for(chosen or self.settings.language, self.settings.language)

    def leaders(self, team_id: str, channel_id: str) -> tuple[tuple[str, ...], bool]:
        """The channel's leaders and whether they come from the workspace-wide default."""
        own = self.store.channel(team_id, channel_id).leaders
        if own:
            return own, False
        return self.settings.default_leaders, bool(self.settings.default_leaders)

    def start_of_day(self) -> datetime:
        """Midnight today in the team's time zone: daily caps count from here."""
        local = self.now().astimezone(self.settings.tz)
        return local.replace(hour=0, minute=0, second=0, microsecond=0)
