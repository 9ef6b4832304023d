"""What every handler and job needs, injected through Bolt's context instead of globals.

Each store is built once here, over one `Storage`: handlers and jobs reach the data only
through `deps.failures`, `deps.channels`, `deps.prefs`, `deps.nudges`, `deps.prompts` and
`deps.reviews`
(and, in OAuth mode, `deps.installs` for the installer's rows in slack-sdk's files).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.config import Settings
from bot.failures.store import FailureStore
from bot.nudges.store import NudgeStore
from bot.reviews.store import ReviewStore
from bot.slack.members import MembersCache
from bot.slack.pacing import Pacer
from bot.storage.channels import ChannelStore
from bot.storage.database import Storage, TableStore
from bot.storage.installs import InstallRecords
from bot.storage.prefs import PrefStore
from bot.team_prompts.store import PromptStore
from bot.ui.texts import Texts, texts_for


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Deps:
    settings: Settings
    storage: Storage
    members: MembersCache = field(default_factory=MembersCache)
    now: Callable[[], datetime] = _utc_now  # injected so tests can move the clock
    posts: Pacer = field(default_factory=Pacer)  # one per process: all jobs share the limits
    # Called after a channel's schedule changes, so the scheduler can rebuild that job.
    schedule_listeners: list[Callable[[str, str], None]] = field(default_factory=list)
    failures: FailureStore = field(init=False)
    channels: ChannelStore = field(init=False)
    prefs: PrefStore = field(init=False)
    nudges: NudgeStore = field(init=False)
    prompts: PromptStore = field(init=False)
    reviews: ReviewStore = field(init=False)
    installs: InstallRecords | None = field(init=False)  # OAuth mode only

    def __post_init__(self) -> None:
        built = {
            "failures": FailureStore(self.storage),
            "channels": ChannelStore(self.storage, self.settings.default_leaders),
            "prefs": PrefStore(self.storage),
            "nudges": NudgeStore(self.storage),
            "prompts": PromptStore(self.storage),
            "reviews": ReviewStore(self.storage),
        }
        for name, store in built.items():
            object.__setattr__(self, name, store)
        folder = Path(self.settings.db_path).resolve().parent
        object.__setattr__(
            self, "installs", InstallRecords(folder) if self.settings.oauth else None
        )

    @property
    def stores(self) -> tuple[TableStore, ...]:
        """Every store, for what concerns all tables: export, forget-me, retention."""
        return (self.failures, self.channels, self.prefs, self.nudges, self.prompts, self.reviews)

    def on_schedule_change(self, team_id: str, channel_id: str) -> None:
        for listener in self.schedule_listeners:
            listener(team_id, channel_id)

    def language(self, team_id: str | None, channel_id: str | None) -> str:
        if team_id and channel_id:
            chosen = self.channels.get(team_id, channel_id).language
            if chosen:
                return chosen
        return self.settings.language

    def texts(self, team_id: str | None, channel_id: str | None) -> Texts:
        return texts_for(self.language(team_id, channel_id), self.settings.language)

    def user_texts(self, team_id: str, user_id: str) -> Texts:
        """Texts for one person (App Home, DMs): their own choice, else the default."""
        chosen = self.prefs.get(team_id, user_id).language
        return texts_for(chosen or self.settings.language, self.settings.language)

    def start_of_day(self) -> datetime:
        """Midnight today in the team's time zone: daily caps count from here."""
        local = self.now().astimezone(self.settings.tz)
        return local.replace(hour=0, minute=0, second=0, microsecond=0)
