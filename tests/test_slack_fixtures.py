"""Conformance with Slack's recorded payloads and response shapes in ../shared/slack-fixtures.

Each test skips, saying why, when that folder is absent. Fixture payloads are loaded, pointed
at our command, ids and the stand-in, and sent signed through the real HTTP server.
"""

import json

import pytest

from bot import views
from bot.standin import RESPONSE_URL, SlackStandIn
from bot.texts import Texts
from tests.conftest import ANNA, CHANNEL, fixture_json


def test_recorded_slash_command_is_logged(sim, standin, store):
    fields = dict(fixture_json("interactivity/bolt-python-tests/slash_command.json")["fields"])
    fields.update(
        command="/fout",
        text="ik heb de verkeerde klant gemaild",
        response_url=standin.response_url("commands/rec"),
    )
    assert sim.send_form(fields).status == 200
    standin.wait_calls(RESPONSE_URL)
    row = store.db["failures"].get(1)
    assert (row["team_id"], row["user_id"], row["channel_id"]) == (
        fields["team_id"],
        fields["user_id"],
        fields["channel_id"],
    )


def test_recorded_block_action_shape_drives_our_buttons(sim, standin, store):
    payload = fixture_json("interactivity/bolt-python-tests/block_actions.json")["payload"]
    team, user, channel = payload["team"]["id"], payload["user"]["id"], payload["channel"]["id"]
    failure = store.add_failure(
        team_id=team, user_id=user, channel_id=channel, text="oeps", kind="preventable"
    )
    payload["actions"][0].update(action_id=views.ACTION_SHARE, value=str(failure.id))
    payload["response_url"] = standin.response_url("actions/rec")
    assert sim.send_payload(payload).status == 200
    answer = standin.wait_calls(RESPONSE_URL)[0].args
    assert answer["replace_original"] is True
    assert any(
        e["action_id"] == views.ACTION_SHARE_NAMED
        for b in answer["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    )


def test_recorded_view_submission_shape_with_our_modal(sim, standin, store):
    payload = fixture_json("interactivity/bolt-python-tests/view_submission.json")["payload"]
    ours = views.fout_modal(
        Texts("nl"),
        {"channel_id": "C111", "lang": "nl", "response_url": standin.response_url("c/1")},
    )
    payload["view"].update(
        callback_id=ours["callback_id"],
        private_metadata=ours["private_metadata"],
        blocks=ours["blocks"],
        state={
            "values": {
                views.BLOCK_WHAT: {views.INPUT: {"type": "plain_text_input", "value": "Mis"}},
                views.BLOCK_SHARE: {
                    views.INPUT: {
                        "type": "radio_buttons",
                        "selected_option": {
                            "text": {"type": "plain_text", "text": "Nee"},
                            "value": "no",
                        },
                    }
                },
            }
        },
    )
    reply = sim.send_payload(payload)
    assert reply.status == 200 and reply.body == ""
    standin.wait_calls(RESPONSE_URL)
    row = store.db["failures"].get(1)
    assert (row["team_id"], row["user_id"], row["text"]) == (
        payload["team"]["id"],
        payload["user"]["id"],
        "Mis",
    )


@pytest.mark.parametrize(
    "name",
    ["bolt-python-tests/url_verification.json", "recorded-zulip/url_verification_challenge.json"],
)
def test_url_verification_handshake(sim, name):
    body = fixture_json(f"events/{name}")
    reply = sim.send(json.dumps(body), "application/json")
    assert reply.status == 200 and body["challenge"] in reply.body


def test_recorded_app_home_opened_publishes_home(sim, standin):
    body = fixture_json("events/recorded-mercury-slack-web/app_home_opened_home.json")
    assert sim.send(json.dumps(body), "application/json").status == 200
    call = standin.wait_calls("views.publish")[0]
    assert call.args["user_id"] == body["event"]["user"]
    assert call.args["view"]["type"] == "home"


@pytest.mark.parametrize(
    "name",
    [
        "recorded-mercury-slack-web/app_home_opened_messages.json",
        "bolt-python-tests/app_home_opened_messages_tab.json",
    ],
)
def test_messages_tab_opened_publishes_nothing(sim, standin, name):
    body = fixture_json(f"events/{name}")
    assert sim.send(json.dumps(body), "application/json").status == 200
    sim.slash(ANNA, CHANNEL, "help")  # a later request, to be sure the event was processed
    standin.wait_calls(RESPONSE_URL)
    assert standin.calls_to("views.publish") == []


@pytest.mark.parametrize(
    "method",
    [
        "chat.postMessage",
        "views.open",
        "auth.test",
        "views.publish",
        "conversations.members",
        "users.info",
    ],
)
def test_stand_in_answers_only_with_keys_slack_uses(method):
    sample = fixture_json(f"api-responses/java-slack-sdk-samples/{method}.json")
    standin = SlackStandIn(members={"C1": ["U1"]})
    args = {
        "channel": "C1",
        "trigger_id": "1.1",
        "user_id": "U1",
        "user": "U1",
        "view": {"type": "modal", "blocks": []},
        "text": "x",
        "blocks": [],
    }
    if method == "auth.test":
        ours = standin._auth_test("xoxb-any")
    else:
        ours = getattr(standin, "_m_" + method.replace(".", "_"))(args)
    assert ours["ok"] is True
    assert set(ours) <= set(sample), set(ours) - set(sample)
    for key in ("view", "message"):
        if key in ours:
            assert set(ours[key]) <= set(sample[key]), set(ours[key]) - set(sample[key])
    if method == "users.info":
        assert set(ours["user"]) <= set(sample["user"])


@pytest.mark.parametrize(
    "name, method, expected",
    [
        ("chat.postMessage_not_in_channel", "chat.postMessage", "/invite @Leerzone"),
        ("chat.postMessage_channel_not_found", "chat.postMessage", "/invite @Leerzone"),
        ("views.open_expired_trigger_id", "views.open", "formulier kon niet openen"),
    ],
)
def test_documented_errors_get_a_clear_private_answer(talk, standin, store, name, method, expected):
    recorded = fixture_json(f"api-responses/errors-documented/{name}.json")
    standin.fail(method, recorded["body"]["error"], status=recorded["status"])
    if method == "views.open":
        answer = talk.fout(ANNA, "")
    else:
        msg = talk.fout(ANNA, "oeps")
        choice = talk.click(ANNA, msg, views.ACTION_SHARE)
        talk.click(ANNA, choice, views.ACTION_SHARE_NAMED)
        answer = standin.wait_calls(RESPONSE_URL, 4)[-1].args
        assert store.db["failures"].get(1)["shared"] == "no"  # claim given back: can retry
    assert expected in json.dumps(answer, ensure_ascii=False)


def test_documented_429_is_waited_out(talk, standin, store):
    recorded = fixture_json("api-responses/errors-documented/ratelimited_429.json")
    standin.fail(
        "chat.postMessage",
        recorded["body"]["error"],
        status=recorded["status"],
        headers={"Retry-After": recorded["headers"]["Retry-After"]},
    )
    msg = talk.fout(ANNA, "oeps")
    choice = talk.click(ANNA, msg, views.ACTION_SHARE)
    talk.click(ANNA, choice, views.ACTION_SHARE_NAMED)
    standin.wait_for(lambda calls: store.db["failures"].get(1)["shared_ts"], timeout=8)
    assert [c.method for c in standin.calls_to("chat.postMessage")] == ["chat.postMessage"] * 2
