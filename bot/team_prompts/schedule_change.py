"""Changing a channel's prompt schedule: one set of rules for `/fout schema` and the Home tab.

Who may: the same people who may appoint a channel's leaders (bot.governance). Biweekly
slots count even weeks from an anchor, and a new schedule anchors on its own first slot from
today, so "tweewekelijks vr" set on a Wednesday starts this Friday, never skipping to the next.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from bot.deps import Deps
from bot.team_prompts.rotation import Schedule


@dataclass(frozen=True)
class ScheduleChange:
    """The outcome: the channel's schedule now, or refused with the leaders who may."""

    schedule: Schedule | None
    leaders: tuple[str, ...] = ()

    @property
    def refused(self) -> bool:
        return self.schedule is None


def default_schedule(deps: Deps) -> Schedule:
    return Schedule(timezone=deps.settings.timezone)


def anchor_for(weekday: int, now: datetime, schedule: Schedule) -> date:
    """The date of the first slot on `weekday` from today (the team's time zone)."""
    today = now.astimezone(schedule.tz).date()
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def change_schedule(
    deps: Deps,
    team_id: str,
    channel_id: str,
    user_id: str,
    wanted: Schedule | None,
    *,
    allowed: bool,
) -> ScheduleChange:
    """Set the channel's schedule to `wanted` (day, time, every so many weeks), or turn its
    prompts off with None; the time zone stays the channel's. The scheduler hears of it.
    `allowed`: whether this person may govern the channel (bot.governance decides)."""
    leaders, _ = deps.channels.leaders(team_id, channel_id)
    if not allowed:
        return ScheduleChange(None, leaders)
    base = deps.prompts.schedule(team_id, channel_id) or default_schedule(deps)
    if wanted is None:
        new = replace(base, enabled=False)
    else:
        new = replace(
            wanted,
            timezone=base.timezone,
            anchor=anchor_for(wanted.weekday, deps.now(), base),
            enabled=True,
        )
    deps.prompts.set_schedule(team_id, channel_id, new, user_id)
    deps.on_schedule_change(team_id, channel_id)
    return ScheduleChange(new, leaders)
