"""Prompt schedules, slot arithmetic and rotation (pure: no Slack, no database, no clock).

A *slot* is a channel's scheduled local date and time. Slots fall on the schedule's weekday,
every week or every other week; a slot that lands on a weekend or a Dutch public holiday moves
to the next working day at the same local time. Times are built in the team's zone with
zoneinfo, so 09:30 stays 09:30 on both sides of a daylight-saving change.

Rotation: each channel walks the whole catalogue in its own shuffled order before anything
repeats, and a new cycle never starts with the prompt that just ran.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

WEEKDAYS = {
    **dict.fromkeys(("ma", "maa", "maandag", "mon", "monday"), 0),
    **dict.fromkeys(("di", "din", "dinsdag", "tue", "tues", "tuesday"), 1),
    **dict.fromkeys(("wo", "woe", "woensdag", "wed", "wednesday"), 2),
    **dict.fromkeys(("do", "don", "donderdag", "thu", "thur", "thurs", "thursday"), 3),
    **dict.fromkeys(("vr", "vrij", "vrijdag", "fri", "friday"), 4),
    **dict.fromkeys(("za", "zat", "zaterdag", "sat", "saturday"), 5),
    **dict.fromkeys(("zo", "zon", "zondag", "sun", "sunday"), 6),
}
BIWEEKLY = {"tweewekelijks", "biweekly", "om-de-week", "fortnightly"}
OFF = {"uit", "off", "stop"}
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


@dataclass(frozen=True)
class Schedule:
    weekday: int = 0  # Monday
    at: time = time(9, 30)
    every_weeks: int = 1
    timezone: str = "Europe/Amsterdam"
    anchor: date = date(2026, 1, 5)  # a Monday: biweekly slots are even weeks from here
    enabled: bool = True

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def parse_schedule(words: Iterable[str]) -> Schedule | str | None:
    """`["ma", "09:30"]`, `["tweewekelijks", "vrijdag", "16:00"]` → a Schedule (timezone and
    anchor still to set); `["uit"]` → "off"; anything else → None."""
    words = [w.lower() for w in words]
    if len(words) == 1 and words[0] in OFF:
        return "off"
    every = 2 if any(w in BIWEEKLY for w in words) else 1
    rest = [w for w in words if w not in BIWEEKLY]
    if len(rest) != 2 or rest[0] not in WEEKDAYS:
        return None
    at = parse_time(rest[1])
    if at is None:
        return None
    return Schedule(weekday=WEEKDAYS[rest[0]], at=at, every_weeks=every)


def parse_time(text: str) -> time | None:
    """ "09:30" or "9.30" → 09:30; anything that is not a time of day → None."""
    match = _TIME.match(text.strip())
    return time(int(match[1]), int(match[2])) if match else None


_holidays_lock = threading.Lock()


def _dutch_holidays(year: int) -> holidays.HolidayBase:
    """Under a lock: the first reports after a start reach this from several pool threads at
    once, and each would otherwise build the year's calendar itself (tens of ms each)."""
    with _holidays_lock:
        return _holidays_of(year)


@lru_cache(maxsize=32)
def _holidays_of(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _dutch_holidays(day.year)


def holiday_name(day: date) -> str | None:
    return _dutch_holidays(day.year).get(day)


def next_working_day(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _nominal_dates(schedule: Schedule, start: date) -> Iterator[date]:
    """The schedule's weekdays from `start` on (before moving off holidays)."""
    day = start + timedelta(days=(schedule.weekday - start.weekday()) % 7)
    while True:
        weeks = (day - schedule.anchor).days // 7
        if weeks % schedule.every_weeks == 0:
            yield day
        day += timedelta(days=7)


def slot_at(schedule: Schedule, nominal: date) -> datetime:
    """The actual local slot for a nominal date: moved to the next working day if needed."""
    return datetime.combine(next_working_day(nominal), schedule.at, tzinfo=schedule.tz)


def slots_between(schedule: Schedule, start: datetime, end: datetime) -> list[datetime]:
    """Slots with start < slot <= end, in local time."""
    if not schedule.enabled:
        return []
    found = []
    first = (start.astimezone(schedule.tz) - timedelta(days=7)).date()
    for nominal in _nominal_dates(schedule, first):
        slot = slot_at(schedule, nominal)
        if slot > end:
            if nominal > end.astimezone(schedule.tz).date():
                break
            continue
        if slot > start:
            found.append(slot)
    return found


def next_slots(schedule: Schedule, after: datetime, count: int = 3) -> list[datetime]:
    if not schedule.enabled:
        return []
    found: list[datetime] = []
    first = (after.astimezone(schedule.tz) - timedelta(days=7)).date()
    for nominal in _nominal_dates(schedule, first):
        slot = slot_at(schedule, nominal)
        if slot > after and slot not in found:
            found.append(slot)
        if len(found) == count:
            return found
    return found  # pragma: no cover (the generator is endless)


def slot_key(slot: datetime) -> str:
    """The stable identity of a slot: its local date and time with the UTC offset."""
    return slot.isoformat(timespec="minutes")


# --- rotation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RotationState:
    cycle: int = 0
    order: tuple[str, ...] = ()
    position: int = 0
    last: str | None = None
    seen: tuple[str, ...] = field(default_factory=tuple)  # ids known when the cycle started


def _shuffled(ids: list[str], seed: str) -> list[str]:
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    return order


def next_prompt(
    state: RotationState, catalogue: Iterable[str], seed: str
) -> tuple[str, RotationState]:
    """The next prompt id and the state after it (pure; the caller stores the state)."""
    ids = list(dict.fromkeys(catalogue))
    if not ids:
        raise ValueError("the prompt catalogue is empty")
    # Prompts removed from the catalogue drop out; the position counts what was shown.
    order = [i for i in state.order if i in ids]
    position = len([i for i in state.order[: state.position] if i in ids])
    new = [i for i in ids if i not in state.seen and i not in order]
    if new and state.order:
        # Prompts added since this cycle started join the rest of it, in a stable place.
        remaining = order[position:] + new
        order = order[:position] + _shuffled(remaining, f"{seed}:{state.cycle}:added")
    cycle = state.cycle
    if position >= len(order) or not state.order:
        cycle = state.cycle + 1
        order = _shuffled(ids, f"{seed}:{cycle}")
        position = 0
        if len(order) > 1 and order[0] == state.last:
            order[0], order[1] = order[1], order[0]
    prompt = order[position]
    after = replace(
        state,
        cycle=cycle,
        order=tuple(order),
        position=position + 1,
        last=prompt,
        seen=tuple(sorted(set(state.seen if cycle == state.cycle else ()) | set(order))),
    )
    return prompt, after
