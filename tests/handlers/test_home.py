"""App Home through the real protocol: my entries, Home actions, language, the leader view."""

import json

import pytest

from bot.sandbox.personas import ANNA, BRAM, CHANNEL, SANNE, TEAM
from bot.sandbox.transcript import all_text
from bot.team_prompts.rotation import Schedule
from bot.ui import ids


def open_home(sim, standin, user):
    before = len(standin.calls_to("views.publish"))
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": "D0HOME",
        "tab": "home",
        "event_ts": "1.1",
    }
    assert sim.send_event(event).status == 200
    return standin.wait_calls("views.publish", before + 1)[-1].args


def click_home(sim, standin, user, view, action_id, value=None, option=None, wait=True):
    """Click an element of a published Home view (Slack sends the view along)."""
    before = len(standin.calls)
    block_id, element = next(
        (b.get("block_id", ""), e)
        for b in view["blocks"]
        for e in (b.get("elements") or []) + ([b["accessory"]] if b.get("accessory") else [])
        if e.get("action_id") == action_id and (value is None or e.get("value") == value)
    )
    action = {
        "action_id": action_id,
        "block_id": block_id,
        "type": element["type"],
        "action_ts": "1.2",
    }
    if option:
        action["selected_option"] = next(o for o in element["options"] if o["value"] == option)
    else:
        action["value"] = element["value"]
    payload = {
        "type": "block_actions",
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": "A0LEERZONE",
        "token": "t",
        "container": {"type": "view", "view_id": "V1"},
        "trigger_id": "9.9.trigger",
        "team": {"id": TEAM},
        "view": {
            "id": "V1",
            "type": "home",
            "private_metadata": view.get("private_metadata", ""),
            "blocks": view["blocks"],
        },
        "actions": [action],
    }
    assert sim.send_payload(payload).status == 200
    if wait:
        standin.wait_for(lambda calls: len(calls) > before)


def log(deps, user, n, **extra):
    return [
        deps.failures.add(
            team_id=TEAM,
            user_id=user,
            channel_id=CHANNEL,
            text=f"fout {i} van {user}",
            kind="preventable",
            **extra,
        )
        for i in range(n)
    ]


def test_recorded_app_home_opened_shows_my_entries_only(sim, standin, deps, recorded):
    body = recorded("events/recorded-mercury-slack-web/app_home_opened_home.json")
    user = body["event"]["user"]
    deps.failures.add(
        team_id=body["team_id"], user_id=user, channel_id=CHANNEL, text="mijn fout", kind="complex"
    )
    deps.failures.add(
        team_id=body["team_id"],
        user_id="U0SOMEONE",
        channel_id=CHANNEL,
        text="andermans fout",
        kind="complex",
    )
    assert sim.send(json.dumps(body), "application/json").status == 200
    view = standin.wait_calls("views.publish")[0].args["view"]
    text = all_text(view)
    assert "mijn fout" in text and "andermans fout" not in text
    assert "Drie soorten fouten" in text and "nooit bewaard" in text


def test_hundreds_of_entries_are_paged_within_block_kit_limits(sim, standin, deps):
    log(deps, ANNA, 300)
    view = open_home(sim, standin, ANNA)["view"]
    assert len(view["blocks"]) <= 100
    assert "(300) · pagina 1 van 38" in all_text(view)
    click_home(sim, standin, ANNA, view, ids.ACTION_HOME_PAGE, "2")
    second = standin.calls_to("views.publish")[-1].args["view"]
    assert "pagina 2 van 38" in all_text(second) and "fout 291 van" in all_text(second)


def test_lesson_and_delete_from_home(sim, standin, deps):
    first, second = log(deps, ANNA, 2)
    view = open_home(sim, standin, ANNA)["view"]
    click_home(sim, standin, ANNA, view, ids.ACTION_HOME_LESSON, str(first.id))
    modal = standin.wait_calls("views.open")[0].args["view"]
    assert json.loads(modal["private_metadata"])["home"] is True
    before = len(standin.calls_to("views.publish"))
    assert sim.submit(ANNA, modal, {ids.BLOCK_LESSON: "Eerst de datum checken"}).body == ""
    updated = standin.wait_calls("views.publish", before + 1)[-1].args["view"]
    assert "Eerst de datum checken" in all_text(updated)
    click_home(sim, standin, ANNA, updated, ids.ACTION_HOME_DELETE, str(second.id))
    standin.wait_calls("views.publish", before + 2)
    assert deps.failures.get(TEAM, second.id) is None
    assert deps.failures.get(TEAM, first.id).lesson == "Eerst de datum checken"


