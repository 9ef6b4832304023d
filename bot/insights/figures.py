"""A channel's figures for its leaders: aggregates only, and none about fewer than five people.

The same figures feed the Friday digest and the leader's part of the App Home.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.deps import Deps

MINIMUM_PEOPLE = 5


def channel_figures(
    deps: Deps, team_id: str, channel_id: str, leader_id: str, since: datetime
) -> dict[str, Any]:
    """One channel since a moment; the leader's own tips, the team's entries in aggregate."""
    counts = deps.failures.counts(team_id, channel_id, since)
    replies = deps.prompts.replies_since(team_id, channel_id, since)
    tips = deps.nudges.tip_counts(team_id, channel_id, leader_id, since)
    by_kind = counts.by_kind
    return {
        "channel_id": channel_id,
        "enough": counts.people >= MINIMUM_PEOPLE,
        "failures": sum(by_kind.values()),
        "preventable": by_kind.get("preventable", 0),
        "complex": by_kind.get("complex", 0),
        "intelligent": by_kind.get("intelligent", 0),
        "lessons": counts.lessons,
        "shared": counts.shared,
        "replies": replies if replies >= MINIMUM_PEOPLE else None,
        "tips_sent": sum(tips.values()) - tips.get("failed", 0),
        "tips_done": tips.get("done", 0),
        "tips_false": tips.get("false_positive", 0),
        "tips_later": tips.get("later", 0),
    }
