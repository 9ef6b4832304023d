"""Faults and bad input: nothing lost, no crash, a clear private word where one is due.

Covered elsewhere (not repeated here): channel_not_found / not_in_channel / expired_trigger_id
on a share or form and a single 429 (test_slack_fixtures), user_not_in_channel and the other
tip errors (test_messages), bad signature, tampered body and stale timestamp
(test_http_signature), every recorded payload as sent (test_slack_fixtures).
"""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest

from bot.app import create_app, drain
from bot.sandbox.personas import ANNA, BRAM, CHANNEL, SANNE, TEAM
from bot.sandbox.simulator import message_event, post
from bot.sandbox.standin import BOT_USER_ID, RESPONSE_URL
from bot.sandbox.transcript import all_text
from bot.slack.clients import make_client
from bot.slack.server import BackgroundServer
from bot.ui import ids

REPORT = "oeps, ik heb de verkeerde offerte naar de klant gestuurd"


@pytest.fixture
def serve(deps, converse):
    """An app on its own server, for tests that need a differently built client or storage:
    start(client) -> (app, conversation); stopped and drained after the test."""
    running = []

    def start(client=None):
        app = create_app(deps, client)
        server = BackgroundServer(app, health=deps.storage.health).start()
        running.append((app, server))
        talk = converse(server.url)
        talk.health_url = server.url.removesuffix("/slack/events") + "/healthz"
        return app, talk

    yield start
    for app, server in running:
        server.stop()
        drain(app)


@pytest.fixture
def leader_channel(deps, standin):
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    standin.members[CHANNEL] = [ANNA, BRAM, SANNE, BOT_USER_ID]


def share_named(talk, text="oeps"):
    msg = talk.fout(ANNA, text)
    choice = talk.click(ANNA, msg, ids.ACTION_SHARE)
    return talk.click(ANNA, choice, ids.ACTION_SHARE_NAMED)


def errors_logged(caplog):
    """Our own errors and tracebacks (slack-sdk logs each failed connection at ERROR itself)."""
    return [
        r
        for r in caplog.records
        if not r.name.startswith("slack_sdk") and (r.exc_info or r.levelno >= logging.ERROR)
    ]


# Slack Web API ---------------------------------------------------------------------------


def test_429_on_every_try_of_a_tip_is_given_up_cleanly(sim, standin, deps, leader_channel, caplog):
    deps.prefs.set(TEAM, SANNE, tip_delivery="channel")  # the ephemeral way
    standin.fail(
        "chat.postEphemeral", "ratelimited", status=429, headers={"Retry-After": "0"}, times=3
    )
    sim.send_event(message_event(ANNA, CHANNEL, REPORT, "1.000100"))
    standin.wait_calls("chat.postEphemeral", 3)  # the first try and slack-sdk's two retries
    # not lost: the tip waits in Sanne's Home, and it does not count against her daily cap
    standin.wait_for(lambda _: deps.storage.db["nudges"].get(1)["status"] == "home")
    assert not errors_logged(caplog)
    assert deps.storage.db["event_claims"].count == 1  # the event is done, not left half-handled


def test_429_on_every_try_of_a_share_keeps_the_entry_and_says_so(talk, standin, deps):
    standin.fail(
        "chat.postMessage", "ratelimited", status=429, headers={"Retry-After": "0"}, times=3
    )
    share_named(talk)
    answer = standin.wait_calls(RESPONSE_URL, 4)[-1].args
    assert "ratelimited" in all_text(answer) and "#1" in all_text(answer)
    assert len(standin.calls_to("chat.postMessage")) == 3
    assert deps.storage.db["failures"].get(1)["shared"] == "no"  # given back: a later try can share


def test_429_on_every_try_of_views_open_is_explained(talk, standin):
    standin.fail("views.open", "ratelimited", status=429, headers={"Retry-After": "0"}, times=3)
    answer = talk.fout(ANNA, "")
    assert "formulier kon niet openen" in all_text(answer)
    assert len(standin.calls_to("views.open")) == 3


def test_invalid_blocks_from_slack_is_explained_and_nothing_lost(talk, standin, deps):
    standin.fail("chat.postMessage", "invalid_blocks")
    share_named(talk)
    answer = standin.wait_calls(RESPONSE_URL, 4)[-1].args
    assert "invalid_blocks" in all_text(answer)
    assert deps.storage.db["failures"].get(1)["text"] == "oeps"


