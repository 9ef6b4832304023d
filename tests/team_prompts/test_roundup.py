"""The monthly round-up of intelligent failures: only what was shared, as it was shared."""

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.commands import parse
from bot.sandbox.personas import ANNA, BRAM, CHANNEL, SANNE, TEAM
from bot.sandbox.transcript import all_text
from bot.team_prompts.roundup import is_first_working_day_of_month, post_roundups
from bot.ui import ids

AMS = ZoneInfo("Europe/Amsterdam")
FIRST_OF_DECEMBER = datetime(2026, 12, 1, 10, 15, tzinfo=AMS)  # a Tuesday
OTHER = "C0ANDER"


@pytest.mark.parametrize(
    ("day", "first"),
    [
        (date(2026, 12, 1), True),  # Tuesday 1 December
        (date(2026, 12, 2), False),
        (date(2027, 1, 1), False),  # New Year's Day
        (date(2027, 1, 4), True),  # the Monday after
        (date(2026, 8, 3), True),  # 1 and 2 August are a weekend
    ],
)
def test_the_first_working_day_of_a_month(day, first):
    assert is_first_working_day_of_month(day) == first


def entry(deps, user, text, kind, shared, channel=CHANNEL, lesson=None, when="2026-11-12"):
    failure = deps.failures.add(
        team_id=TEAM, user_id=user, channel_id=channel, text=text, kind=kind, lesson=lesson
    )
    deps.storage.db["failures"].update(failure.id, {"created_at": f"{when}T10:00:00+00:00"})
    if shared != "no":
        deps.failures.claim_share(TEAM, user, failure.id, shared)
        deps.failures.record_share(TEAM, failure.id, f"17{failure.id}.1", channel)
    return failure


def test_a_month_of_shared_intelligent_failures_is_celebrated_once(deps, app, standin):
    entry(
        deps,
        ANNA,
        "nieuwe onboarding met video geprobeerd",
        "intelligent",
        "named",
        lesson="korter",
    )
    entry(deps, BRAM, "A/B-test van de nieuwsbrief liep anders", "intelligent", "anonymous")
    entry(deps, ANNA, "NIET GEDEELD experiment", "intelligent", "no")
    entry(deps, ANNA, "vermijdbare typfout", "preventable", "named")
    entry(deps, ANNA, "van deze maand", "intelligent", "named", when="2026-12-01")
    entry(deps, ANNA, "in een kanaal zonder viering", "intelligent", "named", channel=OTHER)
    deps.channels.set_celebrations(TEAM, OTHER, False, by=SANNE)
    assert post_roundups(deps, app.client, FIRST_OF_DECEMBER) == 1
    posts = standin.calls_to("chat.postMessage")
    assert [p.args["channel"] for p in posts] == [CHANNEL]
    said = all_text(posts[0].args)
    assert "Moedige pogingen van november 2026" in said
    assert "nieuwe onboarding met video geprobeerd" in said and "<@U0ANNA>" in said
    assert "korter" in said
    assert "A/B-test van de nieuwsbrief" in said and "Anoniem gedeeld" in said
    assert BRAM not in json.dumps(posts[0].args)
    for absent in ("NIET GEDEELD", "typfout", "van deze maand", "zonder viering"):
        assert absent not in said
    assert post_roundups(deps, app.client, FIRST_OF_DECEMBER.replace(hour=14)) == 0  # once
    assert post_roundups(deps, app.client, datetime(2026, 12, 2, 10, tzinfo=AMS)) == 0


def test_nothing_outside_working_hours_or_without_shared_attempts(deps, app, standin):
    assert post_roundups(deps, app.client, FIRST_OF_DECEMBER) == 0  # nothing shared
    entry(deps, ANNA, "een poging", "intelligent", "named")
    assert post_roundups(deps, app.client, FIRST_OF_DECEMBER.replace(hour=7)) == 0
    assert standin.calls_to("chat.postMessage") == []


def test_the_celebration_is_switched_by_the_channel_leaders(talk, deps, sim, standin):
    assert parse("viering uit").switch is False and parse("celebrate on").switch is True
    assert parse("viering").name == "celebrations" and parse("viering soms").name == "usage"
    assert parse("viering van de release liep mis").name == "log"
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    assert "staat in <#C0TEAM> *aan*" in all_text(talk.fout(ANNA, "viering"))
    assert "leiders van dit kanaal" in all_text(talk.fout(ANNA, "viering uit"))
    assert deps.channels.get(TEAM, CHANNEL).celebrations
    assert "staat uit" in all_text(talk.fout(SANNE, "viering uit"))
    assert not deps.channels.get(TEAM, CHANNEL).celebrations
    # and in Home, in the leader's schedule window
    sim.send_event({"type": "app_home_opened", "user": SANNE, "tab": "home", "event_ts": "1.1"})
    home = standin.wait_calls("views.publish")[0].args["view"]
    sim.click_in_view(SANNE, home, ids.ACTION_HOME_SCHEDULE)
    window = standin.wait_calls("views.open")[0].args["view"]
    celebrate = next(b for b in window["blocks"] if b["block_id"] == ids.BLOCK_CELEBRATE)
    assert celebrate["element"]["initial_option"]["value"] == "off"
    values = {
        ids.BLOCK_DAY: "0",
        ids.BLOCK_TIME: "09:30",
        ids.BLOCK_EVERY: "1",
        ids.BLOCK_CELEBRATE: "on",
    }
    before = len(standin.wait_calls("views.publish"))
    assert sim.submit(SANNE, window, values).status == 200
    standin.wait_calls("views.publish", before + 1)  # Bolt saves after the ack, on its thread
    assert deps.channels.get(TEAM, CHANNEL).celebrations
