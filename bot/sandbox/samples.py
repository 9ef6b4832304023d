"""Rows as the stores hand them out, for tests that render a template or a view without a
database: one sample entry and one sample tip, changed per test with keyword arguments."""

from __future__ import annotations

from typing import Any

from bot.failures.store import Failure
from bot.nudges.store import Nudge
from bot.sandbox.personas import ANNA, CHANNEL, SANNE, TEAM

SAMPLE_MOMENT = "2026-11-23T09:00:00+00:00"


def sample_failure(**changes: Any) -> Failure:
    values: dict[str, Any] = {
        "id": 7,
        "team_id": TEAM,
        "user_id": ANNA,
        "channel_id": CHANNEL,
        "text": "ik <!channel> & jij",
        "kind": "preventable",
        "kind_source": "guess",
        "lesson": None,
        "shared": "no",
        "shared_channel_id": None,
        "shared_ts": None,
        "created_at": SAMPLE_MOMENT,
        "updated_at": None,
    }
    return Failure(**{**values, **changes})


def sample_tip(**changes: Any) -> Nudge:
    values: dict[str, Any] = {
        "id": 3,
        "team_id": TEAM,
        "channel_id": CHANNEL,
        "thread_ts": "1.1",
        "message_ts": "1.1",
        "leader_id": SANNE,
        "purpose": "suggestion",
        "kind": "preventable",
        "variant": 0,
        "status": "sent",
        "created_at": SAMPLE_MOMENT,
        "permalink": f"https://t0leerzone.slack.com/archives/{CHANNEL}/p11",
    }
    return Nudge(**{**values, **changes})