def test_a_web_api_timeout_is_explained(settings, deps, standin, serve):
    standin.delays["views.open"] = 1.5
    app, talk = serve(make_client(settings, timeout=0.3))
    started = time.monotonic()
    answer = talk.fout(ANNA, "")
    assert "formulier kon niet openen" in all_text(answer)
    assert time.monotonic() - started < 5


def test_connection_refused_on_the_web_api(settings, deps, standin, caplog, serve):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    app, talk = serve()
    app.client.base_url = f"http://127.0.0.1:{closed_port}/api/"  # Slack goes away mid-run
    share_named(talk)
    answer = standin.wait_calls(RESPONSE_URL, 4)[-1].args
    assert "unreachable" in all_text(answer) and "#1" in all_text(answer)
    assert deps.storage.db["failures"].get(1)["shared"] == "no"
    assert not errors_logged(caplog)


# requests --------------------------------------------------------------------------------

FROM_ANNA = {"team": {"id": "T0LEERZONE"}, "user": {"id": "U0ANNA"}}
A_CLICK = {
    **FROM_ANNA,
    "type": "block_actions",
    "response_url": "STANDIN_RESPONSE_URL",  # the stand-in's, filled in by the test
    "container": {"type": "message", "channel_id": "C0TEAM", "is_ephemeral": True},
}
ODD_FORM = {"callback_id": "lz_failure_modal", "state": {"values": []}}


def form(payload: dict) -> tuple[str, str]:
    return "payload=" + quote(json.dumps(payload)), "application/x-www-form-urlencoded"


def click(action_id: str, value: str) -> dict:
    return {"action_id": action_id, "value": value}


@pytest.mark.parametrize(
    "body, content_type",
    [
        ("{not json", "application/json"),
        ("payload=%7Bnot+json", "application/x-www-form-urlencoded"),
        ("", "application/json"),
        ('{"type": "something_new", "team_id": "T0LEERZONE"}', "application/json"),
        ('{"type": "event_callback", "event": "not an object"}', "application/json"),
        ("\x00\xff garbage", "text/plain"),
        ("[]", "application/json"),
        ("null", "application/json"),
        ("42", "application/json"),
        ("payload=null", "application/x-www-form-urlencoded"),
        ("payload=%5B%5D", "application/x-www-form-urlencoded"),
        form({"type": "block_actions", "actions": None}),
        form({"type": "view_submission", "view": None}),
        form({**FROM_ANNA, "type": "view_submission", "view": ODD_FORM}),
        form({**FROM_ANNA, "type": "block_actions", "actions": [click("lz_nudge_done", "1")]}),
        # well-formed clicks whose ids are not ids: they reach the listeners, which must cope
        form({**A_CLICK, "actions": [click("lz_nudge_done", "abc|x|y")]}),
        form({**A_CLICK, "actions": [click("lz_add_lesson", "9" * 40)]}),
        form({**A_CLICK, "actions": [click("lz_home_delete", "-3")]}),
        form({**A_CLICK, "actions": [click("lz_review_stop", "zeven")]}),
    ],
)
def test_malformed_and_unknown_bodies_never_crash(
    sim, standin, app, quiet, body, content_type, caplog
):
    hook = quote(json.dumps(standin.response_url("odd"))[1:-1], safe="")
    reply = sim.send(body.replace("STANDIN_RESPONSE_URL", hook), content_type)
    assert reply.status in (200, 400)
    quiet(app)  # a listener's failure would be logged after the ack: wait for it
    assert not [r for r in caplog.records if r.exc_info]
    assert sim.slash(ANNA, CHANNEL, "help").status == 200  # still serving


def test_a_button_from_an_old_message_is_acked_and_explained(sim, standin):
    old = {
        "blocks": [
            {
                "type": "actions",
                "block_id": "b",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "leerzone_v0_thanks",
                        "value": "1",
                        "text": {"type": "plain_text", "text": "Bedankt"},
                    }
                ],
            }
        ]
    }
    assert sim.click(ANNA, CHANNEL, old, "leerzone_v0_thanks").status == 200
    answer = standin.wait_calls(RESPONSE_URL)[0].args
    assert "oudere versie" in all_text(answer)
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False


