"""Who sent a command, click or form: the workspace and the person, as plain strings.

Slack always sends both with commands, actions and view submissions; Bolt types them optional
because some events lack them. Asking here makes that promise explicit: a request without
them is malformed, raises, and gets the failsafe's kind answer instead of a half-done action.
"""

from __future__ import annotations

from slack_bolt import BoltContext

from bot.deps import Deps


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
