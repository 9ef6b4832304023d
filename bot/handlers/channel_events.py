"""The bot joining a channel: it gets the default prompt schedule, and the bot says hello.

The introduction tells everyone in the channel what the bot does there (and does not): that
is the transparency that makes an invitation an informed opt-in. Not again on a re-invite
within 30 days.
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


def on_member_joined(event: dict, client: WebClient, context: BoltContext) -> None:
    if event.get("user") != context.bot_user_id:
        return  # someone else joining is none of our business
    deps: Deps = context["deps"]
    team_id = context.team_id or event.get("team") or ""
    channel_id = event["channel"]
    if deps.prompts.ensure_schedule(team_id, channel_id, default_schedule(deps)):
        deps.on_schedule_change(team_id, channel_id)
    introduce(deps, client, team_id, channel_id)


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
