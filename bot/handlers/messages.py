"""Channel messages: private thank-you-first suggestions to leaders, and blame reframes.

The handler stays quiet unless the detector finds a self-reported mistake (or, from a leader
in a thread, blame). It stores no text, only ids, kind and score, and it never posts anything
public: every tip is an ephemeral message that only one leader can see.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import views
from bot.deps import Deps
from bot.detect import Detection, detect, detect_blame
from bot.prompt_store import PromptStore
from bot.texts import texts_for

log = logging.getLogger(__name__)

SCANNED_SUBTYPES = {None, "thread_broadcast", "file_share"}
CUE_MAX = 80


def register(app: App) -> None:
    app.event("message")(on_message)


def is_scannable(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """A person's new message in a channel: not a bot, an edit, a join or a DM."""
    if event.get("subtype") not in SCANNED_SUBTYPES or event.get("hidden"):
        return False
    if event.get("bot_id") or event.get("bot_profile") or not event.get("user"):
        return False
    if event.get("user") == bot_user_id:
        return False
    channel_type = event.get("channel_type")
    channel = str(event.get("channel") or "")
    if channel_type in ("im", "mpim") or channel.startswith("D"):
        return False
    return bool(str(event.get("text") or "").strip()) and bool(event.get("ts"))


def on_message(body: dict, event: dict, client: WebClient, context: BoltContext) -> None:
    deps: Deps = context["deps"]
    if not is_scannable(event, context.bot_user_id):
        return
    team_id = context.team_id or body.get("team_id") or ""
    event_id = body.get("event_id")
    if event_id and not deps.nudges.claim_event(event_id, team_id, deps.now()):
        return  # Slack's retry of an event we already handled
    try:
        handle_message(deps, client, team_id, event)
    except Exception:
        if event_id:
            deps.nudges.release_event(event_id)  # so Slack's retry gets another chance
        raise
    if event_id:
        deps.nudges.finish_event(event_id)


def handle_message(deps: Deps, client: WebClient, team_id: str, event: dict[str, Any]) -> None:
    channel_id, ts, author = event["channel"], event["ts"], event["user"]
    thread_ts = event.get("thread_ts") or ts
    text = event["text"]
    if thread_ts != ts:
        PromptStore(deps.store).count_reply(team_id, channel_id, thread_ts)  # counted, not kept
    leaders, _ = deps.leaders(team_id, channel_id)
    hint = deps.language(team_id, channel_id)
    if thread_ts != ts and author in leaders:
        blame = detect_blame(text, hint)
        if blame.is_blame and blame.reframe and blame.cue:
            _reframe(deps, client, team_id, event, blame.reframe, blame.cue, blame.lang)
            return
    result = detect(text, hint)
    if not result.is_mistake or not result.kind:
        return
    if deps.nudges.is_false_positive(team_id, channel_id, ts):
        return
    deps.nudges.record_scan(
        team_id=team_id,
        channel_id=channel_id,
        ts=ts,
        thread_ts=thread_ts,
        user_id=author,
        kind=result.kind,
        score=result.score,
        cue_category=result.cue_category,
    )
    if author in leaders:
        _appreciate(deps, client, team_id, channel_id, thread_ts, ts, author, result)
        return
    if not leaders or deps.settings.daily_nudges == 0:
        return
    members = deps.members.members(client, team_id, channel_id)
    for leader in leaders:
        if leader == author or leader not in members:
            continue
        if deps.nudges.is_muted(team_id, channel_id, leader, deps.now()):
            continue
        _suggest(deps, client, team_id, channel_id, thread_ts, ts, leader, author, result)


def _send(client: WebClient, deps: Deps, nudge: Any, message: dict[str, Any]) -> None:
    try:
        client.chat_postEphemeral(
            channel=nudge.channel_id, user=nudge.leader_id, thread_ts=nudge.thread_ts, **message
        )
    except SlackApiError as err:
        # user_not_in_channel, not_in_channel, channel_not_found, ratelimited after retries:
        # the tip is lost, the conversation goes on; mark it so it doesn't count.
        log.warning(
            "tip to %s in %s not sent: %s",
            nudge.leader_id,
            nudge.channel_id,
            err.response.get("error"),
        )
        deps.nudges.set_status(nudge, "failed")


def _suggest(
    deps: Deps,
    client: WebClient,
    team_id: str,
    channel_id: str,
    thread_ts: str,
    ts: str,
    leader: str,
    author: str,
    result: Detection,
) -> None:
    nudge = deps.nudges.claim(
        team_id=team_id,
        channel_id=channel_id,
        thread_ts=thread_ts,
        message_ts=ts,
        leader_id=leader,
        author_id=author,
        purpose="suggestion",
        kind=result.kind,
        since=deps.start_of_day(),
        limit=deps.settings.daily_nudges,
        at=deps.now(),
    )
    if nudge is None:
        return
    texts = texts_for(result.lang, deps.settings.language)
    cue = (result.cue or "")[:CUE_MAX]
    message = views.nudge_message(texts, nudge.id, author, result.kind or "preventable", 0, cue)
    _send(client, deps, nudge, message)


def _reframe(
    deps: Deps,
    client: WebClient,
    team_id: str,
    event: dict[str, Any],
    reframe: str,
    cue: str,
    lang: str,
) -> None:
    leader = event["user"]
    nudge = deps.nudges.claim(
        team_id=team_id,
        channel_id=event["channel"],
        thread_ts=event["thread_ts"],
        message_ts=event["ts"],
        leader_id=leader,
        author_id=event.get("parent_user_id") or "",
        purpose="reframe",
        kind=None,
        since=deps.start_of_day(),
        limit=deps.settings.daily_nudges,
        at=deps.now(),
    )
    if nudge is None:
        return
    texts = texts_for(lang, deps.settings.language)
    message = views.reframe_message(texts, nudge.author_id, reframe, cue[:CUE_MAX])
    _send(client, deps, nudge, message)


def _appreciate(
    deps: Deps,
    client: WebClient,
    team_id: str,
    channel_id: str,
    thread_ts: str,
    ts: str,
    leader: str,
    result: Detection,
) -> None:
    """A leader who reports their own mistake models the behaviour: a thank-you, at most weekly."""
    week_ago = deps.now() - timedelta(days=7)
    if deps.nudges.count_since(team_id, leader, week_ago, ("appreciation",)):
        return
    nudge = deps.nudges.claim(
        team_id=team_id,
        channel_id=channel_id,
        thread_ts=thread_ts,
        message_ts=ts,
        leader_id=leader,
        author_id=leader,
        purpose="appreciation",
        kind=result.kind,
        at=deps.now(),
    )
    if nudge is None:
        return
    texts = texts_for(result.lang, deps.settings.language)
    _send(client, deps, nudge, views.notice(texts.part("nudge", "appreciation")))
