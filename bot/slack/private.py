"""Answering one person privately, wherever the request came from."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.slack.clients import SLACK_ERRORS, slack_error

log = logging.getLogger(__name__)


def tell_privately(
    client: WebClient,
    response_url: str | None,
    channel_id: str | None,
    user_id: str | None,
    message: dict[str, Any],
    replace_original: bool = False,
) -> None:
    """Reach the user privately: response_url first, else an ephemeral, else a DM (the last
    two only when we know who the user is)."""
    if response_url:
        result = Respond(response_url=response_url)(
            response_type="ephemeral", replace_original=replace_original, **message
        )
        if result.status_code == 200:
            return
        log.warning("response_url answered %s; falling back", result.status_code)
    if user_id is None:
        return
    if channel_id:
        try:
            client.chat_postEphemeral(channel=channel_id, user=user_id, **message)
            return
        except SLACK_ERRORS as err:
            log.warning("chat.postEphemeral failed: %s", slack_error(err))
    client.chat_postMessage(channel=user_id, **message)
