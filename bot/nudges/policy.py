"""Who gets which tip about one message: the rules, as a pure function (no Slack, no storage).

The scan hands over a `Verdict` (what the message is, where it sits, who leads there); the
policy answers with the tips to send. The rules:
- a leader answering with blame in a thread gets a private reframe, nothing else happens;
- a leader reporting their own mistake is modelling it: nobody is nudged, the leader gets a
  thank-you (at most one a week);
- anyone else's report: each leader of the channel who is a member of it, is not the author
  and has not said "niet nu" there gets a suggestion, unless suggestions are off (cap 0).
The once-per-thread rule and the daily cap are claimed in the database when a tip is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.detection.detect import Blame, Detection

Purpose = Literal["suggestion", "reframe", "appreciation"]
# The daily cap counts these; a thank-you to a leader who shares their own mistake is free.
CAPPED_PURPOSES: tuple[Purpose, ...] = ("suggestion", "reframe")


@dataclass(frozen=True)
class Verdict:
    """What the scan found in one message, and where it sits; nothing of its text but the cue."""

    team_id: str
    channel_id: str
    ts: str
    thread_ts: str  # the message's own ts when it is not a reply
    author: str
    parent_author: str  # author of the thread's first message ("" when unknown)
    leaders: tuple[str, ...]
    prompt_thread: bool = False  # a reply under one of our team prompts (counted, not read)
    mistake: Detection | None = None  # the author reports a mistake of their own
    blame: Blame | None = None  # a leader answers in a thread with blame

    @property
    def in_thread(self) -> bool:
        return self.thread_ts != self.ts

    @property
    def needs_action(self) -> bool:
        return self.prompt_thread or self.mistake is not None or self.blame is not None

    @property
    def by_leader(self) -> bool:
        return self.author in self.leaders


@dataclass(frozen=True)
class Tip:
    leader: str  # who sees it
    purpose: Purpose
    kind: str | None  # the failure kind, or for a reframe the kind of blame
    about: str  # the person the tip is about: the reporter

    @property
    def capped(self) -> bool:
        return self.purpose in CAPPED_PURPOSES


@dataclass(frozen=True)
class Limits:
    daily: int  # suggestions and reframes per leader per day; 0 turns them off
    thanked_this_week: bool = False  # the author, a leader, had a thank-you in the last 7 days


def plan_tips(
    verdict: Verdict, members: frozenset[str], muted: frozenset[str], limits: Limits
) -> list[Tip]:
    """The tips this message calls for. `members` matters only for suggestions."""
    if verdict.blame is not None:
        if not verdict.by_leader or not verdict.in_thread:
            return []
        return [Tip(verdict.author, "reframe", verdict.blame.reframe, verdict.parent_author)]
    mistake = verdict.mistake
    if mistake is None or mistake.kind is None:
        return []
    if verdict.by_leader:
        if limits.thanked_this_week:
            return []
        return [Tip(verdict.author, "appreciation", mistake.kind, verdict.author)]
    if limits.daily == 0:
        return []
    return [
        Tip(leader, "suggestion", mistake.kind, verdict.author)
        for leader in verdict.leaders
        if leader != verdict.author and leader in members and leader not in muted
    ]


def wants_suggestions(verdict: Verdict, limits: Limits) -> bool:
    """Whether suggestions may follow, so the caller asks Slack who is in the channel."""
    return (
        verdict.blame is None
        and verdict.mistake is not None
        and bool(verdict.leaders)
        and not verdict.by_leader
        and limits.daily > 0
    )
