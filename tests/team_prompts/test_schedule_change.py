"""change_schedule(): one set of rules for /fout schema and the Home tab, tested without Slack."""

from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.app import build_deps
from bot.sandbox.personas import ANNA, CHANNEL, SANNE, TEAM
from bot.team_prompts.rotation import Schedule, next_slots
from bot.team_prompts.schedule_change import change_schedule

AMS = ZoneInfo("Europe/Amsterdam")
WEDNESDAY = datetime(2026, 12, 2, 11, 0, tzinfo=AMS)
FRIDAY_BIWEEKLY = Schedule(weekday=4, at=time(15, 0), every_weeks=2)


@pytest.fixture
def heard():
    """What the scheduler would have heard: (team, channel) of each change."""
    return []


@pytest.fixture
def deps(settings, storage, heard):
    deps = build_deps(settings, storage, now=lambda: WEDNESDAY)
    deps.schedule_listeners.append(lambda team, channel: heard.append((team, channel)))
    return deps


def test_without_leaders_anyone_in_the_channel_may_set_it(deps, heard):
    change = change_schedule(deps, TEAM, CHANNEL, ANNA, FRIDAY_BIWEEKLY)
    assert not change.refused
    stored = deps.prompts.schedule(TEAM, CHANNEL)
    assert stored == change.schedule and stored.enabled
    assert heard == [(TEAM, CHANNEL)]


def test_with_leaders_only_they_may_and_the_refusal_names_them(deps, heard):
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    refused = change_schedule(deps, TEAM, CHANNEL, ANNA, FRIDAY_BIWEEKLY)
    assert refused.refused and refused.leaders == (SANNE,)
    assert deps.prompts.schedule(TEAM, CHANNEL) is None and heard == []
    assert not change_schedule(deps, TEAM, CHANNEL, SANNE, FRIDAY_BIWEEKLY).refused


def test_workspace_default_leaders_count_as_leaders(settings, storage):
    deps = build_deps(replace(settings, default_leaders=(SANNE,)), storage, now=lambda: WEDNESDAY)
    assert change_schedule(deps, TEAM, CHANNEL, ANNA, FRIDAY_BIWEEKLY).refused
    assert not change_schedule(deps, TEAM, CHANNEL, SANNE, FRIDAY_BIWEEKLY).refused


def test_biweekly_starts_at_its_first_slot_from_today(deps):
    schedule = change_schedule(deps, TEAM, CHANNEL, ANNA, FRIDAY_BIWEEKLY).schedule
    assert schedule.anchor == date(2026, 12, 4)  # this Friday, not one a week later
    slots = next_slots(schedule, WEDNESDAY, 2)
    assert [s.date() for s in slots] == [date(2026, 12, 4), date(2026, 12, 18)]
    monday = change_schedule(deps, TEAM, CHANNEL, ANNA, Schedule(weekday=0, every_weeks=2))
    assert monday.schedule.anchor == date(2026, 12, 7)


def test_off_keeps_the_rhythm_for_later_and_the_time_zone_stays(deps):
    change_schedule(deps, TEAM, CHANNEL, ANNA, FRIDAY_BIWEEKLY)
    off = change_schedule(deps, TEAM, CHANNEL, ANNA, None).schedule
    assert not off.enabled and (off.weekday, off.every_weeks) == (4, 2)
    assert off.timezone == "Europe/Amsterdam"
    assert next_slots(off, WEDNESDAY, 1) == []
    other_zone = replace(FRIDAY_BIWEEKLY, timezone="Asia/Tokyo")
    assert change_schedule(deps, TEAM, CHANNEL, ANNA, other_zone).schedule.timezone == (
        "Europe/Amsterdam"
    )


def test_a_damaged_stored_schedule_reads_as_off_instead_of_breaking_the_channel(deps):
    """A row forged or damaged outside the app (weekday 9) must not break /fout schema."""
    change_schedule(deps, TEAM, CHANNEL, ANNA, FRIDAY_BIWEEKLY)
    deps.storage.db.execute("UPDATE schedules SET weekday = 9")
    deps.storage.db.conn.commit()
    damaged = deps.prompts.schedule(TEAM, CHANNEL)
    assert damaged is not None and not damaged.enabled
    assert next_slots(damaged, WEDNESDAY, 1) == []
    assert not change_schedule(deps, TEAM, CHANNEL, ANNA, FRIDAY_BIWEEKLY).refused  # fixable
    assert deps.prompts.schedule(TEAM, CHANNEL).weekday == 4
