"""Acting on a verdict: count, record, claim each planned tip, render it and send it.

Every tip is claimed in the database before it is sent (one per leader, thread and purpose;
the daily cap counted in the same transaction), so Slack's retries and a second process never
send it twice; a tip stays `pending` until Slack took it, and a restart re-sends those.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient

from bot.deps import Deps
from bot.nudges.policy import Limits, Tip, Verdict, plan_tips, wants_suggestions
from bot.nudges.store import Nudge
from bot.slack.clients import SLACK_ERRORS, Clients, client_for, slack_error
from bot.ui import blocks, tip_views
from bot.ui.texts import Texts, texts_for

log = logging.getLogger(__name__)

CUE_MAX = 80
PENDING_MAX_AGE = timedelta(days=1)  # an older pending tip is no longer useful


def act_on_verdict(deps: Deps, client: WebClient, verdict: Verdict) -> None:
    team_id, channel_id = verdict.team_id, verdict.channel_id
    if verdict.prompt_thread:
        deps.prompts.count_reply(team_id, channel_id, verdict.thread_ts)  # counted, no text
    mistake = verdict.mistake
    if verdict.blame is None and mistake is not None:
        if deps.nudges.is_false_positive(team_id, channel_id, verdict.ts):
            return
        deps.nudges.record_scan(
            team_id=team_id,
            channel_id=channel_id,
            ts=verdict.ts,
            thread_ts=verdict.thread_ts,
            user_id=verdict.author,
            kind=mistake.kind,
            score=mistake.score,
            cue_category=mistake.cue_category,
        )
    limits = Limits(
        daily=deps.settings.daily_nudges,
        thanked_this_week=verdict.by_leader and _thanked_this_week(deps, verdict),
    )
    members, muted = frozenset[str](), frozenset[str]()
    if wants_suggestions(verdict, limits):
        members = deps.members.members(client, team_id, channel_id)
        now = deps.now()
        muted = frozenset(
            leader
            for leader in verdict.leaders
            if leader in members and deps.nudges.is_muted(team_id, channel_id, leader, now)
        )
    found = verdict.blame or mistake
    texts = texts_for(found.lang if found else None, deps.settings.language)
    cue = ((found.cue if found else None) or "")[:CUE_MAX]
    for tip in plan_tips(verdict, members, muted, limits):
        _claim_and_send(deps, client, verdict, tip, texts, cue)


def _thanked_this_week(deps: Deps, verdict: Verdict) -> bool:
    week_ago = deps.now() - timedelta(days=7)
    return deps.nudges.count_since(verdict.team_id, verdict.author, week_ago, ("appreciation",)) > 0


def _claim_and_send(
    deps: Deps, client: WebClient, verdict: Verdict, tip: Tip, texts: Texts, cue: str
) -> None:
    nudge = deps.nudges.claim(
        team_id=verdict.team_id,
        channel_id=verdict.channel_id,
        thread_ts=verdict.thread_ts,
        message_ts=verdict.ts,
        leader_id=tip.leader,
        author_id=tip.about,
        purpose=tip.purpose,
        kind=tip.kind,
        since=deps.start_of_day() if tip.capped else None,
        limit=deps.settings.daily_nudges if tip.capped else None,
        at=deps.now(),
    )
    if nudge is not None:
        send_tip(deps, client, nudge, tip_message(texts, nudge, cue))


def tip_message(texts: Texts, nudge: Nudge, cue: str) -> dict[str, Any]:
    """What the leader sees for a claimed tip; `cue` is "" when the message is gone."""
    if nudge.purpose == "reframe":
        return tip_views.reframe_message(texts, nudge.author_id, nudge.kind or "why", cue)
    if nudge.purpose == "appreciation":
        return blocks.notice(texts.part("nudge", "appreciation"))
    kind = nudge.kind or "preventable"
    return tip_views.nudge_message(texts, nudge.id, nudge.author_id, kind, nudge.variant, cue)


def send_tip(deps: Deps, client: WebClient, nudge: Nudge, message: dict[str, Any]) -> bool:
    """Post a claimed tip and record the outcome (a restart re-sends one left pending)."""
    try:
        client.chat_postEphemeral(
            channel=nudge.channel_id, user=nudge.leader_id, thread_ts=nudge.thread_ts, **message
        )
    except SLACK_ERRORS as err:
        # user_not_in_channel, not_in_channel, channel_not_found, ratelimited after retries:
        # the tip is lost, the conversation goes on; mark it so it doesn't count.
        where = nudge.channel_id
        log.warning("tip to %s in %s not sent: %s", nudge.leader_id, where, slack_error(err))
        deps.nudges.set_status(nudge, "failed")
        return False
    deps.nudges.set_status(nudge, "sent")
    return True


def recover_pending_tips(deps: Deps, clients: Clients) -> int:
    """At start-up: send the tips a stopped process had claimed but not sent.

    The message text is gone (it is never stored), so the tip goes without the quoted cue;
    one older than a day is no longer useful and is marked failed instead.
    """
    sent = 0
    too_old = deps.now() - PENDING_MAX_AGE
    for nudge in deps.nudges.pending():
        workspace = client_for(clients, nudge.team_id)
        if workspace is None or datetime.fromisoformat(nudge.created_at) < too_old:
            deps.nudges.set_status(nudge, "failed")
            continue
        texts = deps.texts(nudge.team_id, nudge.channel_id)
        sent += send_tip(deps, workspace, nudge, tip_message(texts, nudge, ""))
    return sent
