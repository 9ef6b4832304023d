"""Which Slack client speaks for a workspace.

With one bot token every workspace (there is one) uses the app's client; in OAuth mode each
workspace has its own bot token in the installation store. Jobs that run outside a Slack
request (prompts, digests, the learning loop) ask here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.config import Settings

ClientFor = Callable[[str], WebClient]
Clients = WebClient | ClientFor

log = logging.getLogger(__name__)

# Slack said no (SlackApiError), or could not be reached: a timeout or a refused connection
# surfaces from urllib as an OSError once slack-sdk's retry handlers have given up.
SLACK_ERRORS = (SlackClientError, OSError)
# A Web API call that hangs longer than this gives up (then retried once by the handler for
# dropped connections): a listener must not hold a worker for slack-sdk's default 30 s.
SLACK_TIMEOUT_S = 10


def make_client(settings: Settings, timeout: float = SLACK_TIMEOUT_S) -> WebClient:
    """A WebClient for settings.api_url that waits out 429s and retries dropped connections."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        # slack-sdk annotates int, but hands the value to urllib, which takes float seconds
        timeout=timeout,  # type: ignore[arg-type]
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=2),
        ],
    )


def slack_error(err: BaseException) -> str:
    """Slack's error code, or what kept us from reaching Slack."""
    if isinstance(err, SlackApiError):
        return str(err.response.get("error"))
    text = str(err).lower()
    return "timeout" if isinstance(err, TimeoutError) or "timed out" in text else "unreachable"


def client_for(clients: Clients, team_id: str) -> WebClient | None:
    """The workspace's client, or None (logged) when it has uninstalled Leerzone."""
    if isinstance(clients, WebClient):
        return clients
    try:
        return clients(team_id)
    except LookupError as err:
        log.warning("skipping workspace %s: %s", team_id, err)
        return None


def open_view(client: WebClient, trigger_id: str, view: dict[str, Any], what: str) -> str | None:
    """Open a window for whoever clicked or typed. Slack's error (logged) when it would not —
    a trigger expires after 3 s — so the caller can tell the person, or leave things as they
    are; None when it opened."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SLACK_ERRORS as err:
        log.warning("views.open for %s failed: %s", what, slack_error(err))
        return slack_error(err)
    return None


def send_dm(
    clients: Clients, team_id: str, user_id: str, message: dict[str, Any], what: str
) -> bool:
    """A direct message from a job; a failure is logged and the job goes on with the next."""
    workspace = client_for(clients, team_id)
    if workspace is None:
        return False
    try:
        workspace.chat_postMessage(channel=user_id, **message)
    except SLACK_ERRORS as err:
        log.warning("%s to %s failed: %s", what, user_id, slack_error(err))
        return False
    return True
