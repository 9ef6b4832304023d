"""Who may govern a channel: appoint its leaders, change its language and its prompt schedule.

A tool that tells someone about a colleague's mistake must be strict about who that someone
is, so no member can appoint themselves. Allowed: the channel's current leaders (named, or the
workspace default `LEERZONE_LEADERS`), the people in `LEERZONE_ADMINS`, the person who
installed the app, and the workspace's admins and owners (asked from Slack only when needed).
"""

from __future__ import annotations

from collections.abc import Callable


def may_govern(
    user_id: str,
    *,
    leaders: tuple[str, ...],
    admins: tuple[str, ...],
    installer: str | None,
    workspace_admin: Callable[[], bool],
) -> bool:
    if user_id in leaders or user_id in admins or (installer and user_id == installer):
        return True
    return workspace_admin()
