"""Who gets which tip about one message: the rules, as a pure function (no Slack, no storage).

The scan hands over a `Verdict` (what the message is, where it sits, who leads there); the
policy answers with the tips to send. The rules:
- a leader answering with blame in a thread gets a private reframe, nothing else happens;
- a leader reporting their own mistake is modelling it: nobody is nudged, the leader gets a
  thank-you (at most one a week);
- anyone else's report: each leader of the channel who is a member of it, is not the author
  and has not said "niet nu" there gets a suggestion, unless suggestions are off (cap 0).
The once-per-thread rule and the daily cap are claimed in the database when a tip is sent.

How a tip reaches its leader is the leader's choice (`choose_route`): a DM (default), an
ephemeral in the channel (only seen when they are active: else a DM), or only the Home tab.
Outside working hours nothing is pushed: the tip waits for one short morning DM. Over the
daily cap it waits in Home: the cap limits messages, not moments.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, time
from typing import Any, Literal

from bot.detection.blame import Blame
from bot.detection.detect import Detection
from bot.team_prompts.rotation import is_working_day

Purpose = Literal["suggestion", "reframe", "appreciation"]
Route = Literal["dm", "channel", "home", "held"]
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
    review_thread: bool = False  # a reply in an open "samen terugkijken" (counted, not read)
    mistake: Detection | None = None  # the author reports a mistake of their own
    blame: Blame | None = None  # a leader answers in a thread with blame

    @property
    def in_thread(self) -> bool:
        return self.thread_ts != self.ts

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


def verdict_record(verdict: Verdict) -> dict[str, Any]:
    """The verdict as plain data for a work item: everything but the words (the cues)."""
    # built by hand: dataclasses.asdict deep-copies every field, and this runs for every
    # report before its ack
    record: dict[str, Any] = {f.name: getattr(verdict, f.name) for f in fields(verdict)}
    record["leaders"] = list(verdict.leaders)
    for found in ("mistake", "blame"):
        value = record[found]
        if value is not None:
            record[found] = {**{f.name: getattr(value, f.name) for f in fields(value)}, "cue": None}
    return record


def verdict_from_record(record: dict[str, Any]) -> Verdict:
    """A stored work item's verdict again (without cues: a tip made from it quotes nothing)."""
    mistake, blame = record.get("mistake"), record.get("blame")
    return Verdict(
        **{k: v for k, v in record.items() if k not in ("mistake", "blame", "leaders")},
        leaders=tuple(record.get("leaders") or ()),
        mistake=Detection(**mistake) if mistake else None,
        blame=Blame(**blame) if blame else None,
    )


def wants_suggestions(verdict: Verdict, limits: Limits) -> bool:
    """Whether suggestions may follow, so the caller asks Slack who is in the channel."""
    return (
        verdict.blame is None
        and verdict.mistake is not None
        and bool(verdict.leaders)
        and not verdict.by_leader
        and limits.daily > 0
    )


def is_working_time(moment: datetime, hours: tuple[time, time]) -> bool:
    """A weekday that is no Dutch public holiday, between the start and end of the working day
    (`moment` in the team's time zone)."""
    start, end = hours
    return is_working_day(moment.date()) and start <= moment.time() < end


def choose_route(preference: str, *, working_time: bool, over_cap: bool) -> Route:
    """Where a claimed tip goes: the leader's choice, unless it must wait."""
    if preference == "home" or over_cap:
        return "home"
    if not working_time:
        return "held"
    return "channel" if preference == "channel" else "dm"
