"""Posting a learning card in the channel, exactly once, and taking it down again.

Shared by the share buttons and the form's share choice. The claim in the database comes
before the post, so a double click cannot post twice; a failed post gives the claim back.
An anonymous card needs a channel of at least ANONYMOUS_FLOOR people: in a smaller one the
author could be guessed. When an entry is wiped (`/fout wis`, forget-me) its card leaves the
channel too: the bot may delete its own messages.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.deps import Deps
from bot.failures.store import Failure
from bot.slack.clients import SLACK_ERRORS, slack_error
from bot.ui import blocks, failure_views
from bot.ui.texts import Texts

log = logging.getLogger(__name__)

NO_CHANNEL_ERRORS = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}
ANONYMOUS_FLOOR = 5  # people in a channel (besides the bot) before an anonymous card may go
GONE_ALREADY = {"message_not_found", "channel_not_found"}  # nothing left to take down


@dataclass(frozen=True)
class ShareResult:
    """problem: None (posted), 'already', 'not_a_channel', 'no_channel' (bot not invited),
    'too_small' (anonymous in a channel under the floor) or 'failed' (then error is Slack's)."""

    failure: Failure | None
    problem: str | None = None
    error: str | None = None

    @property
    def needs_explaining(self) -> bool:
        return self.problem in ("not_a_channel", "no_channel", "too_small", "failed")


def share_failure(
    deps: Deps,
    client: WebClient,
    team_id: str,
    user_id: str,
    failure_id: int,
    how: str,
    bot_user_id: str | None = None,
) -> ShareResult:
    claimed = deps.failures.claim_share(team_id, user_id, failure_id, how)
    if claimed is None:
        return ShareResult(deps.failures.get(team_id, failure_id), "already")
    channel_id = claimed.channel_id
    if not failure_views.can_share_in(channel_id):
        return ShareResult(deps.failures.record_share(team_id, failure_id, None), "not_a_channel")
    if how == "anonymous" and _too_small(deps, client, team_id, channel_id, bot_user_id):
        return ShareResult(deps.failures.record_share(team_id, failure_id, None), "too_small")
    texts = deps.texts(team_id, channel_id)
    card = failure_views.learning_card(texts, claimed, user_id, anonymous=how == "anonymous")
    try:
        response = client.chat_postMessage(channel=channel_id, unfurl_links=False, **card)
    except SLACK_ERRORS as err:
        error = slack_error(err)
        log.warning("sharing #%s in %s failed: %s", failure_id, channel_id, error)
        failure = deps.failures.record_share(team_id, failure_id, None)
        problem = "no_channel" if error in NO_CHANNEL_ERRORS else "failed"
        return ShareResult(failure, problem, error)
    return ShareResult(
        deps.failures.record_share(team_id, failure_id, response.get("ts"), channel_id)
    )


def explain_share_problem(texts: Texts, result: ShareResult) -> dict[str, Any]:
    problem = result.problem or "failed"
    text = texts.part(
        "share", problem, failure=result.failure, error=result.error or "", floor=ANONYMOUS_FLOOR
    )
    return blocks.notice(text)


def _too_small(
    deps: Deps, client: WebClient, team_id: str, channel_id: str, bot_user_id: str | None
) -> bool:
    """Whether an anonymous author could be guessed: fewer than the floor of people (the bot
    itself not counted). A channel whose members Slack would not tell counts as too small."""
    members = deps.members.members(client, team_id, channel_id)
    people = members - {bot_user_id}
    return len(people) < ANONYMOUS_FLOOR


def take_down_cards(client: WebClient, cards: list[tuple[str, str]]) -> tuple[int, int]:
    """Delete the bot's cards (channel, ts) from their channels: (taken down, left standing).
    A card someone already deleted counts as taken down; a refusal is logged and counted."""
    removed = left = 0
    for channel_id, ts in cards:
        try:
            client.chat_delete(channel=channel_id, ts=ts)
            removed += 1
        except SLACK_ERRORS as err:
            if slack_error(err) in GONE_ALREADY:
                removed += 1
                continue
            log.warning("taking down a card in %s failed: %s", channel_id, slack_error(err))
            left += 1
    return removed, left
