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
from slack_sdk.errors import SlackApiError

ClientFor = Callable[[str], WebClient]
Clients = WebClient | ClientFor

log = logging.getLogger(__name__)


def client_for(clients: Clients, team_id: str) -> WebClient | None:
    """The workspace's client, or None (logged) when it has uninstalled Leerzone."""
    if isinstance(clients, WebClient):
        return clients
    try:
        return clients(team_id)
    except LookupError as err:
        log.warning("skipping workspace %s: %s", team_id, err)
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
    except SlackApiError as err:
        log.warning("%s to %s failed: %s", what, user_id, err.response.get("error"))
        return False
    return True
