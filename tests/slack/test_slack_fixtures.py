"""Conformance with Slack's recorded payloads and response shapes in ../shared/slack-fixtures.

Each test skips, saying why, when that folder is absent. Fixture payloads are loaded, pointed
at our command, ids and the stand-in, and sent signed through the real HTTP server.
"""

import json
import logging
import time
from urllib.parse import quote_plus, urlencode

import pytest
from slack_bolt.adapter.socket_mode.internals import run_bolt_app
from slack_sdk.socket_mode.request import SocketModeRequest

from bot.sandbox.personas import ANNA
from bot.sandbox.shared import SLACK_FIXTURES
from bot.sandbox.standin import RESPONSE_URL, SlackStandIn
from bot.ui import failure_views, ids
from bot.ui.texts import Texts


def test_recorded_slash_command_is_logged(sim, standin, deps, recorded):
    fields = dict(recorded("interactivity/bolt-python-tests/slash_command.json")["fields"])
    fields.update(
        command="/fout",
        text="ik heb de verkeerde klant gemaild",
        response_url=standin.response_url("commands/rec"),
    )
    assert sim.send_form(fields).status == 200
    standin.wait_calls(RESPONSE_URL)
    row = deps.storage.db["failures"].get(1)
    assert (row["team_id"], row["user_id"], row["channel_id"]) == (
        fields["team_id"],
        fields["user_id"],
        fields["channel_id"],
    )


