"""What every handler needs, injected through Bolt's context instead of globals."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.store import Store
from bot.texts import Texts, texts_for


@dataclass(frozen=True)
class Deps:
    settings: Settings
    store: Store

    def language(self, team_id: str | None, channel_id: str | None) -> str:
        if team_id and channel_id:
            chosen = self.store.channel(team_id, channel_id).language
            if chosen:
                return chosen
        return self.settings.language

    def texts(self, team_id: str | None, channel_id: str | None) -> Texts:
        return texts_for(self.language(team_id, channel_id), self.settings.language)

    def leaders(self, team_id: str, channel_id: str) -> tuple[tuple[str, ...], bool]:
        """The channel's leaders and whether they come from the workspace-wide default."""
        own = self.store.channel(team_id, channel_id).leaders
        if own:
            return own, False
        return self.settings.default_leaders, bool(self.settings.default_leaders)
