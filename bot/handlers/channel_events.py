"""The bot joining a channel: the channel gets the default prompt schedule."""

from __future__ import annotations

from slack_bolt import App, BoltContext

from bot.deps import Deps
from bot.team_prompts.schedule_change import default_schedule


def register(app: App) -> None:
    app.event("member_joined_channel")(on_member_joined)


def on_member_joined(event: dict, context: BoltContext) -> None:
    if event.get("user") != context.bot_user_id:
        return  # someone else joining is none of our business
    deps: Deps = context["deps"]
    team_id = context.team_id or event.get("team") or ""
    channel_id = event["channel"]
    if deps.prompts.ensure_schedule(team_id, channel_id, default_schedule(deps)):
        deps.on_schedule_change(team_id, channel_id)
