"""The leaders' weekly digest: one DM per leader, per channel they lead, aggregates only,
with a private reflection for the leader at the end.

The reflection is the leader's own: their coaching figures for the week (tips received,
acted on, "niet nu"), one question from the leader toolkit (set the stage, invite
participation, respond productively, model it; a different one each week), and — when they
have not shared a mistake of their own for four weeks — an invitation to go first. It names
nobody in the team and holds no per-person figures about anyone but the reader.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.deps import Deps
from bot.insights.figures import MINIMUM_PEOPLE, channel_figures
from bot.slack.clients import Clients, send_dm
from bot.ui import prompt_views
from bot.ui.blocks import mrkdwn_section
from bot.ui.texts import Texts


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
        texts = deps.user_texts(team_id, leader)
        figures = [channel_figures(deps, team_id, c, leader, since) for c in channels]
        message = prompt_views.digest_message(texts, figures, MINIMUM_PEOPLE)
        message["blocks"].append(
            mrkdwn_section(reflection(deps, texts, team_id, leader, since, at))
        )
        sent += send_dm(clients, team_id, leader, message, "digest")
    return sent


TOOLKIT = ("set_the_stage", "invite_participation", "respond_productively", "model_it")
GO_FIRST_AFTER = timedelta(days=28)


def toolkit_question(week_number: int) -> str:
    """The block name of this week's question: the four steps in turn, two questions each."""
    step = TOOLKIT[week_number % len(TOOLKIT)]
    return f"toolkit__{step}_{(week_number // len(TOOLKIT)) % 2 + 1}"


def reflection(
    deps: Deps, texts: Texts, team_id: str, leader: str, since: datetime, at: datetime
) -> str:
    tips = deps.nudges.leader_tip_counts(team_id, leader, since)
    four_weeks = at - GO_FIRST_AFTER
    went_first = deps.failures.shared_count(team_id, leader, four_weeks) + deps.nudges.count_since(
        team_id, leader, four_weeks, ("appreciation",)
    )
    week_number = int(at.astimezone(deps.settings.tz).strftime("%V"))
    return texts.part(
        "digest",
        "reflection",
        tips=sum(tips.values()) - tips.get("failed", 0),
        done=tips.get("done", 0),
        later=tips.get("later", 0),
        question=texts.part("digest", toolkit_question(week_number)),
        go_first=went_first == 0,
    )
