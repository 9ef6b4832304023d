"""Listener registration: each module exposes `register(app)` with module-level handlers."""

from __future__ import annotations

from slack_bolt import App

from bot.handlers import (
    channel_events,
    failure_buttons,
    failure_forms,
    fout_command,
    home,
    messages,
    privacy_buttons,
    review_buttons,
    shortcuts,
    tip_buttons,
)


def register(app: App) -> None:
    # Bolt tries listeners in registration order, building each one's arguments to match:
    # channel messages are most of the traffic, so their listener goes first.
    for module in (
        messages,
        fout_command,
        failure_forms,
        failure_buttons,
        home,
        tip_buttons,
        channel_events,
        privacy_buttons,
        review_buttons,
        shortcuts,
    ):
        module.register(app)
