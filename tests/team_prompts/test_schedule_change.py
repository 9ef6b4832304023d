"""change_schedule(): one set of rules for /fout schema and the Home tab, tested without Slack."""

from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.app import build_deps
from bot.governance import may_govern
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


def change(deps, user, wanted, allowed=True):
    return change_schedule(deps, TEAM, CHANNEL, user, wanted, allowed=allowed)


def test_who_may_govern_a_channel():
    """Leaders, LEERZONE_ADMINS, the installer and workspace admins; nobody else, and
    Slack is asked about admins only when nothing else decides."""
    asked = []

    def admin(answer):
        return lambda: asked.append(1) or answer

    rule = dict(leaders=(SANNE,), admins=("U0HR",), installer="U0INSTALL")
    assert may_govern(SANNE, **rule, workspace_admin=admin(False)) and not asked
    assert may_govern("U0HR", **rule, workspace_admin=admin(False)) and not asked
    assert may_govern("U0INSTALL", **rule, workspace_admin=admin(False)) and not asked
    assert may_govern(ANNA, **rule, workspace_admin=admin(True)) and asked
    assert not may_govern(ANNA, **rule, workspace_admin=admin(False))
    no_leaders = dict(leaders=(), admins=(), installer=None)
    assert not may_govern(ANNA, **no_leaders, workspace_admin=admin(False))  # not herself


def test_allowed_changes_are_stored_and_heard(deps, heard):
    change = change_schedule(deps, TEAM, CHANNEL, ANNA, FRIDAY_BIWEEKLY, allowed=True)
    assert not change.refused
    stored = deps.prompts.schedule(TEAM, CHANNEL)
    assert stored == change.schedule and stored.enabled
    assert heard == [(TEAM, CHANNEL)]


def test_a_refusal_changes_nothing_and_names_the_leaders(deps, heard):
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    refused = change(deps, ANNA, FRIDAY_BIWEEKLY, allowed=False)
    assert refused.refused and refused.leaders == (SANNE,)
    assert deps.prompts.schedule(TEAM, CHANNEL) is None and heard == []


def test_workspace_default_leaders_are_named_in_a_refusal(settings, storage):
    deps = build_deps(replace(settings, default_leaders=(SANNE,)), storage, now=lambda: WEDNESDAY)
    assert change(deps, ANNA, FRIDAY_BIWEEKLY, allowed=False).leaders == (SANNE,)


def test_biweekly_starts_at_its_first_slot_from_today(deps):
    schedule = change(deps, ANNA, FRIDAY_BIWEEKLY).schedule
    assert schedule.anchor == date(2026, 12, 4)  # this Friday, not one a week later
    slots = next_slots(schedule, WEDNESDAY, 2)
    assert [s.date() for s in slots] == [date(2026, 12, 4), date(2026, 12, 18)]
    monday = change(deps, ANNA, Schedule(weekday=0, every_weeks=2))
    assert monday.schedule.anchor == date(2026, 12, 7)


def test_off_keeps_the_rhythm_for_later_and_the_time_zone_stays(deps):
    change(deps, ANNA, FRIDAY_BIWEEKLY)
    off = change(deps, ANNA, None).schedule
    assert not off.enabled and (off.weekday, off.every_weeks) == (4, 2)
    assert off.timezone == "Europe/Amsterdam"
    assert next_slots(off, WEDNESDAY, 1) == []
    other_zone = replace(FRIDAY_BIWEEKLY, timezone="Asia/Tokyo")
    assert change(deps, ANNA, other_zone).schedule.timezone == ("Europe/Amsterdam")


def test_a_damaged_stored_schedule_reads_as_off_instead_of_breaking_the_channel(deps):
    """A row forged or damaged outside the app (weekday 9) must not break /fout schema."""
    change(deps, ANNA, FRIDAY_BIWEEKLY)
    deps.storage.db.execute("UPDATE schedules SET weekday = 9")
    deps.storage.db.conn.commit()
    damaged = deps.prompts.schedule(TEAM, CHANNEL)
    assert damaged is not None and not damaged.enabled
    assert next_slots(damaged, WEDNESDAY, 1) == []
    assert not change(deps, ANNA, FRIDAY_BIWEEKLY).refused  # fixable
    assert deps.prompts.schedule(TEAM, CHANNEL).weekday == 4
