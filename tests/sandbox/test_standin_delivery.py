"""The stand-in shows what Slack shows, by its documented delivery rules, not what it accepts.

chat.postEphemeral (docs.slack.dev, thread_ts): "Ephemeral messages in threads are only shown
if there is already an active thread." Ephemeral delivery also needs the user to be active,
and ephemerals are never part of a channel's history. A DM is there whenever its person looks.
"""

import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.standin import SlackStandIn


def test_ephemeral_rules_and_dms():
    with SlackStandIn(members={"C1": ["U1", "U2"]}) as standin:
        client = WebClient(token="xoxb-1", base_url=standin.base_url)
        standin.user_message({"channel": "C1", "user": "U2", "text": "oeps", "ts": "10.1"})
        # the defect this phase found: a tip in the thread of a message without replies
        assert client.chat_postEphemeral(channel="C1", user="U1", text="a", thread_ts="10.1")["ok"]
        assert standin.seen_by("U1") == []
        assert standin.deliveries[-1].reason == "thread without replies"
        # once the thread has a reply, an ephemeral in it is shown
        standin.user_message(
            {"channel": "C1", "user": "U2", "text": "re", "ts": "10.2", "thread_ts": "10.1"}
        )
        client.chat_postEphemeral(channel="C1", user="U1", text="b", thread_ts="10.1")
        assert [d.args["text"] for d in standin.seen_by("U1")] == ["b"]
        # a user who is not active gets nothing (Slack still answers ok)
        standin.presence["U1"] = "away"
        assert client.users_getPresence(user="U1")["presence"] == "away"
        assert client.chat_postEphemeral(channel="C1", user="U1", text="c")["ok"]
        assert standin.deliveries[-1].reason == "user not active"
        # ephemerals are not in the channel's history
        history = client.conversations_history(channel="C1")["messages"]
        assert {m["text"] for m in history} == {"oeps", "re"}
        # a DM is shown to its person, away or not
        dm = client.conversations_open(users="U1")["channel"]["id"]
        client.chat_postMessage(channel=dm, text="d")
        assert [d.args["text"] for d in standin.seen_by("U1")] == ["b", "d"]
        assert standin.seen_by("U1")[-1].channel == dm


def test_an_ephemeral_to_someone_outside_the_channel_is_refused():
    """chat.postEphemeral: "The user should be in the channel" (error user_not_in_channel)."""
    with SlackStandIn(members={"C1": ["U1"]}) as standin:
        client = WebClient(token="xoxb-1", base_url=standin.base_url)
        with pytest.raises(SlackApiError) as refused:
            client.chat_postEphemeral(channel="C1", user="U9", text="x")
        assert refused.value.response["error"] == "user_not_in_channel"
        assert standin.deliveries == []


def test_permalinks_name_the_channel_and_the_message():
    with SlackStandIn(team_id="T9") as standin:
        client = WebClient(token="xoxb-1", base_url=standin.base_url)
        link = client.chat_getPermalink(channel="C1", message_ts="1763888001.000100")
        assert link["permalink"] == "https://t9.slack.com/archives/C1/p1763888001000100"
        # a reply in a thread: its thread and channel travel in the link (Slack's docs)
        standin.user_message(
            {
                "channel": "C1",
                "ts": "1763888002.000200",
                "text": "ja",
                "thread_ts": "1763888001.000100",
                "user": "U1",
                "type": "message",
            }
        )
        reply = client.chat_getPermalink(channel="C1", message_ts="1763888002.000200")
        assert reply["permalink"] == (
            "https://t9.slack.com/archives/C1/p1763888002000200?thread_ts=1763888001.000100&cid=C1"
        )
        # a message its author deleted has no permalink any more
        standin.delete_user_message("C1", "1763888002.000200")
        with pytest.raises(SlackApiError) as gone:
            client.chat_getPermalink(channel="C1", message_ts="1763888002.000200")
        assert gone.value.response["error"] == "message_not_found"


def test_a_request_cut_off_mid_body_is_no_call():
    """A process killed while sending leaves half a body on the socket: Slack never acts on
    it, and the stand-in records neither a call nor a broken-contract violation for it."""
    import socket
    from urllib.parse import urlparse

    with SlackStandIn(team_id="T9") as standin:
        address = urlparse(standin.base_url)
        body = b"channel=C1&message_ts=1763888001.000100"
        with socket.create_connection((address.hostname, address.port)) as conn:
            conn.sendall(
                b"POST /api/chat.getPermalink HTTP/1.1\r\nHost: x\r\n"
                b"Authorization: Bearer xoxb-1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body[:9]  # then the sender dies
            )
        WebClient(token="xoxb-1", base_url=standin.base_url).auth_test()  # the server lives on
        assert [c.method for c in standin.calls] == ["auth.test"]
        assert standin.violations == []


def test_a_caller_that_hangs_up_before_the_answer_is_a_call_and_no_noise(capfd):
    """A client's own timeout (or a process killed with -9) closes the socket before a slow
    Slack answers: the call was made, as it would be in Slack, and the stand-in prints no
    traceback for the answer it could not deliver (it did, between tests, before)."""
    import socket
    from urllib.parse import urlparse

    with SlackStandIn(team_id="T9") as standin:
        standin.delays["users.info"] = 0.4
        address = urlparse(standin.base_url)
        with socket.create_connection((address.hostname, address.port)) as conn:
            conn.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            conn.sendall(
                b"POST /api/users.info HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer xoxb-1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 6\r\n\r\n"
                b"user=U"
            )
            time.sleep(0.1)  # the stand-in has read the request and waits out its delay
        # closed now, with a reset (linger 0): the answer finds no one to take it
        deadline = time.monotonic() + 5
        while not standin.calls and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)
        WebClient(token="xoxb-1", base_url=standin.base_url).auth_test()  # the server lives on
        assert [c.method for c in standin.calls] == ["users.info", "auth.test"]
    captured = capfd.readouterr()
    assert "Exception occurred" not in captured.err + captured.out
    assert "Traceback" not in captured.err + captured.out
