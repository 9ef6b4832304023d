"""The bot joining a channel (default schedule, a hello), people joining and leaving one (the
channel's member list is asked again), and the bot leaving a workspace.

The introduction tells everyone in the channel what the bot does there (and does not): that
is the transparency that makes an invitation an informed opt-in. Not again on a re-invite
within 30 days. When a workspace uninstalls the app or revokes its tokens, Slack says so with
`app_uninstalled` / `tokens_revoked`: with OAuth, Bolt's own listeners delete that
workspace's tokens; with one fixed token there is nothing to delete, so the operator is told
in the log that the token no longer works.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.slack.clients import SLACK_ERRORS, slack_error
from bot.team_prompts.schedule_change import default_schedule
from bot.ui import blocks

log = logging.getLogger(__name__)

INTRODUCTION_QUIET = timedelta(days=30)


def register(app: App) -> None:
    app.event("member_joined_channel")(on_member_joined)
    app.event("member_left_channel")(on_member_left)


def register_uninstall_notice(app: App) -> None:
    """One fixed token (no installation store): log an uninstall or a revocation."""
    app.event("app_uninstalled")(workspace_left)
    app.event("tokens_revoked")(workspace_left)


def workspace_left(event: dict, context: BoltContext) -> None:
    log.warning(
        "Slack says %s for workspace %s: the bot token no longer works there; "
        "data stays until the retention period ends or someone runs forget-me",
        event.get("type"),
        context.team_id,
    )


def on_member_joined(event: dict, client: WebClient, context: BoltContext) -> None:
    deps: Deps = context["deps"]
    team_id = context.team_id or event.get("team") or ""
    channel_id = event["channel"]
    deps.members.forget(team_id, channel_id)  # who gets a channel's tips follows who is in it
    if event.get("user") != context.bot_user_id:
        return  # someone else joining: nothing more to do
    if deps.prompts.ensure_schedule(team_id, channel_id, default_schedule(deps)):
        deps.on_schedule_change(team_id, channel_id)
    introduce(deps, client, team_id, channel_id)


def on_member_left(event: dict, context: BoltContext) -> None:
    """Someone left a channel: a leader who is no longer in it gets no more tips about it."""
    deps: Deps = context["deps"]
    deps.members.forget(context.team_id or event.get("team") or "", event["channel"])


def introduce(deps: Deps, client: WebClient, team_id: str, channel_id: str) -> bool:
    """Post the introduction in the channel's language, once per 30 days."""
    before = deps.channels.claim_introduction(team_id, channel_id, deps.now(), INTRODUCTION_QUIET)
    if before is None:
        return False
    texts = deps.texts(team_id, channel_id)
    message = blocks.notice(texts.part("welcome", "channel_intro", channel_id=channel_id))
    message["text"] = texts.part("welcome", "channel_intro_text")
    try:
        client.chat_postMessage(channel=channel_id, unfurl_links=False, **message)
    except SLACK_ERRORS as err:
        log.warning("introduction in %s not posted: %s", channel_id, slack_error(err))
        deps.channels.give_back_introduction(team_id, channel_id, before)
        return False
    return True
