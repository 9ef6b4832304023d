"""Shared fixtures: a Slack stand-in, the real app served over HTTP, and a Slack simulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.app import create_app, drain
from bot.config import Settings
from bot.sandbox.conformance import SlackContract
from bot.sandbox.simulator import SlackSimulator
from bot.sandbox.standin import RESPONSE_URL, SlackStandIn
from bot.slack.server import BackgroundServer
from bot.storage.database import Store

SECRET = "test-signing-secret"
FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "slack-fixtures"
TEAM = "T0LEERZONE"
CHANNEL = "C0TEAM"
ANNA, BRAM, SANNE = "U0ANNA", "U0BRAM", "U0SANNE"


def fixture_json(relative: str) -> Any:
    """A recorded Slack payload from ../shared/slack-fixtures, or skip when it is absent."""
    path = FIXTURES / relative
    if not path.exists():
        pytest.skip(f"Slack fixtures not found at {FIXTURES} (clone ../shared beside the repo)")
    return json.loads(path.read_text())


CONTRACT = SlackContract.load(FIXTURES)


@pytest.fixture
def standin():
    """The stand-in checks every call against Slack's spec; a violation fails the test."""
    with SlackStandIn(team_id=TEAM, contract=CONTRACT) as s:
        yield s
    assert not s.violations, "calls Slack would refuse:\n" + "\n".join(map(str, s.violations))


@pytest.fixture
def settings(tmp_path, standin) -> Settings:
    return Settings(
        bot_token="xoxb-test-token",
        signing_secret=SECRET,
        api_url=standin.base_url,
        db_path=str(tmp_path / "leerzone.db"),
    )


@pytest.fixture
def store(settings):
    s = Store(settings.db_path)
    yield s
    s.close()


@pytest.fixture
def app(settings, store):
    app = create_app(settings, store)
    yield app
    drain(app)  # listeners finish before the store closes


@pytest.fixture
def server(app):
    with BackgroundServer(app) as srv:
        yield srv


@pytest.fixture
def sim(server, standin) -> SlackSimulator:
    return SlackSimulator(server.url, SECRET, standin)


class Conversation:
    """Helpers on top of the simulator: act, then wait for what the bot sent privately."""

    def __init__(self, sim: SlackSimulator, standin: SlackStandIn) -> None:
        self.sim = sim
        self.standin = standin

    def private_after(self, act, count: int = 1) -> dict[str, Any]:
        before = len(self.standin.calls_to(RESPONSE_URL))
        reply = act()
        assert reply.status == 200, reply.body
        calls = self.standin.wait_calls(RESPONSE_URL, before + count)
        return calls[before + count - 1].args

    def fout(self, user: str, text: str, channel: str = CHANNEL) -> dict[str, Any]:
        return self.private_after(lambda: self.sim.slash(user, channel, text))

    def click(
        self,
        user: str,
        message: dict,
        action_id: str,
        option: str | None = None,
        channel: str = CHANNEL,
    ) -> dict[str, Any]:
        return self.private_after(lambda: self.sim.click(user, channel, message, action_id, option))

    def open_modal(self, user: str, channel: str = CHANNEL) -> dict[str, Any]:
        before = len(self.standin.calls_to("views.open"))
        assert self.sim.slash(user, channel, "").status == 200
        return self.standin.wait_calls("views.open", before + 1)[before].args


@pytest.fixture
def talk(sim, standin) -> Conversation:
    return Conversation(sim, standin)


def all_text(message: dict[str, Any]) -> str:
    """Everything a message shows, as one string (top-level text plus every text in blocks)."""
    parts = [message.get("text", "")]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    parts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.get("blocks", []))
    return "\n".join(parts)
