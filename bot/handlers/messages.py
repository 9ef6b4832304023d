"""Channel messages: scanned once on the scanner thread, acted on in the worker pool.

Not a Bolt listener: message events are acked in a middleware (see bot/slack/scanner.py).
The scan gives a verdict; only a message that needs us reaches `act`, which claims the Slack
event first, so a retry of the same event never produces a second tip.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.nudges.delivery import act_on_verdict
from bot.nudges.policy import Verdict
from bot.nudges.scan import is_scannable, scan_message
from bot.slack import scanner


def register(app: App) -> None:
    scanner.attach(app, scan, act)


def _team_id(body: dict[str, Any], context: BoltContext) -> str:
    return context.team_id or body.get("team_id") or ""


def scan(body: dict[str, Any], context: BoltContext) -> Verdict | None:
    event = body["event"]
    if not is_scannable(event, context.bot_user_id):
        return None
    return scan_message(context["deps"], _team_id(body, context), event)


def act(body: dict[str, Any], context: BoltContext, verdict: Verdict) -> None:
    deps: Deps = context["deps"]
    event_id = body.get("event_id")
    if event_id and not deps.nudges.claim_event(event_id, verdict.team_id, deps.now()):
        return  # Slack's retry of an event we already handled
    try:
        act_on_verdict(deps, context.client, verdict)
    except Exception:
        if event_id:
            deps.nudges.release_event(event_id)  # so Slack's retry gets another chance
        raise
    if event_id:
        deps.nudges.finish_event(event_id)


def handle_message(deps: Deps, client: WebClient, team_id: str, event: dict[str, Any]) -> None:
    """Scan and act in one go, outside Bolt (start-up recovery tests, scripts)."""
    if is_scannable(event, None) and (verdict := scan_message(deps, team_id, event)):
        act_on_verdict(deps, client, verdict)
