"""Who is in a channel, asked from Slack and remembered briefly.

Leaders get a suggestion only in channels they are in; asking Slack for every message would
cost a rate-limited call each time, so the answer is kept for a few minutes. When Slack says
someone joined or left a channel (member_joined_channel, member_left_channel), that channel's
list is forgotten at once: a leader who leaves stops getting tips about it from the next
message on, not five minutes later.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient

from bot.slack.clients import SLACK_ERRORS, slack_error

log = logging.getLogger(__name__)


class MembersCache:
    def __init__(self, ttl: float = 300.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._cache: dict[tuple[str, str], tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()
        self._changes = 0  # how many times Slack said a channel's members changed

    def remembered(self, team_id: str, channel_id: str) -> frozenset[str] | None:
        """The member list asked less than `ttl` ago, or None: never a call to Slack, so it
        can be asked before an ack."""
        with self._lock:
            cached = self._cache.get((team_id, channel_id))
        if cached and self.clock() - cached[0] < self.ttl:
            return cached[1]
        return None

    def forget(self, team_id: str, channel_id: str) -> None:
        """The channel's members changed: ask Slack again when they matter next."""
        with self._lock:
            self._cache.pop((team_id, channel_id), None)
            self._changes += 1

    def members(self, client: WebClient, team_id: str, channel_id: str) -> frozenset[str]:
        remembered = self.remembered(team_id, channel_id)
        if remembered is not None:
            return remembered
        key, now = (team_id, channel_id), self.clock()
        with self._lock:
            changes = self._changes
        found: set[str] = set()
        cursor = None
        try:
            while True:
                page = client.conversations_members(channel=channel_id, cursor=cursor, limit=1000)
                found.update(page.get("members") or [])
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
        except SLACK_ERRORS as err:
            log.warning("conversations.members for %s failed: %s", channel_id, slack_error(err))
            return frozenset()  # not remembered: the next message asks again
        members = frozenset(found)
        with self._lock:
            # drop expired entries as new ones come in: the cache holds live channels only
            for stale in [k for k, (at, _) in self._cache.items() if now - at >= self.ttl]:
                del self._cache[stale]
            # someone joined or left while Slack was paging: this list may be from before,
            # so it answers this message only and the next one asks again
            if self._changes == changes:
                self._cache[key] = (now, members)
        return members