def test_an_old_form_shows_back_what_was_typed(sim):
    old_form = {
        "type": "modal",
        "callback_id": "leerzone_v0_form",
        "private_metadata": "",
        "blocks": [
            {
                "type": "input",
                "block_id": "w",
                "label": {"type": "plain_text", "text": "Wat"},
                "element": {"type": "plain_text_input", "action_id": "i"},
            }
        ],
    }
    reply = sim.submit(ANNA, old_form, {"w": "ik <!channel> vergat de back-up"})
    answer = reply.json()
    assert answer["response_action"] == "update"
    shown = json.dumps(answer["view"], ensure_ascii=False)
    assert "vergat de back-up" in shown and "<!channel>" not in shown


def test_an_event_for_a_channel_never_seen_is_quiet(app, sim, standin, deps, caplog, quiet):
    sim.send_event(
        {
            "type": "message",
            "user": ANNA,
            "text": REPORT,
            "ts": "2.000100",
            "channel": "C0NEVERSEEN",
            "channel_type": "channel",
        }
    )
    quiet(app)
    assert standin.calls_to("chat.postEphemeral") == []
    assert deps.storage.db["channels"].count == 0  # nothing stored about a channel just because
    assert not errors_logged(caplog)


@pytest.mark.parametrize(
    "text",
    [
        "x" * 40_000,
        "oeps\x00\x07\x1b[31m rood\x08 \u202egnitset\u202c einde",
        "טעיתי בחשבון של הלקוח; שלחתי את הקובץ הלא נכון",
        "أرسلت الملف الخطأ إلى العميل",
        "🙈😬🔥",
    ],
    ids=["40k", "control", "hebrew-rtl", "arabic-rtl", "emoji-only"],
)
def test_odd_fout_texts_are_logged_whole_and_answered_within_limits(talk, standin, deps, text):
    answer = talk.fout(ANNA, text)
    assert "#1" in all_text(answer)
    row = deps.storage.db["failures"].get(1)
    assert row["text"] == text.strip()  # nothing lost, nothing rewritten
    listing = talk.fout(ANNA, "lijst")
    assert "#1" in all_text(listing)
    # Block Kit limits: the stand-in's contract check fails this test if any answer broke them.


# storage ---------------------------------------------------------------------------------


