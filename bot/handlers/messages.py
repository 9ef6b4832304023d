"""Channel messages: private thank-you-first suggestions to leaders, and blame reframes.

The handler stays quiet unless the detector finds a self-reported mistake (or, from a leader
in a thread, blame). It stores no text, only ids, kind and score, and it never posts anything
public: every tip is an ephemeral message that only one leader can see.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.detection.detect import detect, detect_blame
from bot.nudges.store import CAPPED_PURPOSES, Nudge
from bot.slack import scanner
from bot.slack.clients import SLACK_ERRORS, Clients, client_for, slack_error
from bot.team_prompts.store import PromptStore
from bot.ui import views
from bot.ui.texts import texts_for

log = logging.getLogger(__name__)

SCANNED_SUBTYPES = {None, "thread_broadcast", "file_share"}
CUE_MAX = 80


def register(app: App) -> None:
    # Not a Bolt listener: message events are acked in a middleware and scanned on one
    # thread (see bot/scanner.py); only those that need us reach on_message.
    scanner.attach(app, needs_us, act_on)


def needs_us(body: dict[str, Any], context: BoltContext) -> bool:
    event = body["event"]
    team_id = context.team_id or body.get("team_id") or ""
    return is_scannable(event, context.bot_user_id) and worth_acting_on(
        context["deps"], team_id, event
    )


def act_on(body: dict[str, Any], context: BoltContext) -> None:
    on_message(body, body["event"], context.client, context)


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


def worth_acting_on(deps: Deps, team_id: str, event: dict[str, Any]) -> bool:
    """Cheap reads and the pure detector: does this message need any write or tip at all?"""
    channel_id, text = event["channel"], event["text"]
    thread_ts = event.get("thread_ts")
    hint = deps.language(team_id, channel_id)
    if thread_ts and thread_ts != event["ts"]:
        if PromptStore(deps.store).is_prompt_thread(team_id, channel_id, thread_ts):
            return True
        is_leader = event["user"] in deps.leaders(team_id, channel_id)[0]
        if is_leader and detect_blame(text, hint).is_blame:
            return True
    return detect(text, hint).is_mistake


@dataclass(frozen=True)
class Message:
    """Where a scanned message sits: enough to answer in its thread, nothing of its text."""

    team_id: str
    channel_id: str
    ts: str
    thread_ts: str
    author: str
    parent_author: str


def handle_message(deps: Deps, client: WebClient, team_id: str, event: dict[str, Any]) -> None:
    ts = event["ts"]
    msg = Message(
        team_id,
        event["channel"],
        ts,
        event.get("thread_ts") or ts,
        event["user"],
        event.get("parent_user_id") or "",
    )
    text = event["text"]
    in_thread = msg.thread_ts != msg.ts
    if in_thread:
        PromptStore(deps.store).count_reply(team_id, msg.channel_id, msg.thread_ts)  # no text
    leaders, _ = deps.leaders(team_id, msg.channel_id)
    hint = deps.language(team_id, msg.channel_id)
    if in_thread and msg.author in leaders:
        blame = detect_blame(text, hint)
        if blame.is_blame and blame.reframe and blame.cue:
            texts = texts_for(blame.lang, deps.settings.language)
            reply = views.reframe_message(
                texts, msg.parent_author, blame.reframe, blame.cue[:CUE_MAX]
            )
            _tip(deps, client, msg, msg.author, "reframe", blame.reframe, lambda _id: reply)
            return
    result = detect(text, hint)
    if not result.is_mistake or not result.kind:
        return
    if deps.nudges.is_false_positive(team_id, msg.channel_id, ts):
        return
    deps.nudges.record_scan(
        team_id=team_id,
        channel_id=msg.channel_id,
        ts=ts,
        thread_ts=msg.thread_ts,
        user_id=msg.author,
        kind=result.kind,
        score=result.score,
        cue_category=result.cue_category,
    )
    texts = texts_for(result.lang, deps.settings.language)
    if msg.author in leaders:
        # A leader sharing their own mistake models it: nobody is nudged, they are thanked.
        week_ago = deps.now() - timedelta(days=7)
        if not deps.nudges.count_since(team_id, msg.author, week_ago, ("appreciation",)):
            thanks = views.notice(texts.part("nudge", "appreciation"))
            _tip(deps, client, msg, msg.author, "appreciation", result.kind, lambda _id: thanks)
        return
    if not leaders or deps.settings.daily_nudges == 0:
        return
    cue = (result.cue or "")[:CUE_MAX]
    members = deps.members.members(client, team_id, msg.channel_id)
    for leader in leaders:
        if leader == msg.author or leader not in members:
            continue
        if deps.nudges.is_muted(team_id, msg.channel_id, leader, deps.now()):
            continue
        _tip(
            deps,
            client,
            msg,
            leader,
            "suggestion",
            result.kind,
            lambda nudge_id: views.nudge_message(
                texts, nudge_id, msg.author, result.kind or "preventable", 0, cue
            ),
        )


def _tip(
    deps: Deps,
    client: WebClient,
    msg: Message,
    leader: str,
    purpose: str,
    kind: str | None,
    render: Callable[[int], dict[str, Any]],
) -> None:
    """Claim the tip (one per leader, thread and purpose; capped per day), then send it."""
    capped = purpose in CAPPED_PURPOSES
    nudge = deps.nudges.claim(
        team_id=msg.team_id,
        channel_id=msg.channel_id,
        thread_ts=msg.thread_ts,
        message_ts=msg.ts,
        leader_id=leader,
        author_id=msg.parent_author if purpose == "reframe" else msg.author,
        purpose=purpose,
        kind=kind,
        since=deps.start_of_day() if capped else None,
        limit=deps.settings.daily_nudges if capped else None,
        at=deps.now(),
    )
    if nudge is None:
        return
    send_tip(deps, client, nudge, render(nudge.id))


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
    day_ago = deps.now() - timedelta(days=1)
    for nudge in deps.nudges.pending():
        workspace = client_for(clients, nudge.team_id)
        if workspace is None or datetime.fromisoformat(nudge.created_at) < day_ago:
            deps.nudges.set_status(nudge, "failed")
            continue
        texts = deps.texts(nudge.team_id, nudge.channel_id)
        if nudge.purpose == "reframe":
            message = views.reframe_message(texts, nudge.author_id, nudge.kind or "why", "")
        elif nudge.purpose == "appreciation":
            message = views.notice(texts.part("nudge", "appreciation"))
        else:
            kind = nudge.kind or "preventable"
            message = views.nudge_message(texts, nudge.id, nudge.author_id, kind, nudge.variant, "")
        sent += send_tip(deps, workspace, nudge, message)
    return sent
