"""Channel messages: scanned once in the request before the ack, acted on in the worker pool.

Not a Bolt listener: message events are acked in a middleware (see bot/slack/scanner.py),
after the scan. A message that needs us is recorded before the ack, so a retry of the same
event never produces a second tip and nothing Slack was told we have is only in memory:
- mostly all of it, in one transaction (`delivery.record_now`): the event claimed as done,
  the scan, the tips' claims; only a tip Slack has to carry goes on to the pool, and one a
  stop leaves unsent is *pending*, which the next start sends;
- when the tips depend on who is in the channel and Slack has not told us lately, the event
  is claimed with the verdict as its work item (ids and numbers, no words): Slack is not
  asked before an ack, so the pool asks and does the rest (`act`), and a process killed in
  between leaves work that the next start finishes (`finish_unfinished_work`).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.detection import encoder
from bot.nudges.delivery import Outgoing, act_on_verdict, known_members, record_now, send
from bot.nudges.policy import Verdict, verdict_from_record, verdict_record
from bot.nudges.scan import is_scannable, scan_message
from bot.slack import scanner
from bot.slack.clients import Clients, client_for
from bot.storage.database import is_busy

# How long the scan before the ack may wait for another process's write lock on the database
# (a backup, a `leerzone post-prompts` run): Slack wants its ack within 3 s. Past this, the
# message is acked and scanned again off the request, waiting as long as it takes.
REQUEST_DB_WAIT_MS = 1500

# What the scan hands to the pool: tips to send, or a verdict still to act on.
Work = Outgoing | Verdict


def register(app: App) -> scanner.MessageScanner[Work]:
    """Scan the app's message events (the scanner is returned with its type named: mypy
    cannot infer what the pool gets from the union)."""
    return scanner.attach(app, scan, act, rescan=scan_patiently)


def _team_id(body: dict[str, Any], context: BoltContext) -> str:
    return context.team_id or body.get("team_id") or ""


def scan(body: dict[str, Any], context: BoltContext) -> Work | None:
    """The scan in the request: it may not wait long for the database."""
    try:
        return _scan(body, context, REQUEST_DB_WAIT_MS)
    except sqlite3.OperationalError as err:
        if is_busy(err):
            raise scanner.Busy from err
        raise


def scan_patiently(body: dict[str, Any], context: BoltContext) -> Work | None:
    """The same scan off the request, after the database was too busy for it there."""
    return _scan(body, context, None)


def _scan(body: dict[str, Any], context: BoltContext, wait_ms: int | None) -> Work | None:
    event = body["event"]
    if not is_scannable(event, context.bot_user_id):
        return None
    deps: Deps = context["deps"]
    verdict = scan_message(deps, _team_id(body, context), event)
    if verdict is not None and verdict.mistake is not None:
        encoder.warm_up()  # blame is read in a report's thread: have the encoder ready by then
    event_id = body.get("event_id")
    if verdict is None or not event_id:
        return verdict
    members = known_members(deps, verdict)
    if members is not None:
        return record_now(deps, verdict, members, event_id, wait_ms)
    work = verdict_record(verdict)
    if not deps.nudges.claim_event(event_id, verdict.team_id, deps.now(), work, wait_ms):
        return None  # Slack's retry of an event we already have
    return verdict


def act(body: dict[str, Any], context: BoltContext, work: Work) -> None:
    """The pool's part: send the tips recorded before the ack, or do the whole verdict."""
    deps: Deps = context["deps"]
    if isinstance(work, Outgoing):
        # the event is done already: a failure here leaves its tip pending, and the next
        # start sends it (no event to release for a retry)
        send(deps, context.client, work)
        return
    verdict = work
    event_id = body.get("event_id")
    try:
        act_on_verdict(deps, context.client, verdict, event_id)  # finishes the event
    except Exception:
        if event_id:
            deps.nudges.release_event(event_id)  # so Slack's retry gets another chance
        raise


def finish_unfinished_work(deps: Deps, clients: Clients) -> int:
    """At start-up: act on the messages a stopped process had claimed but not finished (their
    tips go without the quoted words, which were never stored). Returns how many."""
    done = 0
    for event_id, work in deps.nudges.unfinished_work():
        verdict = verdict_from_record(work)
        client = client_for(clients, verdict.team_id)
        if client is None:
            deps.nudges.finish_event(event_id)
            continue
        act_on_verdict(deps, client, verdict, event_id)  # finishes the event
        done += 1
    return done


def handle_message(deps: Deps, client: WebClient, team_id: str, event: dict[str, Any]) -> None:
    """Scan and act in one go, outside Bolt (start-up recovery tests, scripts)."""
    if is_scannable(event, None) and (verdict := scan_message(deps, team_id, event)):
        act_on_verdict(deps, client, verdict)