def test_recorded_block_action_shape_drives_our_buttons(sim, standin, deps, recorded):
    payload = recorded("interactivity/bolt-python-tests/block_actions.json")["payload"]
    team, user, channel = payload["team"]["id"], payload["user"]["id"], payload["channel"]["id"]
    failure = deps.failures.add(
        team_id=team, user_id=user, channel_id=channel, text="oeps", kind="preventable"
    )
    payload["actions"][0].update(action_id=ids.ACTION_SHARE, value=str(failure.id))
    payload["response_url"] = standin.response_url("actions/rec")
    assert sim.send_payload(payload).status == 200
    answer = standin.wait_calls(RESPONSE_URL)[0].args
    assert answer["replace_original"] is True
    assert any(
        e["action_id"] == ids.ACTION_SHARE_NAMED
        for b in answer["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    )


def test_recorded_view_submission_shape_with_our_modal(sim, standin, deps, recorded):
    payload = recorded("interactivity/bolt-python-tests/view_submission.json")["payload"]
    ours = failure_views.failure_modal(
        Texts("nl"),
        {"channel_id": "C111", "lang": "nl", "response_url": standin.response_url("c/1")},
    )
    payload["view"].update(
        callback_id=ours["callback_id"],
        private_metadata=ours["private_metadata"],
        blocks=ours["blocks"],
        state={
            "values": {
                ids.BLOCK_WHAT: {ids.INPUT: {"type": "plain_text_input", "value": "Mis"}},
                ids.BLOCK_SHARE: {
                    ids.INPUT: {
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
    row = deps.storage.db["failures"].get(1)
    assert (row["team_id"], row["user_id"], row["text"]) == (
        payload["team"]["id"],
        payload["user"]["id"],
        "Mis",
    )


@pytest.mark.parametrize(
    "name",
    ["bolt-python-tests/url_verification.json", "recorded-zulip/url_verification_challenge.json"],
)
def test_url_verification_handshake(sim, name, recorded):
    body = recorded(f"events/{name}")
    reply = sim.send(json.dumps(body), "application/json")
    assert reply.status == 200 and body["challenge"] in reply.body


def test_recorded_app_home_opened_publishes_home(sim, standin, recorded):
    body = recorded("events/recorded-mercury-slack-web/app_home_opened_home.json")
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
def test_messages_tab_opened_publishes_nothing(app, sim, standin, name, recorded, quiet):
    body = recorded(f"events/{name}")
    assert sim.send(json.dumps(body), "application/json").status == 200
    quiet(app)  # the event was handled
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
def test_stand_in_answers_only_with_keys_slack_uses(method, recorded):
    sample = recorded(f"api-responses/java-slack-sdk-samples/{method}.json")
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
def test_documented_errors_get_a_clear_private_answer(
    talk, standin, deps, name, method, expected, recorded
):
    sample = recorded(f"api-responses/errors-documented/{name}.json")
    standin.fail(method, sample["body"]["error"], status=sample["status"])
    if method == "views.open":
        answer = talk.fout(ANNA, "")
    else:
        msg = talk.fout(ANNA, "oeps")
        choice = talk.click(ANNA, msg, ids.ACTION_SHARE)
        talk.click(ANNA, choice, ids.ACTION_SHARE_NAMED)
        answer = standin.wait_calls(RESPONSE_URL, 4)[-1].args
        assert deps.storage.db["failures"].get(1)["shared"] == "no"  # claim given back: can retry
    assert expected in json.dumps(answer, ensure_ascii=False)


def test_documented_429_is_waited_out(talk, standin, deps, recorded):
    sample = recorded("api-responses/errors-documented/ratelimited_429.json")
    standin.fail(
        "chat.postMessage",
        sample["body"]["error"],
        status=sample["status"],
        headers={"Retry-After": sample["headers"]["Retry-After"]},
    )
    msg = talk.fout(ANNA, "oeps")
    choice = talk.click(ANNA, msg, ids.ACTION_SHARE)
    talk.click(ANNA, choice, ids.ACTION_SHARE_NAMED)
    standin.wait_for(lambda calls: deps.storage.db["failures"].get(1)["shared_ts"], timeout=8)
    assert [c.method for c in standin.calls_to("chat.postMessage")] == ["chat.postMessage"] * 2


def _to_standin(node, url: str):
    """Recorded response_urls point at hooks.slack.com; tests never leave 127.0.0.1."""
    if isinstance(node, dict):
        return {k: _to_standin(v, url) for k, v in node.items()}
    if isinstance(node, list):
        return [_to_standin(v, url) for v in node]
    if isinstance(node, str) and node.startswith("https://hooks.slack.com/"):
        return url
    return node


def _wire(path) -> tuple[str, str] | None:
    """A recorded fixture as the HTTP body and content type Slack would send, if it is one."""
    data = json.loads(path.read_text())
    if "fields" in data:  # a slash command's form fields
        return urlencode(data["fields"]), "application/x-www-form-urlencoded"
    if "payload" in data and "envelope_id" not in data:  # interactivity: payload=<json>
        return urlencode({"payload": json.dumps(data["payload"])}), FORM
    if data.get("type") in ("block_actions", "view_submission", "view_closed", "shortcut"):
        return urlencode({"payload": json.dumps(data)}), FORM  # field-complete Java samples
    if "token" in data and "team_id" in data and "command" in data:
        return urlencode(data), FORM
    if "envelope_id" in data or data.get("type") in ("hello", "disconnect"):
        return None  # Socket Mode frames: see the next test
    return json.dumps(data), "application/json"


FORM = "application/x-www-form-urlencoded"
RECORDED_HTTP = sorted(
    p
    for folder in ("events", "interactivity")
    for p in (SLACK_FIXTURES / folder).glob("*/*.json")
    if p.parent.name not in ("schemas", "slack-api-ref", "socket-mode")
)


@pytest.mark.skipif(not RECORDED_HTTP, reason=f"Slack fixtures not found at {SLACK_FIXTURES}")
def test_every_recorded_payload_is_acked_within_3_s_without_error(app, sim, standin, caplog, quiet):
    """As recorded, with unknown ids, old action ids and blanked values: acked, never 404."""
    caplog.set_level(logging.INFO)
    slowest, sent = 0.0, 0
    for path in RECORDED_HTTP:
        body, content_type = _wire(path)
        body = (
            json.dumps(_to_standin(json.loads(body), standin.response_url("rec")))
            if (content_type == "application/json")
            else body.replace(
                quote_plus("https://hooks.slack.com/"), quote_plus(standin.url + "/hooks/x/")
            )
        )
        started = time.perf_counter()
        reply = sim.send(body, content_type)
        slowest = max(slowest, time.perf_counter() - started)
        assert reply.status == 200, (path.name, reply.status, reply.body)
        sent += 1
    quiet(app)  # listeners finish after their ack
    assert sent >= 45
    assert slowest < 3.0
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not [r for r in caplog.records if "Unhandled request" in r.getMessage()]
    assert all(c.args.get("response_type") == "ephemeral" for c in standin.calls_to(RESPONSE_URL))


SOCKET_MODE = sorted((SLACK_FIXTURES / "events" / "socket-mode").glob("*.json"))


@pytest.mark.skipif(not SOCKET_MODE, reason=f"Slack fixtures not found at {SLACK_FIXTURES}")
def test_recorded_socket_mode_envelopes_are_acked(app, standin, caplog, quiet):
    """The same app behind Socket Mode: Bolt's adapter turns each envelope into a request."""
    frames = [json.loads(p.read_text()) for p in SOCKET_MODE]
    envelopes = [f for f in frames if "envelope_id" in f]
    assert {f["type"] for f in frames} - {f["type"] for f in envelopes} == {"hello", "disconnect"}
    for envelope in envelopes:  # hello and disconnect are for the connection, not the app
        envelope = _to_standin(envelope, standin.response_url("socket"))
        started = time.perf_counter()
        response = run_bolt_app(app, SocketModeRequest.from_dict(envelope))
        assert time.perf_counter() - started < 3.0
        assert response.status == 200, (envelope["type"], response.status, response.body)
    quiet(app)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