def _health(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_read_only_database_says_so_then_heals_without_a_restart(deps, standin, caplog, serve):
    """While the file cannot be written: the ack itself says so and gives the text back,
    /healthz says degraded. Once it can be written again, the same running app saves again
    (its connections, opened read-only, are replaced) and /healthz is ok."""
    deps.failures.add(team_id=TEAM, user_id=ANNA, channel_id=CHANNEL, text="eerder", kind="complex")
    deps.storage.connect_pragmas.append("query_only=1")  # as a read-only file behaves
    app, talk = serve()
    for attempt in range(3):  # every worker thread meets the read-only file
        reply = talk.sim.slash(ANNA, CHANNEL, f"ik vergat de back-up {attempt}")
        shown = all_text(reply.json())
        assert "Kon niet opslaan, probeer het later" in shown
        assert f"ik vergat de back-up {attempt}" in shown
    status, body = _health(talk.health_url)
    assert status == 503 and "degraded" in body
    deps.storage.connect_pragmas.remove("query_only=1")  # writable again
    assert _health(talk.health_url) == (200, "ok")
    for attempt in range(6):
        assert "opgeslagen als" in all_text(talk.fout(ANNA, f"weer gelukt {attempt}"))
    assert deps.failures.count(TEAM, ANNA) == 7


def test_full_disk_keeps_the_form_open_and_writes_nothing(settings, deps, standin, serve):
    deps.storage.db.execute("VACUUM")  # no free pages left over from the migrations
    pages = deps.storage.db.execute("PRAGMA page_count").fetchone()[0]
    deps.storage.connect_pragmas.append(f"max_page_count={pages}")
    app, talk = serve()
    modal = talk.open_modal(ANNA)["view"]
    reply = talk.sim.submit(ANNA, modal, {ids.BLOCK_WHAT: "x" * 3000, ids.BLOCK_LESSON: "y" * 3000})
    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert "Kon niet opslaan" in answer["errors"][ids.BLOCK_WHAT]
    assert deps.storage.db["failures"].count == 0


def test_a_click_without_a_user_is_answered_kindly_not_half_done(sim, standin, deps, caplog):
    """Slack always sends who clicked; a payload without it is malformed, and gets the
    failsafe's kind word instead of a change made on nobody's behalf."""
    failure = deps.failures.add(
        team_id=TEAM, user_id=ANNA, channel_id=CHANNEL, text="oeps", kind="preventable"
    )
    payload = {
        "type": "block_actions",
        "api_app_id": "A0LEERZONE",
        "team": {"id": TEAM},
        "channel": {"id": CHANNEL},
        "container": {"type": "message", "message_ts": "1.1", "channel_id": CHANNEL},
        "response_url": standin.response_url("actions/nouser"),
        "actions": [
            {"action_id": ids.ACTION_SHARE_NAMED, "type": "button", "value": str(failure.id)}
        ],
    }
    assert sim.send_payload(payload).status == 200
    answer = standin.wait_calls(RESPONSE_URL)[0].args
    assert "ging aan mijn kant iets mis" in all_text(answer)
    assert deps.failures.get(TEAM, failure.id).shared == "no"
    assert standin.calls_to("chat.postMessage") == []
    assert any("no user (user_id)" in (r.exc_text or "") for r in caplog.records)


@pytest.mark.parametrize("stamp", ["abc", "", "1e9", "-5", "9" * 40])
def test_a_request_without_a_real_timestamp_is_refused_before_parsing(server, stamp, caplog):
    body = json.dumps({"type": "event_callback", "event": {"type": "message"}})
    headers = {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=00"}
    reply = post(server.url, body, "application/json", headers)
    assert reply.status == 401
    assert not errors_logged(caplog)


def test_absurdly_deep_json_is_a_400_not_a_crash(sim, caplog):
    body = "[" * 5000 + "]" * 5000
    assert sim.send(body, "application/json").status == 400
    assert not errors_logged(caplog)


def test_a_huge_body_is_refused_by_the_server(server, app, caplog):
    body = "x" * (2 * 1024 * 1024)
    headers = {"X-Slack-Request-Timestamp": "1700000000", "X-Slack-Signature": "v0=00"}
    try:
        status = post(server.url, body, "application/json", headers).status
    except OSError:  # waitress may close the connection while the body is still coming
        status = 413
    assert status == 413
    assert not [r for r in caplog.records if "Bolt" in r.getMessage() or r.exc_info]


def test_acks_never_wait_on_a_hung_slack(deps, standin, serve):
    """Slack hangs on every response_url post for 4 s: thirty /fout at once still get their
    ack at once (a queued listener would ack late and Slack would show an error at 3 s), each
    entry is stored before its ack, and every confirmation lands once Slack answers."""
    standin.delays[RESPONSE_URL] = 4.0
    app, talk = serve()
    took: list[float] = []

    def one(number: int) -> None:
        started = time.monotonic()
        reply = talk.sim.slash(ANNA, CHANNEL, f"ik vergat stap {number}")
        assert reply.status == 200
        took.append(time.monotonic() - started)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(took) == 30 and max(took) < 2.0, sorted(took)[-3:]
    assert deps.failures.count(TEAM, ANNA) == 30  # stored before the ack
    assert len(standin.wait_calls(RESPONSE_URL, 30, timeout=15)) == 30


_HOLD_THE_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def test_a_database_locked_by_another_process_does_not_hold_up_the_ack(
    sim, standin, deps, settings, leader_channel
):
    """Another process (a backup tool, a `leerzone post-prompts` run) holds the write lock for
    3.5 s. A mistake report is still acked within Slack's 3 s — later, Slack retries and would
    count a failure — and once the lock is gone its tip comes: nothing lost, nothing twice."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_THE_LOCK, settings.db_path, "3.5"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        event = message_event(ANNA, CHANNEL, REPORT, "1.000100")
        started = time.monotonic()
        reply = sim.send_event(event, event_id="Ev0LOCKED1")
        took = time.monotonic() - started
        assert reply.status == 200 and took < 2.5, took
        assert holder.poll() is None  # the lock was still held when Slack got its ack
    finally:
        holder.wait(timeout=15)
    seen = standin.wait_seen(1, timeout=15)
    assert [d.user for d in seen] == [SANNE]
    sim.send_event(event, event_id="Ev0LOCKED1")  # Slack's retry of the same event
    time.sleep(0.5)
    assert len(standin.seen_by()) == 1
    assert deps.storage.db["nudges"].count == 1
