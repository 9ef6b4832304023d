"""Slot arithmetic and rotation, with explicit moments instead of a clock."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.team_prompts.rotation import (
    RotationState,
    Schedule,
    is_working_day,
    next_prompt,
    next_slots,
    parse_schedule,
    previous_working_day,
    slot_key,
    slots_between,
)

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = Schedule()  # default: weekly, Monday 09:30, Europe/Amsterdam


def local(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=AMS)


@pytest.mark.parametrize(
    "words, expected",
    [
        (["ma", "09:30"], Schedule(weekday=0, at=time(9, 30))),
        (["Vrijdag", "16.00"], Schedule(weekday=4, at=time(16, 0))),
        (["thu", "8:05"], Schedule(weekday=3, at=time(8, 5))),
        (["tweewekelijks", "di", "10:00"], Schedule(weekday=1, at=time(10), every_weeks=2)),
        (["wednesday", "13:15", "biweekly"], Schedule(weekday=2, at=time(13, 15), every_weeks=2)),
        (["uit"], "off"),
        (["OFF"], "off"),
        (["maandag"], None),
        (["ma", "25:00"], None),
        (["someday", "09:30"], None),
        (["ma", "09:30", "extra"], None),
    ],
)
def test_parse_schedule(words, expected):
    assert parse_schedule(words) == expected


def test_weekly_monday_slots():
    slots = next_slots(MONDAY, local(2026, 11, 23, 12), 3)
    assert slots == [
        local(2026, 11, 30, 9, 30),
        local(2026, 12, 7, 9, 30),
        local(2026, 12, 14, 9, 30),
    ]


def test_a_slot_exactly_now_is_not_next_but_is_due():
    now = local(2026, 11, 30, 9, 30)
    assert next_slots(MONDAY, now, 1) == [local(2026, 12, 7, 9, 30)]
    assert slots_between(MONDAY, now - timedelta(hours=6), now) == [now]
    assert slots_between(MONDAY, now, now + timedelta(hours=1)) == []


@pytest.mark.parametrize(
    "nominal, moved",
    [
        (local(2026, 4, 6), local(2026, 4, 7, 9, 30)),  # Easter Monday -> Tuesday
        (local(2026, 4, 27), local(2026, 4, 28, 9, 30)),  # King's Day -> Tuesday
        (local(2026, 5, 25), local(2026, 5, 26, 9, 30)),  # Whit Monday -> Tuesday
    ],
)
def test_dutch_holidays_move_to_the_next_working_day(nominal, moved):
    assert next_slots(MONDAY, nominal - timedelta(days=1), 1) == [moved]


def test_ascension_day_and_christmas_on_other_weekdays():
    thursday = Schedule(weekday=3)
    assert next_slots(thursday, local(2026, 5, 13), 1) == [local(2026, 5, 15, 9, 30)]
    friday = Schedule(weekday=4)
    # Christmas Day is a Friday in 2026; the 26th is a Saturday: Monday the 28th it is
    assert next_slots(friday, local(2026, 12, 24), 1) == [local(2026, 12, 28, 9, 30)]


@pytest.mark.parametrize(
    "before, after, utc_before, utc_after",
    [
        ((2026, 3, 23), (2026, 3, 30), 8, 7),  # summer time starts on 29 March 2026
        ((2026, 10, 19), (2026, 10, 26), 7, 8),  # winter time starts on 25 October 2026
    ],
)
def test_daylight_saving_keeps_local_time(before, after, utc_before, utc_after):
    slots = next_slots(MONDAY, local(*before) - timedelta(hours=1), 2)
    assert [s.astimezone(AMS).time() for s in slots] == [time(9, 30), time(9, 30)]
    assert [s.astimezone(ZoneInfo("UTC")).hour for s in slots] == [utc_before, utc_after]
    assert slots[1].date() == date(*after)


def test_biweekly_alternates_weeks_from_the_anchor():
    biweekly = Schedule(every_weeks=2, anchor=date(2026, 11, 30))
    slots = next_slots(biweekly, local(2026, 11, 24), 3)
    assert [s.date() for s in slots] == [date(2026, 11, 30), date(2026, 12, 14), date(2026, 12, 28)]


def test_disabled_schedule_has_no_slots():
    off = Schedule(enabled=False)
    assert next_slots(off, local(2026, 11, 23), 3) == []
    assert slots_between(off, local(2026, 11, 1), local(2026, 12, 1)) == []


def test_working_days_and_slot_keys():
    assert not is_working_day(date(2026, 4, 27)) and is_working_day(date(2026, 4, 28))
    assert previous_working_day(date(2026, 11, 30)) == date(2026, 11, 27)
    assert previous_working_day(date(2026, 4, 28)) == date(2026, 4, 24)
    assert slot_key(local(2026, 11, 30, 9, 30)) == "2026-11-30T09:30+01:00"


CATALOGUE = [f"theme__{i:02d}" for i in range(1, 11)]


def walk(state, catalogue, n, seed="T:C"):
    seen = []
    for _ in range(n):
        prompt, state = next_prompt(state, catalogue, seed)
        seen.append(prompt)
    return seen, state


def test_a_cycle_covers_the_whole_catalogue_before_any_repeat():
    first, state = walk(RotationState(), CATALOGUE, 10)
    assert sorted(first) == sorted(CATALOGUE)
    second, _ = walk(state, CATALOGUE, 10)
    assert sorted(second) == sorted(CATALOGUE)


def test_never_the_same_prompt_twice_in_a_row_across_cycles():
    state = RotationState()
    previous = None
    for _ in range(200):
        prompt, state = next_prompt(state, CATALOGUE, "T:C")
        assert prompt != previous
        previous = prompt


def test_each_channel_has_its_own_order_and_it_is_deterministic():
    a, _ = walk(RotationState(), CATALOGUE, 10, "T:C1")
    b, _ = walk(RotationState(), CATALOGUE, 10, "T:C2")
    again, _ = walk(RotationState(), CATALOGUE, 10, "T:C1")
    assert a != b and a == again


def test_adding_prompts_mid_cycle_keeps_the_rotation_going():
    shown, state = walk(RotationState(), CATALOGUE, 4)
    bigger = [*CATALOGUE, "theme__11", "theme__12"]
    rest, state = walk(state, bigger, 8)
    assert state.cycle == 1  # no restart
    assert sorted(shown + rest) == sorted(bigger)  # new ones shown before anything repeats


def test_removed_prompts_drop_out():
    shown, state = walk(RotationState(), CATALOGUE, 3)
    smaller = [p for p in CATALOGUE if p not in shown[:1] and p != "theme__10"]
    rest, _ = walk(state, smaller, len([p for p in smaller if p not in shown]))
    assert "theme__10" not in rest and len(set(rest)) == len(rest)


def test_empty_catalogue_is_an_error():
    with pytest.raises(ValueError):
        next_prompt(RotationState(), [], "x")
