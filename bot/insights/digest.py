"""The leaders' weekly digest: one DM per leader, per channel they lead, aggregates only."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.deps import Deps
from bot.insights.figures import MINIMUM_PEOPLE, channel_figures
from bot.slack.clients import Clients, send_dm
from bot.ui import prompt_views


def send_digests(deps: Deps, clients: Clients, at: datetime) -> int:
    """The past seven days, once per leader per ISO week (claimed before sending)."""
    week = at.astimezone(deps.settings.tz).strftime("%G-W%V")
    since = at - timedelta(days=7)
    by_leader: dict[tuple[str, str], list[str]] = {}
    for team_id, channel_id, _schedule, _since in deps.prompts.schedules():
        for leader in deps.channels.leaders(team_id, channel_id)[0]:
            by_leader.setdefault((team_id, leader), []).append(channel_id)
    sent = 0
    for (team_id, leader), channels in by_leader.items():
        if not deps.prompts.digest_once(team_id, leader, week):
            continue
        texts = deps.texts(None, None)
        figures = [channel_figures(deps, team_id, c, leader, since) for c in channels]
        message = prompt_views.digest_message(texts, figures, MINIMUM_PEOPLE)
        sent += send_dm(clients, team_id, leader, message, "digest")
    return sent
