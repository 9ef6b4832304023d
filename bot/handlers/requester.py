"""Who sent a command, click or form: the workspace and the person, as plain strings.

Slack always sends both with commands, actions and view submissions; Bolt types them optional
because some events lack them. Asking here makes that promise explicit: a request without
them is malformed, raises, and gets the failsafe's kind answer instead of a half-done action.
"""

from __future__ import annotations

import logging

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.governance import may_govern
from bot.slack.clients import SLACK_ERRORS, slack_error

log = logging.getLogger(__name__)


class MalformedRequest(LookupError):
    """A request that lacks what Slack always sends with it."""


def team_of(context: BoltContext) -> str:
    if not context.team_id:
        raise MalformedRequest("no workspace (team_id) in this request")
    return context.team_id


def user_of(context: BoltContext) -> str:
    if not context.user_id:
        raise MalformedRequest("no user (user_id) in this request")
    return context.user_id


def deps_of(context: BoltContext) -> Deps:
    deps: Deps = context["deps"]
    return deps


def allowed_to_govern(context: BoltContext, channel_id: str) -> bool:
    """Whether the person asking may change this channel's leaders, language or schedule."""
    deps = deps_of(context)
    user_id, team_id = user_of(context), team_of(context)
    leaders, _ = deps.channels.leaders(team_id, channel_id)
    authorized = context.authorize_result
    installer = authorized.user_id if deps.settings.oauth and authorized else None
    return may_govern(
        user_id,
        leaders=leaders,
        admins=deps.settings.admins,
        installer=installer,
        workspace_admin=lambda: is_workspace_admin(context.client, user_id),
    )


def is_workspace_admin(client: WebClient, user_id: str) -> bool:
    """users.info says admin or owner; if Slack can't say, the answer is no."""
    try:
        user = client.users_info(user=user_id).get("user") or {}
    except SLACK_ERRORS as err:
        log.warning("users.info for %s failed: %s", user_id, slack_error(err))
        return False
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
