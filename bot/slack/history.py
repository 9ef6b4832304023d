"""Finding messages again: our own earlier post (by the message metadata we put on it), and
the link to any message.

After a stop between "Slack took the message" and "we wrote that down", the only proof that
a post went out is the conversation itself. Every post that must go out exactly once (team
prompts, tips by DM) carries Slack message metadata naming what it is; a process taking over
looks for it before posting again.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_sdk import WebClient

from bot.slack.clients import SLACK_ERRORS, slack_error

log = logging.getLogger(__name__)


def metadata(event_type: str, **payload: Any) -> dict[str, Any]:
    """Slack message metadata for a post we may need to find again."""
    return {"event_type": event_type, "event_payload": payload}


def find_own_post(
    client: WebClient, channel_id: str, event_type: str, since: str, **payload: Any
) -> str | None:
    """The ts of our post of `event_type` whose payload has these values, posted since `since`
    (ISO moment) in the conversation; None if not there.

    Unknown (history unreadable) counts as not posted: better a rare double than a loss.
    """
    oldest = datetime.fromisoformat(since).timestamp() - 60
    try:
        history = client.conversations_history(
            channel=channel_id, oldest=f"{oldest:.6f}", include_all_metadata=True, limit=200
        )
    except SLACK_ERRORS as err:
        log.warning("history of %s unreadable (%s); posting again", channel_id, slack_error(err))
        return None
    for message in history.get("messages") or []:
        found = message.get("metadata") or {}
        values = found.get("event_payload") or {}
        if found.get("event_type") == event_type and all(
            values.get(key) == value for key, value in payload.items()
        ):
            return message.get("ts")
    return None


def permalink(client: WebClient, channel_id: str, ts: str) -> str | None:
    """The link to a message (chat.getPermalink): an address, never the message's words.
    None when Slack can't give one; a tip or window then goes without the link."""
    try:
        found = client.chat_getPermalink(channel=channel_id, message_ts=ts).get("permalink")
    except SLACK_ERRORS as err:
        log.warning("chat.getPermalink failed: %s", slack_error(err))
        return None
    return found if isinstance(found, str) else None
