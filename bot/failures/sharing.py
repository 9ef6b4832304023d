"""Posting a learning card in the channel, exactly once.

Shared by the share buttons and the form's share choice. The claim in the database comes
before the post, so a double click cannot post twice; a failed post gives the claim back.
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


@dataclass(frozen=True)
class ShareResult:
    """problem: None (posted), 'already', 'not_a_channel', 'no_channel' (bot not invited)
    or 'failed' (then error is Slack's)."""

    failure: Failure | None
    problem: str | None = None
    error: str | None = None

    @property
    def needs_explaining(self) -> bool:
        return self.problem in ("not_a_channel", "no_channel", "failed")


def share_failure(
    deps: Deps, client: WebClient, team_id: str, user_id: str, failure_id: int, how: str
) -> ShareResult:
    claimed = deps.failures.claim_share(team_id, user_id, failure_id, how)
    if claimed is None:
        return ShareResult(deps.failures.get(team_id, failure_id), "already")
    channel_id = claimed.channel_id
    if not failure_views.can_share_in(channel_id):
        return ShareResult(deps.failures.record_share(team_id, failure_id, None), "not_a_channel")
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
    text = texts.part("share", problem, failure=result.failure, error=result.error or "")
    return blocks.notice(text)
