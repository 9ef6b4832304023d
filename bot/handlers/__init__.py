"""Listener registration: each module exposes `register(app)` with module-level handlers."""

from __future__ import annotations

from slack_bolt import App

from bot.handlers import (
    actions,
    channel_events,
    fout_command,
    fout_modal,
    home,
    messages,
    nudge_actions,
    privacy_actions,
)


def register(app: App) -> None:
    # Bolt tries listeners in registration order, building each one's arguments to match:
    # channel messages are most of the traffic, so their listener goes first.
    for module in (
        messages,
        fout_command,
        fout_modal,
        actions,
        home,
        nudge_actions,
        channel_events,
        privacy_actions,
    ):
        module.register(app)
