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
    for module in (
        fout_command,
        fout_modal,
        actions,
        home,
        messages,
        nudge_actions,
        channel_events,
        privacy_actions,
    ):
        module.register(app)
