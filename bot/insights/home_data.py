"""What the App Home shows one person, gathered from the stores (no Slack, no Block Kit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.deps import Deps
from bot.failures.store import Failure
from bot.insights.figures import MINIMUM_PEOPLE, channel_figures
from bot.team_prompts.rotation import next_slots
from bot.ui.texts import Texts

PAGE_SIZE = 8
MAX_CHANNELS = 8
WINDOW = timedelta(weeks=4)
MOMENTS_WINDOW = timedelta(days=14)
MAX_MOMENTS = 6


@dataclass(frozen=True)
class HomeData:
    team_id: str
    user_id: str
    failures: list[Failure]
    total: int
    page: int
    pages: int
    language: str
    leader_channels: list[dict[str, Any]] = field(default_factory=list)
    more_channels: int = 0
    minimum: int = MINIMUM_PEOPLE
    # the open moments to say thanks (tips of the last two weeks), for a leader
    moments: list[dict[str, Any]] = field(default_factory=list)
    more_moments: int = 0
    tip_delivery: str = "dm"
    reviews: list[Any] = field(default_factory=list)  # open looks back in channels they lead


def led_channels(deps: Deps, team_id: str, user_id: str) -> list[str]:
    """Channels this person leads: named as leader, or a default leader where none is named."""
    named = deps.channels.named_leaders(team_id)
    channels = {c for c, leaders in named.items() if user_id in leaders}
    if user_id in deps.settings.default_leaders:
        channels.update(c for c in deps.prompts.channels(team_id) if not named.get(c))
    return sorted(channels)


def gather(deps: Deps, texts: Texts, team_id: str, user_id: str, page: int = 1) -> HomeData:
    total = deps.failures.count(team_id, user_id)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    failures = deps.failures.latest(
        team_id, user_id, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    channels = led_channels(deps, team_id, user_id)
    since = deps.now() - WINDOW
    details = []
    for channel_id in channels[:MAX_CHANNELS]:
        schedule = deps.prompts.schedule(team_id, channel_id)
        upcoming = next_slots(schedule, deps.now(), 1) if schedule else []
        figures = channel_figures(deps, team_id, channel_id, user_id, since)
        details.append(
            {
                **figures,
                "leaders": deps.channels.leaders(team_id, channel_id)[0],
                "next_prompt": texts.when(upcoming[0]) if upcoming else None,
                "every_weeks": schedule.every_weeks if schedule else 1,
                "minimum": MINIMUM_PEOPLE,
            }
        )
    open_tips = deps.nudges.open_for(team_id, user_id, deps.now() - MOMENTS_WINDOW)
    moments = [
        {
            "nudge": nudge,
            "when": texts.when(
                datetime.fromisoformat(nudge.created_at).astimezone(deps.settings.tz)
            ),
        }
        for nudge in open_tips[:MAX_MOMENTS]
    ]
    return HomeData(
        team_id=team_id,
        user_id=user_id,
        failures=failures,
        total=total,
        page=page,
        pages=pages,
        language=texts.lang,
        leader_channels=details,
        more_channels=max(0, len(channels) - MAX_CHANNELS),
        moments=moments,
        more_moments=max(0, len(open_tips) - MAX_MOMENTS),
        tip_delivery=deps.prefs.get(team_id, user_id).tip_delivery,
        reviews=deps.reviews.open_in(team_id, tuple(channels)),
    )
