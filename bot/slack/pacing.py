"""Pacing of the app's own posts, so a busy slot stays inside Slack's limits.

chat.postMessage allows about one message per second per channel, plus a workspace-wide
limit Slack does not publish as a number; 429s are waited out by slack-sdk's retry handler,
but not causing them is kinder to the workspace. Five hundred channels due at 09:30 are
therefore posted at a steady WORKSPACE_RATE, after a short burst, never two in one channel
within a second. Each call reserves its moment (GCRA), so threads sharing a pacer queue up
fairly and a test that doesn't really sleep still sees the right waits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

WORKSPACE_RATE = 2.0  # messages per second per workspace, sustained
WORKSPACE_BURST = 10  # messages that may go at once before the rate applies
CHANNEL_GAP = 1.0  # seconds between two posts in one channel


class Pacer:
    def __init__(
        self,
        rate: float = WORKSPACE_RATE,
        burst: int = WORKSPACE_BURST,
        channel_gap: float = CHANNEL_GAP,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = 1.0 / rate
        self.burst = burst
        self.channel_gap = channel_gap
        self.clock = clock
        self._next: dict[str, float] = {}  # workspace -> theoretical arrival time
        self._last: dict[tuple[str, str], float] = {}  # (workspace, channel) -> last post
        self._lock = threading.Lock()

    def reserve(self, workspace: str, channel: str) -> float:
        """Claim the next allowed moment for a post; the seconds to wait until then."""
        with self._lock:
            now = self.clock()
            arrival = max(self._next.get(workspace, now), now)
            earliest = arrival - (self.burst - 1) * self.interval
            last = self._last.get((workspace, channel))
            at = max(now, earliest, last + self.channel_gap if last is not None else now)
            self._next[workspace] = max(arrival, at) + self.interval
            self._last[(workspace, channel)] = at
            if len(self._last) > 1000:  # keep only channels that still constrain someone
                horizon = now - self.channel_gap
                self._last = {k: v for k, v in self._last.items() if v > horizon}
            return at - now

    def wait(
        self, workspace: str, channel: str, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        delay = self.reserve(workspace, channel)
        if delay > 0:
            sleep(delay)
