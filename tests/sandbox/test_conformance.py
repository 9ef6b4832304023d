"""The stand-in's contract check: Slack's Web API spec, Block Kit schema and limits.

Every other test runs against a stand-in with this check switched on (see conftest), so these
tests make sure the check itself bites: an unknown method, a missing argument or blocks Slack
would refuse are reported, answered with Slack's error, and fail the test that caused them.
"""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.conformance import SlackContract
from bot.sandbox.shared import SLACK_FIXTURES
from bot.sandbox.standin import SlackStandIn

CONTRACT = SlackContract.load(SLACK_FIXTURES)  # cached: the same object the stand-in uses
pytestmark = pytest.mark.skipif(
    CONTRACT is None, reason=f"Slack fixtures (or jsonschema) not found at {SLACK_FIXTURES}"
)


def button(text: str) -> dict:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": "a"}


def problems(method: str, args: dict, token: str | None = "xoxb-1") -> list[str]:
    return [v.problem for v in CONTRACT.check(method, args, token)]


def test_methods_come_from_the_spec_and_the_newer_method_map():
    assert {"chat.postMessage", "views.open", "conversations.members"} <= set(CONTRACT.methods)
    assert "files.getUploadURLExternal" in CONTRACT.methods  # newer than the 2021 spec
    assert problems("chat.postMesage", {"channel": "C1", "text": "x"}) == ["unknown Web API method"]


def test_required_arguments_and_token():
    assert problems("chat.postMessage", {"channel": "C1", "text": "hoi"}) == []
    assert "required argument 'channel' missing" in problems("chat.postMessage", {"text": "x"})
    assert "required argument 'user' missing" in problems(
        "chat.postEphemeral", {"channel": "C1", "text": "x"}
    )
    assert "required argument 'trigger_id' missing" in problems(
        "views.open", {"view": {"type": "modal"}}
    )
    assert any("no token" in p for p in problems("auth.test", {}, token=None))
    assert problems("chat.postMessage", {"channel": "C1"}) == ["neither text nor blocks"]


def test_block_kit_schema_and_limits_for_messages():
    long_button = {"type": "actions", "elements": [button("x" * 76)]}
    found = problems("chat.postMessage", {"channel": "C1", "blocks": [long_button]})
    assert len(found) == 1 and "too long at /0/elements/0/text/text" in found[0]
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "ok"}}
    assert problems("chat.postMessage", {"channel": "C1", "blocks": [section] * 50}) == []
    assert problems("chat.postMessage", {"channel": "C1", "blocks": [section] * 51}) == [
        "51 blocks (at most 50)"
    ]
    assert (
        "would be truncated"
        in problems("chat.postMessage", {"channel": "C1", "text": "x" * 40001})[0]
    )
    assert CONTRACT.message_problems({"text": "x", "blocks": [{"type": "nonsense"}]})


def test_view_limits():
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "ok"}}
    title = {"type": "plain_text", "text": "Leerzone"}
    modal = {"type": "modal", "title": title, "blocks": [section]}
    assert problems("views.open", {"trigger_id": "1.2", "view": modal}) == []
    too_long = {**modal, "title": {"type": "plain_text", "text": "x" * 25}}
    assert any("title" in p for p in problems("views.open", {"trigger_id": "1", "view": too_long}))
    metadata = {**modal, "private_metadata": "m" * 3001}
    assert "private_metadata longer than 3000" in problems(
        "views.open", {"trigger_id": "1", "view": metadata}
    )
    home = {"type": "home", "blocks": [section] * 101}
    found = problems("views.publish", {"user_id": "U1", "view": home})
    assert "101 blocks in a home view" in found
    assert problems("views.publish", {"user_id": "U1", "view": "{not json"}) == ["view is not JSON"]


def test_the_stand_in_refuses_like_slack_and_keeps_the_violation():
    with SlackStandIn(contract=CONTRACT) as standin:
        client = WebClient(token="xoxb-1", base_url=standin.base_url)
        long_button = {"type": "actions", "elements": [button("x" * 80)]}
        with pytest.raises(SlackApiError) as refused:
            client.chat_postMessage(channel="C1", text="x", blocks=[long_button])
        assert refused.value.response["error"] == "invalid_blocks"
        with pytest.raises(SlackApiError) as unknown:
            client.api_call("chat.postMesage", params={"channel": "C1"})
        assert unknown.value.response["error"] == "unknown_method"
        assert client.chat_postMessage(channel="C1", text="goed")["ok"]
        assert [v.method for v in standin.violations] == ["chat.postMessage", "chat.postMesage"]


def test_absent_fixtures_mean_no_contract(tmp_path):
    assert SlackContract.load(tmp_path) is None
