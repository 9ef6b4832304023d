"""The monthly round-up: on the first working day of a month, each channel that shared
intelligent failures the month before gets one post celebrating them.

Intelligent failures are the well-taken risks: a thought-through attempt on new ground that
turned out otherwise. Naming them in public, with their lessons, tells a team that such tries
are wanted. Only what was shared in that channel appears, and exactly as it was shared (with
the name, or anonymously); nothing unshared ever does. A channel can switch it off
(`/fout viering uit`, or in the Home tab). Once per channel per month: claimed before posting.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from bot.deps import Deps
from bot.failures.store import Failure
from bot.slack.clients import SLACK_ERRORS, Clients, client_for, slack_error
from bot.team_prompts.rotation import is_working_day
from bot.ui import prompt_views

log = logging.getLogger(__name__)

MAX_ITEMS = 12  # one post stays readable; the rest is counted


def is_first_working_day_of_month(day: date) -> bool:
    if not is_working_day(day):
        return False
    earlier = (day.replace(day=n) for n in range(1, day.day))
    return not any(is_working_day(d) for d in earlier)


def previous_month(day: date) -> tuple[date, date]:
    """The first day of the month before `day`'s month, and the first day of `day`'s month."""
    first = day.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1), first


def post_roundups(deps: Deps, clients: Clients, at: datetime) -> int:
    """Post the past month's round-ups if today is the month's first working day."""
    tz = deps.settings.tz
    local = at.astimezone(tz)
    start_of_work, end_of_work = deps.settings.working_hours
    if not is_first_working_day_of_month(local.date()):
        return 0
    if not start_of_work <= local.time() < end_of_work:
        return 0  # during the working day, like everything the bot posts
    today = local.date()
    start, end = previous_month(today)
    month = start.strftime("%Y-%m")
    since = datetime.combine(start, time(0), tz)
    until = datetime.combine(end, time(0), tz)
    by_channel: dict[tuple[str, str], list[Failure]] = {}
    for failure in deps.failures.shared_between("intelligent", since, until):
        key = (failure.team_id, str(failure.shared_channel_id))
        by_channel.setdefault(key, []).append(failure)
    posted = 0
    for (team_id, channel_id), shared in by_channel.items():
        if not deps.channels.get(team_id, channel_id).celebrations:
            continue
        client = client_for(clients, team_id)
        if client is None or not deps.prompts.claim_roundup(team_id, channel_id, month):
            continue
        texts = deps.texts(team_id, channel_id)
        message = prompt_views.roundup_message(texts, start, shared[:MAX_ITEMS], len(shared))
        try:
            response = client.chat_postMessage(channel=channel_id, unfurl_links=False, **message)
        except SLACK_ERRORS as err:
            log.warning("round-up in %s failed: %s", channel_id, slack_error(err))
            deps.prompts.finish_roundup(team_id, channel_id, month, None)
            continue
        deps.prompts.finish_roundup(team_id, channel_id, month, response.get("ts"))
        posted += 1
    return posted
