"""The learning loop: one gentle question per entry, on working days, never after 'niet nu'."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import build_deps
from bot.failures.learning_loop import ask_for_lessons
from bot.sandbox.personas import ANNA, BRAM, CHANNEL, TEAM
from bot.sandbox.transcript import all_text
from bot.ui import ids

AMS = ZoneInfo("Europe/Amsterdam")
THURSDAY = datetime(2026, 11, 26, 10, 30, tzinfo=AMS)


@pytest.fixture
def deps(settings, storage):
    return build_deps(settings, storage)


def entry(deps, user, days_ago, lesson=None, at=THURSDAY):
    f = deps.failures.add(
        team_id=TEAM,
        user_id=user,
        channel_id=CHANNEL,
        text=f"oeps {user}",
        kind="preventable",
        lesson=lesson,
    )
    stamp = (at - timedelta(days=days_ago)).astimezone(ZoneInfo("UTC")).isoformat()
    deps.storage.db.execute("UPDATE failures SET created_at = ? WHERE id = ?", [stamp, f.id])
    deps.storage.db.conn.commit()
    return f


def dms(standin, user):
    return [c.args for c in standin.calls_to("chat.postMessage") if c.args["channel"] == user]


def test_asks_once_after_a_few_days(deps, app, standin):
    old = entry(deps, ANNA, 4)
    entry(deps, BRAM, 1)  # too recent
    entry(deps, BRAM, 5, lesson="al geleerd")  # has a lesson
    assert ask_for_lessons(deps, app.client, THURSDAY) == 1
    question = dms(standin, ANNA)[0]
    assert f"#{old.id}" in all_text(question) and "wat heb je ervan geleerd" in all_text(question)
    assert dms(standin, BRAM) == []
    assert ask_for_lessons(deps, app.client, THURSDAY + timedelta(days=1)) == 0


def test_one_question_per_person_per_day(deps, app, standin):
    entry(deps, ANNA, 6)
    entry(deps, ANNA, 5)
    assert ask_for_lessons(deps, app.client, THURSDAY) == 1
    assert ask_for_lessons(deps, app.client, THURSDAY + timedelta(days=1)) == 1
    assert len(dms(standin, ANNA)) == 2


@pytest.mark.parametrize(
    "day",
    [
        datetime(2026, 11, 28, 10, 30, tzinfo=AMS),  # Saturday
        datetime(2026, 12, 25, 10, 30, tzinfo=AMS),
    ],
)  # Christmas
def test_never_on_weekends_or_holidays(deps, app, standin, day):
    entry(deps, ANNA, 10, at=day)
    assert ask_for_lessons(deps, app.client, day) == 0


def test_not_now_means_never_again(deps, app, sim, standin):
    entry(deps, ANNA, 6)
    entry(deps, ANNA, 5)
    ask_for_lessons(deps, app.client, THURSDAY)
    question = dms(standin, ANNA)[0]
    sim.click(ANNA, "D0ANNA", question, ids.ACTION_LESSON_LATER, is_ephemeral=False)
    assert "niet meer" in all_text(standin.wait_calls("response_url")[0].args)
    assert deps.prefs.get(TEAM, ANNA).lesson_reminders == 0
    assert ask_for_lessons(deps, app.client, THURSDAY + timedelta(days=1)) == 0


def test_adding_the_lesson_from_the_question(deps, app, sim, standin):
    old = entry(deps, ANNA, 4)
    ask_for_lessons(deps, app.client, THURSDAY)
    sim.click(ANNA, "D0ANNA", dms(standin, ANNA)[0], ids.ACTION_ADD_LESSON, is_ephemeral=False)
    modal = standin.wait_calls("views.open")[0].args["view"]
    sim.submit(ANNA, modal, {ids.BLOCK_LESSON: "Vaker om hulp vragen"})
    standin.wait_calls("response_url")
    assert deps.failures.get(TEAM, old.id).lesson == "Vaker om hulp vragen"
