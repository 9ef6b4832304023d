"""Message shortcuts through the real protocol, starting from Slack's recorded payload shape."""

import copy

import pytest

from bot.sandbox.personas import ANNA, BRAM, CHANNEL, SANNE, TEAM
from bot.sandbox.standin import RESPONSE_URL
from bot.sandbox.transcript import all_text
from bot.ui import ids

MISSED = "Die 40 dubbele facturen van vanochtend: dat was mijn import van gisteren."


@pytest.fixture
def shortcut(recorded, sim):
    """Send Slack's recorded message_action, with our workspace, people and message in it."""
    sample = recorded("interactivity/bolt-python-tests/message_action.json")

    def send(user, callback_id, author=BRAM, text=MISSED, ts="1763900100.000300"):
        payload = copy.deepcopy(sample)
        payload["team"] = {"id": TEAM, "domain": "leerzone"}
        payload["user"] = {"id": user, "name": user.lower()}
        payload["channel"] = {"id": CHANNEL, "name": "team"}
        payload["callback_id"] = callback_id
        payload["message_ts"] = ts
        payload["message"].update(user=author, text=text, ts=ts, team=TEAM)
        payload["response_url"] = sim.standin.response_url("shortcut")
        return sim.send_payload(payload)

    return send


@pytest.fixture
def leader(deps):
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)


def test_thank_first_opens_a_suggestion_where_the_detector_said_no(
    shortcut, standin, deps, leader, app, quiet
):
    assert shortcut(SANNE, ids.SHORTCUT_THANK_FIRST).status == 200
    view = standin.wait_calls("views.open")[0].args["view"]
    text = all_text(view)
    assert view["callback_id"] == ids.CALLBACK_THANK_FIRST
    assert "<@U0BRAM> in <#C0TEAM>" in text and "p1763900100000300|" in text  # link back
    assert "Dank" in text and "?" in text  # thanks first, then a question
    assert MISSED not in text  # the message is not repeated, let alone stored
    quiet(app)
    assert deps.nudges.is_report(TEAM, CHANNEL, "1763900100.000300")  # marked by the leader
    dump = "\n".join(deps.storage.db.iterdump())
    assert "dubbele facturen" not in dump
    moment = deps.storage.db["nudges"].get(1)
    assert (moment["leader_id"], moment["delivered_via"]) == (SANNE, "shortcut")
    assert deps.nudges.tip_counts(TEAM, CHANNEL, SANNE, deps.now().replace(year=2020)) == {
        "sent": 1
    }  # it counts in her own tip figures


def test_the_kind_picker_and_another_suggestion_redraw_the_window(
    shortcut, standin, sim, leader, app, quiet
):
    shortcut(SANNE, ids.SHORTCUT_THANK_FIRST)
    view = {**standin.wait_calls("views.open")[0].args["view"], "id": "V0THANK"}
    sim.click_in_view(SANNE, view, ids.ACTION_THANK_KIND, option_value="intelligent")
    quiet(app)
    update = standin.calls_to("views.update")[0].args
    assert update["view_id"] == "V0THANK"
    assert "experiment" in all_text(update["view"]).lower()
    sim.click_in_view(SANNE, update["view"] | {"id": "V0THANK"}, ids.ACTION_THANK_OTHER)
    quiet(app)
    other = standin.calls_to("views.update")[1].args["view"]
    assert all_text(other) != all_text(update["view"])


@pytest.mark.parametrize(
    "setup, block",
    [
        ("leader", "Bedank eerst* is voor de leiders van <#C0TEAM> (<@U0SANNE>)"),
        ("none", "heeft nog geen leiders"),
    ],
)
def test_thank_first_for_someone_who_does_not_lead_explains_kindly(
    shortcut, standin, deps, setup, block
):
    if setup == "leader":
        deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    shortcut(ANNA, ids.SHORTCUT_THANK_FIRST)
    answer = standin.wait_calls(RESPONSE_URL)[0].args
    assert block in all_text(answer) and answer["response_type"] == "ephemeral"
    assert standin.calls_to("views.open") == []


def test_log_as_failure_fills_in_the_form_with_my_own_message(shortcut, standin, sim, deps):
    mine = "Ik heb <@U0BRAM> de oude &amp; verkeerde planning gestuurd"
    shortcut(ANNA, ids.SHORTCUT_LOG_AS_FAILURE, author=ANNA, text=mine)
    view = standin.wait_calls("views.open")[0].args["view"]
    what = next(b for b in view["blocks"] if b.get("block_id") == ids.BLOCK_WHAT)
    assert (
        what["element"]["initial_value"] == "Ik heb @U0BRAM de oude & verkeerde planning gestuurd"
    )
    sim.submit(ANNA, view, {ids.BLOCK_WHAT: what["element"]["initial_value"]})
    standin.wait_for(lambda _: deps.failures.count(TEAM, ANNA) == 1)


def test_log_as_failure_on_someone_elses_message_says_why_not(shortcut, standin, deps):
    shortcut(ANNA, ids.SHORTCUT_LOG_AS_FAILURE, author=BRAM)
    answer = standin.wait_calls(RESPONSE_URL)[0].args
    assert "alleen op je eigen berichten" in all_text(answer)
    assert standin.calls_to("views.open") == [] and deps.failures.count(TEAM) == 0