def test_language_choice_is_personal(sim, standin, deps):
    view = open_home(sim, standin, ANNA)["view"]
    click_home(sim, standin, ANNA, view, ids.ACTION_HOME_LANGUAGE, option="en")
    english = standin.calls_to("views.publish")[-1].args["view"]
    assert "Welcome to Leerzone" in all_text(english)
    assert deps.prefs.get(TEAM, ANNA).language == "en"
    assert "Welkom bij Leerzone" in all_text(open_home(sim, standin, BRAM)["view"])


def test_leader_view_shows_aggregates_only_from_five_people(sim, standin, deps):
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    deps.prompts.ensure_schedule(TEAM, CHANNEL, Schedule())
    for user in ("U1", "U2", "U3"):
        log(deps, user, 1)
    view = open_home(sim, standin, SANNE)["view"]
    text = all_text(view)
    assert "Voor leiders" in text and "<#C0TEAM>" in text
    assert "nog te weinig gegevens" in text and "U1" not in text
    assert "Volgende vraag van de week: maandag" in text
    for user in ("U4", "U5"):
        log(deps, user, 2, lesson="les")
    text = all_text(open_home(sim, standin, SANNE)["view"])
    assert "7 fouten (7 vermijdbaar" in text and "4 lessen" in text
    assert not any(u in text for u in ("U1", "U2", "U4", "U5"))
    assert "Voor leiders" not in all_text(open_home(sim, standin, BRAM)["view"])


def test_leader_changes_the_schedule_from_home(sim, standin, deps):
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    view = open_home(sim, standin, SANNE)["view"]
    click_home(sim, standin, SANNE, view, ids.ACTION_HOME_SCHEDULE, CHANNEL)
    modal = standin.wait_calls("views.open")[0].args["view"]
    before = len(standin.calls_to("views.publish"))
    sim.submit(SANNE, modal, {ids.BLOCK_DAY: "3", ids.BLOCK_TIME: "14:15", ids.BLOCK_EVERY: "2"})
    standin.wait_calls("views.publish", before + 1)
    schedule = deps.prompts.schedule(TEAM, CHANNEL)
    assert (schedule.weekday, schedule.at.strftime("%H:%M"), schedule.every_weeks) == (
        3,
        "14:15",
        2,
    )
    # the same anchor rule as /fout schema: biweekly counts from the first Thursday from today
    today = deps.now().astimezone(schedule.tz).date()
    assert schedule.anchor.weekday() == 3 and 0 <= (schedule.anchor - today).days < 7


@pytest.mark.parametrize("bad_time", ["25:00", "9:75", "", "half tien"])
def test_a_time_that_is_no_time_of_day_is_refused_on_the_field(sim, standin, deps, bad_time):
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    view = open_home(sim, standin, SANNE)["view"]
    click_home(sim, standin, SANNE, view, ids.ACTION_HOME_SCHEDULE, CHANNEL)
    modal = standin.wait_calls("views.open")[0].args["view"]
    reply = sim.submit(
        SANNE, modal, {ids.BLOCK_DAY: "3", ids.BLOCK_TIME: bad_time, ids.BLOCK_EVERY: "1"}
    )
    assert reply.json()["response_action"] == "errors"
    assert ids.BLOCK_TIME in reply.json()["errors"]
    assert deps.prompts.schedule(TEAM, CHANNEL) is None


def test_non_leader_cannot_change_a_schedule(sim, standin, deps, app, quiet):
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    view = open_home(sim, standin, SANNE)["view"]
    click_home(sim, standin, ANNA, view, ids.ACTION_HOME_SCHEDULE, CHANNEL, wait=False)
    quiet(app)
    assert standin.calls_to("views.open") == []
    assert deps.prompts.schedule(TEAM, CHANNEL) is None
