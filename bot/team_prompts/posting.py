"""Posting the scheduled team prompts and inviting leaders to go first.

`post_due_prompts` is the one function that the scheduler, `leerzone post-prompts` and the
tests all call. Exactly-once comes from the database: a slot is claimed (UNIQUE) before it is
posted, so a restart, a second process or a manual run can never post it twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk import WebClient

from bot.deps import Deps
from bot.slack.clients import SLACK_ERRORS, Clients, client_for, send_dm, slack_error
from bot.slack.history import find_own_post, metadata
from bot.team_prompts.rotation import (
    is_working_day,
    next_prompt,
    next_slots,
    previous_working_day,
    slot_key,
    slots_between,
)
from bot.ui import prompt_views

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
PROMPT_EVENT = "leerzone_prompt"  # Slack message metadata type on every team prompt
BACKOFF = (2.0, 8.0)  # seconds between our own retries (slack-sdk already waits out 429s)
GIVE_UP = {
    "not_in_channel",
    "channel_not_found",
    "is_archived",
    "invalid_blocks",
    "not_authed",
    "invalid_auth",
    "account_inactive",
    "restricted_action",
}
LOOKBACK = timedelta(days=14)  # how far back missed slots are recorded as skipped


@dataclass(frozen=True)
class SlotOutcome:
    team_id: str
    channel_id: str
    slot: str
    status: str  # posted | failed | skipped | already
    prompt_id: str | None = None
    error: str | None = None


def _seed(team_id: str, channel_id: str) -> str:
    return f"{team_id}:{channel_id}"


def post_due_prompts(
    deps: Deps,
    client: Clients,
    at: datetime,
    channel_id: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[SlotOutcome]:
    """Post every slot due at `at` (within the grace period); record older misses as skipped."""
    prompts = deps.prompts
    grace = timedelta(hours=deps.settings.prompt_grace_hours)
    outcomes: list[SlotOutcome] = []
    for team_id, channel, schedule, since in prompts.schedules():
        if channel_id and channel != channel_id:
            continue
        start = max(at - LOOKBACK, since)
        for slot in slots_between(schedule, start, at - grace):
            if prompts.record_skipped(team_id, channel, slot_key(slot)):
                log.warning("prompt slot %s in %s missed; recorded as skipped", slot, channel)
                outcomes.append(SlotOutcome(team_id, channel, slot_key(slot), "skipped"))
        workspace = client_for(client, team_id)
        if workspace is None:
            continue
        for slot in slots_between(schedule, max(at - grace, since), at):
            outcomes.append(_post_slot(deps, workspace, team_id, channel, slot, sleep))
    return outcomes


def _post_slot(
    deps: Deps,
    client: WebClient,
    team_id: str,
    channel_id: str,
    slot: datetime,
    sleep: Callable[[float], None],
) -> SlotOutcome:
    key = slot_key(slot)
    prompts = deps.prompts
    texts = deps.texts(team_id, channel_id)
    catalogue = prompt_views.prompt_catalogue(texts)
    seed = _seed(team_id, channel_id)
    claim = prompts.claim_slot(
        team_id, channel_id, key, lambda state: next_prompt(state, catalogue, seed), MAX_ATTEMPTS
    )
    if claim is None:
        return SlotOutcome(team_id, channel_id, key, "already")
    prompt_id = claim.prompt_id
    if claim.abandoned and (
        ts := find_own_post(client, channel_id, PROMPT_EVENT, claim.claimed_at, slot=key)
    ):
        log.warning("prompt slot %s in %s had been posted before a stop", key, channel_id)
        prompts.finish_slot(team_id, channel_id, key, ts=ts, error=None, attempts=0)
        return SlotOutcome(team_id, channel_id, key, "posted", prompt_id)
    if prompt_id not in catalogue:  # removed from the catalogue since it was chosen
        prompt_id = catalogue[0]
    if prompt_views.for_leaders(prompt_id):
        if deps.channels.leaders(team_id, channel_id)[0]:
            return _send_to_leaders(deps, client, team_id, channel_id, key, prompt_id)
        # nobody leads here yet: the team gets the next question for everyone instead
        prompt_id = _next_for_everyone(catalogue, prompt_id)
    # The slot travels with the message as Slack message metadata, so a process that takes
    # over an abandoned slot can tell from the channel's history whether it went out.
    message = {
        **prompt_views.team_prompt_message(texts, prompt_id),
        "metadata": metadata(PROMPT_EVENT, slot=key),
    }
    error = None
    for attempt, wait in enumerate((0.0, *BACKOFF), start=1):
        if wait:
            sleep(wait)
        deps.posts.wait(team_id, channel_id, sleep)
        try:
            response = client.chat_postMessage(channel=channel_id, unfurl_links=False, **message)
        except SLACK_ERRORS as err:
            error = slack_error(err)
            log.warning(
                "posting prompt %s in %s failed (try %d): %s", key, channel_id, attempt, error
            )
            if error in GIVE_UP:
                break
            continue
        prompts.finish_slot(
            team_id, channel_id, key, ts=response.get("ts"), error=None, attempts=attempt
        )
        return SlotOutcome(team_id, channel_id, key, "posted", prompt_id)
    prompts.finish_slot(team_id, channel_id, key, ts=None, error=error, attempts=attempt)
    return SlotOutcome(team_id, channel_id, key, "failed", prompt_id, error)


def _next_for_everyone(catalogue: list[str], prompt_id: str) -> str:
    start = catalogue.index(prompt_id)
    for step in range(1, len(catalogue) + 1):
        candidate = catalogue[(start + step) % len(catalogue)]
        if not prompt_views.for_leaders(candidate):
            return candidate
    return prompt_id


def _send_to_leaders(
    deps: Deps, client: WebClient, team_id: str, channel_id: str, key: str, prompt_id: str
) -> SlotOutcome:
    """An instruction to leaders goes to them, by DM, not to the whole team: once per leader
    per slot (the same UNIQUE claim as the go-first invitation), so a taken-over slot never
    sends a leader a second copy."""
    leaders = deps.channels.leaders(team_id, channel_id)[0]
    message = prompt_views.leader_prompt_message(
        deps.texts(team_id, channel_id), prompt_id, channel_id
    )
    sent = 0
    for leader in leaders:
        if deps.prompts.invite_once(team_id, channel_id, f"{key}/prompt", leader):
            sent += send_dm(client, team_id, leader, message, "leader prompt")
    deps.prompts.finish_slot(
        team_id, channel_id, key, ts=None, error=None, attempts=1, delivered=True
    )
    return SlotOutcome(team_id, channel_id, key, "posted" if leaders else "skipped", prompt_id)


def invite_leaders_first(deps: Deps, clients: Clients, at: datetime) -> int:
    """The working day before a "share your own mistake" prompt, DM the channel's leaders."""
    prompts = deps.prompts
    sent = 0
    for team_id, channel_id, schedule, _since in prompts.schedules():
        upcoming = next_slots(schedule, at, 1)
        if not upcoming:
            continue
        slot = upcoming[0]
        today = at.astimezone(schedule.tz).date()
        if previous_working_day(slot.date()) != today or not is_working_day(today):
            continue
        texts = deps.texts(team_id, channel_id)
        catalogue = prompt_views.prompt_catalogue(texts)
        state = prompts.peek_rotation(team_id, channel_id)
        prompt_id, _ = next_prompt(state, catalogue, _seed(team_id, channel_id))
        if prompt_views.prompt_theme(prompt_id) != "share_own":
            continue  # (a prompt for leaders goes to them anyway)
        tomorrow = slot.astimezone(schedule.tz).date() == today + timedelta(days=1)
        message = prompt_views.leader_first_message(
            texts, channel_id, texts.when(slot), prompt_id, tomorrow
        )
        for leader in deps.channels.leaders(team_id, channel_id)[0]:
            if prompts.invite_once(team_id, channel_id, slot_key(slot), leader):
                sent += send_dm(clients, team_id, leader, message, "leader-first DM")
    return sent
