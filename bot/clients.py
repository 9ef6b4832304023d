"""Which Slack client speaks for a workspace.

With one bot token every workspace (there is one) uses the app's client; in OAuth mode each
workspace has its own bot token in the installation store. Jobs that run outside a Slack
request (prompts, digests, the learning loop) ask here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient

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
