"""Shared fixtures: a Slack stand-in, the real app served over HTTP, and a Slack simulator.

Tests take what they share from fixtures here; the people and places come from
bot.sandbox.personas (the demo's too), the recorded reality from bot.sandbox.shared.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import App

from bot.app import build_deps, create_app, drain, settle
from bot.config import Settings
from bot.deps import Deps
from bot.sandbox.conformance import SlackContract
from bot.sandbox.personas import ADMINS, CHANNEL, TEAM
from bot.sandbox.shared import SLACK_FIXTURES
from bot.sandbox.simulator import SlackSimulator
from bot.sandbox.standin import RESPONSE_URL, SlackStandIn
from bot.slack.server import BackgroundServer
from bot.storage.database import Storage
from bot.team_prompts.rotation import RotationState, Schedule
from bot.ui.prompt_views import prompt_catalogue
from bot.ui.texts import Texts


@pytest.fixture(scope="session")
def contract() -> SlackContract | None:
    """Slack's spec, schema and limits, when ../shared/slack-fixtures is beside the project."""
    return SlackContract.load(SLACK_FIXTURES)


@pytest.fixture
def recorded() -> Callable[[str], Any]:
    """A loader of recorded Slack payloads; the test skips when the folder is absent."""

    def load(relative: str) -> Any:
        path = SLACK_FIXTURES / relative
        if not path.exists():
            pytest.skip(f"Slack fixtures not found at {SLACK_FIXTURES} (clone ../shared beside)")
        return json.loads(path.read_text())

    return load


@pytest.fixture
def standin(contract) -> Iterator[SlackStandIn]:
    """The stand-in checks every call against Slack's spec; a violation fails the test."""
    with SlackStandIn(team_id=TEAM, contract=contract, admins=ADMINS) as s:
        yield s
    assert not s.violations, "calls Slack would refuse:\n" + "\n".join(map(str, s.violations))


@pytest.fixture
def settings(tmp_path, standin) -> Settings:
    return Settings(
        bot_token="xoxb-test-token",
        signing_secret="test-signing-secret",
        api_url=standin.base_url,
        db_path=str(tmp_path / "leerzone.db"),
    )


@pytest.fixture
def storage(settings) -> Iterator[Storage]:
    s = Storage(settings.db_path)
    yield s
    s.close()


class Clock:
    """The app's clock in tests: a working Monday morning unless a test moves it, so what
    depends on working hours (tips as DMs) does not depend on when the suite runs."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def deps(settings, storage, clock) -> Deps:
    return build_deps(settings, storage, now=clock)


@pytest.fixture
def app(deps) -> Iterator[App]:
    app = create_app(deps)
    yield app
    drain(app)  # listeners finish before the storage closes


@pytest.fixture
def server(app, deps) -> Iterator[BackgroundServer]:
    with BackgroundServer(app, health=deps.storage.health) as srv:
        yield srv


@pytest.fixture
def sim(server, standin, settings) -> SlackSimulator:
    return SlackSimulator(server.url, settings.signing_secret, standin)


class Conversation:
    """Helpers on top of the simulator: act, then wait for what the bot sent privately."""

    def __init__(self, sim: SlackSimulator, standin: SlackStandIn) -> None:
        self.sim = sim
        self.standin = standin

    def private_after(self, act: Callable[[], Any], count: int = 1) -> dict[str, Any]:
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
def converse(standin, settings) -> Callable[[str], Conversation]:
    """A Conversation with the app served at `url` (for tests that serve their own app)."""
    return lambda url: Conversation(SlackSimulator(url, settings.signing_secret, standin), standin)


@pytest.fixture
def talk(sim, standin) -> Conversation:
    return Conversation(sim, standin)


@pytest.fixture
def quiet() -> Callable[[App], None]:
    """Wait until the app has handled everything acked so far: then "nothing came" is true."""
    return settle


@pytest.fixture
def wait_until() -> Callable[..., Any]:
    """The one polling helper: the predicate's first truthy value, or fail after `timeout`."""

    def poll(predicate: Callable[[], Any], timeout: float = 5.0, what: str = "") -> Any:
        deadline = time.monotonic() + timeout
        while not (result := predicate()):
            if time.monotonic() > deadline:
                pytest.fail(f"not within {timeout}s: {what or predicate}")
            time.sleep(0.02)
        return result

    return poll


@pytest.fixture
def until_serving(wait_until) -> Callable[..., None]:
    """Wait for a `leerzone run` in another process to answer /healthz on `port`."""

    def wait(port: int, proc: subprocess.Popen, timeout: float = 30.0) -> None:
        def up() -> bool:
            if proc.poll() is not None:
                pytest.fail(f"leerzone run exited with status {proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    return r.status == 200
            except OSError:
                return False

        wait_until(up, timeout, "leerzone run serving /healthz")

    return wait


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Running:
    """A real `leerzone run` in its own process, its output in a file, Slack the stand-in."""

    proc: subprocess.Popen
    port: int
    sim: SlackSimulator
    log: Path
    env: dict[str, str]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout=20)


@pytest.fixture
def leerzone_run(tmp_path, standin, until_serving) -> Iterator[Callable[..., Running]]:
    """start(**env) -> Running: `python -m bot run` on a free port against the stand-in, with
    the database in tmp_path (LEERZONE_DB in env overrides); killed after the test."""
    started: list[Running] = []

    def start(wait: bool = True, **extra: str) -> Running:
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEERZONE_"))}
        port = free_port()
        env = {
            **clean,
            "SLACK_BOT_TOKEN": "xoxb-run-test",
            "SLACK_SIGNING_SECRET": "run-secret",
            "SLACK_API_URL": standin.base_url,
            "LEERZONE_DB": str(tmp_path / "run.db"),
            "PORT": str(port),
            **extra,
        }
        log = tmp_path / f"run-{len(started)}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"], env=env, stdout=out, stderr=out
            )
        sim = SlackSimulator(f"http://127.0.0.1:{port}/slack/events", "run-secret", standin)
        running = Running(proc, port, sim, log, env)
        started.append(running)
        if wait:
            until_serving(port, proc)
        return running

    yield start
    for running in started:
        if running.proc.poll() is None:
            running.proc.kill()
            running.proc.wait(timeout=10)


@pytest.fixture
def rotate_to() -> Callable[..., None]:
    """rotate_to(deps, first, team, channel): make `first` the channel's next team prompt."""

    def rotate(deps: Deps, first: str, team: str = TEAM, channel: str = CHANNEL) -> None:
        catalogue = prompt_catalogue(Texts("nl"))
        order = (first, *[p for p in catalogue if p != first])
        state = RotationState(cycle=1, order=order, position=0, seen=tuple(sorted(catalogue)))
        deps.storage.db["rotations"].upsert(
            {
                "team_id": team,
                "channel_id": channel,
                "state": json.dumps(state.__dict__),
                "updated_at": "x",
            },
            pk=("team_id", "channel_id"),
        )

    return rotate


@pytest.fixture
def scheduled() -> Callable[..., None]:
    """Give channels the default weekly schedule as if set on Monday 23 November 2026 at noon,
    after that day's slot: the first slot due is Monday 30 November 09:30."""

    def give(deps: Deps, *where: tuple[str, str]) -> None:
        for team_id, channel_id in where or ((TEAM, CHANNEL),):
            deps.prompts.ensure_schedule(team_id, channel_id, Schedule())
        deps.storage.db.execute("UPDATE schedules SET updated_at = '2026-11-23T11:00:00+00:00'")
        deps.storage.db.conn.commit()

    return give
