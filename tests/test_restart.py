"""Stops at the worst moment, and restarts: no duplicate, no loss. And one `run` per database.

A stop is played by an exception that is not an Exception (like the process dying): nothing
after it runs, no handler cleans up. "Restart" is a fresh Storage on the same file.
"""

from __future__ import annotations

import copy
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient

from bot.app import build_deps
from bot.handlers.messages import handle_message
from bot.nudges.delivery import recover_pending_tips
from bot.run_lock import AlreadyRunning, RunLock
from bot.sandbox.personas import ANNA, BRAM, CHANNEL, SANNE, TEAM
from bot.sandbox.simulator import SlackSimulator
from bot.sandbox.standin import BOT_USER_ID
from bot.slack.clients import make_client
from bot.storage.database import Storage
from bot.team_prompts.posting import post_due_prompts
from bot.team_prompts.store import STALE_SLOT

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY_0930 = datetime(2026, 11, 30, 9, 30, tzinfo=AMS)
SLOT = "2026-11-30T09:30+01:00"
REPORT = "sorry, ik heb per ongeluk de oude prijslijst naar de klant gestuurd"
WORKDAY = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # tips go out as DMs now


class ProcessDied(BaseException):
    """Not an Exception: no `except Exception` in the app catches it, as with a kill."""


def DiesOn(client: WebClient, method: str, after: bool) -> WebClient:  # noqa: N802
    """The app's client, except that `method` kills the process before or after Slack."""
    real = getattr(client, method)

    def dying(**kwargs):
        if after:
            real(**kwargs)
        raise ProcessDied(method)

    dies = copy.copy(client)
    setattr(dies, method, dying)
    return dies


@pytest.fixture
def deps(settings, storage, standin, scheduled):
    deps = build_deps(settings, storage, now=lambda: WORKDAY)
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    standin.members[CHANNEL] = [ANNA, SANNE, BOT_USER_ID]
    scheduled(deps)
    return deps


@pytest.fixture
def client(settings):
    return make_client(settings)


def restarted(deps, settings):
    return replace(deps, storage=Storage(settings.db_path))


def report_event(ts: str = "1763900000.000100") -> dict:
    return {"type": "message", "user": ANNA, "text": REPORT, "ts": ts, "channel": CHANNEL}


# nudges ----------------------------------------------------------------------------------


def tip_dms(standin):
    return [d for d in standin.seen_by(SANNE) if d.method == "chat.postMessage"]


def test_stop_between_claiming_and_sending_a_tip(deps, settings, client, standin):
    with pytest.raises(ProcessDied):
        handle_message(deps, DiesOn(client, "chat_postMessage", after=False), TEAM, report_event())
    assert tip_dms(standin) == []
    after = restarted(deps, settings)
    assert recover_pending_tips(after, client) == 1
    assert [d.channel for d in tip_dms(standin)] == ["D0SANNE"]
    assert recover_pending_tips(after, client) == 0  # a second start sends nothing more
    handle_message(after, client, TEAM, report_event())  # Slack's retry of the same event
    assert len(tip_dms(standin)) == 1
    assert after.storage.db["nudges"].get(1)["status"] == "sent"


def test_stop_right_after_slack_took_the_tip(deps, settings, client, standin):
    """The window between "Slack took the DM" and "we wrote that down" is closed: the tip
    carries message metadata, and a restart finds it in the DM before sending again."""
    with pytest.raises(ProcessDied):
        handle_message(deps, DiesOn(client, "chat_postMessage", after=True), TEAM, report_event())
    assert len(tip_dms(standin)) == 1
    after = restarted(deps, settings)
    assert recover_pending_tips(after, client) == 0
    recover_pending_tips(after, client)
    handle_message(after, client, TEAM, report_event())
    assert len(tip_dms(standin)) == 1  # never twice
    assert after.storage.db["nudges"].get(1)["status"] == "sent"
    assert standin.calls_to("conversations.history")  # it looked


def test_a_tip_left_pending_for_more_than_a_day_is_not_sent_late(deps, settings, client, standin):
    with pytest.raises(ProcessDied):
        handle_message(deps, DiesOn(client, "chat_postMessage", after=False), TEAM, report_event())
    later = replace(restarted(deps, settings), now=lambda: WORKDAY + timedelta(days=2))
    assert recover_pending_tips(later, client) == 0
    assert tip_dms(standin) == []
    assert later.nudges.pending() == []


# prompt slots ----------------------------------------------------------------------------


def age_claims(storage: Storage, by: timedelta) -> None:
    """Time passes while the process is down."""
    when = (datetime.now(UTC) - by).isoformat(timespec="seconds")
    storage.db.execute("UPDATE prompt_slots SET updated_at = ? WHERE status = 'claimed'", [when])
    storage.db.conn.commit()


def prompt_posts(standin):
    return [c for c in standin.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]


def test_stop_between_claiming_and_posting_a_slot(deps, settings, client, standin):
    with pytest.raises(ProcessDied):
        post_due_prompts(deps, DiesOn(client, "chat_postMessage", after=False), MONDAY_0930)
    after = restarted(deps, settings)
    # Restarted within minutes: the claim might still be a live process's, so it waits.
    soon = post_due_prompts(after, client, MONDAY_0930 + timedelta(minutes=3))
    assert [o.status for o in soon] == ["already"]
    age_claims(after.storage, STALE_SLOT + timedelta(minutes=1))
    later = post_due_prompts(after, client, MONDAY_0930 + timedelta(minutes=14))
    assert [o.status for o in later] == ["posted"]
    assert len(prompt_posts(standin)) == 1
    again = post_due_prompts(after, client, MONDAY_0930 + timedelta(minutes=75))
    assert [o.status for o in again] == ["already"] and len(prompt_posts(standin)) == 1


def test_stop_right_after_slack_took_the_prompt(deps, settings, client, standin):
    with pytest.raises(ProcessDied):
        post_due_prompts(deps, DiesOn(client, "chat_postMessage", after=True), MONDAY_0930)
    assert len(prompt_posts(standin)) == 1
    after = restarted(deps, settings)
    age_claims(after.storage, STALE_SLOT + timedelta(minutes=1))
    outcome = post_due_prompts(after, client, MONDAY_0930 + timedelta(minutes=14))
    assert [o.status for o in outcome] == ["posted"]
    assert len(prompt_posts(standin)) == 1  # found in the channel's history, not posted again
    row = after.prompts.slot(TEAM, CHANNEL, SLOT)
    assert row["status"] == "posted" and row["ts"] == standin.history[CHANNEL][0]["ts"]
    assert standin.calls_to("conversations.history")[0].args["include_all_metadata"] in (
        "1",
        "true",
        True,
    )


# one run per database --------------------------------------------------------------------


def test_the_run_lock_admits_one_holder_and_frees_itself_when_the_holder_dies(tmp_path):
    db = str(tmp_path / "l.db")
    with RunLock(db):
        with pytest.raises(AlreadyRunning) as refused:
            RunLock(db).acquire()
        assert refused.value.holder == str(os.getpid())
    RunLock(db).acquire().release()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from bot.run_lock import RunLock; held = RunLock({db!r}).acquire(); "
            "print('held', flush=True); import time; time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(AlreadyRunning):
        RunLock(db).acquire()
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    RunLock(db).acquire().release()  # no stale lock after a kill


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_second_leerzone_run_on_the_same_database_is_refused(tmp_path, standin, until_serving):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEERZONE_"))}
    env = {
        **clean,
        "SLACK_BOT_TOKEN": "xoxb-run-test",
        "SLACK_SIGNING_SECRET": "run-secret",
        "SLACK_API_URL": standin.base_url,
        "LEERZONE_DB": str(tmp_path / "run.db"),
    }
    port = _free_port()
    first = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env={**env, "PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        sim = SlackSimulator(f"http://127.0.0.1:{port}/slack/events", "run-secret", standin)
        until_serving(port, first)
        assert sim.slash(ANNA, CHANNEL, "help").status == 200
        second = subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            env={**env, "PORT": str(_free_port())},
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode == 2
        assert "already uses" in second.stderr and str(first.pid) in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1
        assert sim.slash(ANNA, CHANNEL, "help").status == 200  # the first one carries on
    finally:
        first.terminate()
        first.wait(timeout=10)


def test_the_run_lock_holds_the_database_itself_not_its_name(tmp_path):
    """A second `run` that reaches the same database by a symlink or a hard link is refused;
    a different database beside it is not."""
    db = tmp_path / "data" / "l.db"
    with RunLock(str(db)):
        (tmp_path / "via-symlink.db").symlink_to(db)
        os.link(db, tmp_path / "via-hardlink.db")
        for other in ("via-symlink.db", "via-hardlink.db"):
            with pytest.raises(AlreadyRunning):
                RunLock(str(tmp_path / other)).acquire()
        RunLock(str(tmp_path / "another.db")).acquire().release()
    assert oct(db.stat().st_mode & 0o777) == "0o600"
    RunLock(str(tmp_path / "via-hardlink.db")).acquire().release()


def test_kill_9_during_a_fout_burst_loses_no_acknowledged_entry(leerzone_run):
    """Four people keep typing /fout while the process is killed (SIGKILL, no cleanup) at a
    random moment, three times over on one database: every entry Slack got an ack for is on
    disk after each kill."""
    chance = random.Random(13)
    db_path = None
    acked: list[str] = []
    for round_ in range(3):
        run = leerzone_run()
        db_path = run.env["LEERZONE_DB"]
        stop = threading.Event()

        def burst(worker: int, run=run, stop=stop, round_=round_) -> None:
            number = 0
            while not stop.is_set():
                text = f"ronde {round_} persoon {worker} fout {number}"
                try:
                    reply = run.sim.slash(ANNA, CHANNEL, text)
                except OSError:
                    return  # the process is gone
                if reply.status == 200:
                    acked.append(text)
                number += 1

        threads = [threading.Thread(target=burst, args=(w,)) for w in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(chance.uniform(0.3, 0.8))
        run.proc.kill()
        run.proc.wait(timeout=10)
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
    with sqlite3.connect(db_path) as db:
        stored = {text for (text,) in db.execute("SELECT text FROM failures")}
    assert len(acked) > 30, "the burst should have got going before the kill"
    assert [text for text in acked if text not in stored] == []


TIP_EVENTS = 24


def _tips_in_dm(standin) -> list[int]:
    return [
        m["metadata"]["event_payload"]["nudge"]
        for m in standin.history.get("D0SANNE", [])
        if (m.get("metadata") or {}).get("event_type") == "leerzone_tip"
    ]


def test_kill_9_anywhere_in_the_tip_path_neither_loses_nor_doubles_a_tip(
    leerzone_run, standin, wait_until
):
    """Twenty-four reports, Slack answering each call 50 ms late, and the process killed
    (SIGKILL) at a random moment three times; Slack re-sends every event it got no ack for,
    as it does. In the end every report has exactly one tip for its leader, and no tip
    reached the leader twice."""
    standin.members[CHANNEL] = [ANNA, BRAM, SANNE, BOT_USER_ID]
    for method in ("conversations.open", "chat.postMessage", "chat.getPermalink"):
        standin.delays[method] = 0.05
    env = {
        "LEERZONE_LEADERS": SANNE,
        "LEERZONE_WORKING_HOURS": "00:00-23:59",
        "LEERZONE_DAILY_NUDGES": "100",
    }
    events = [
        (
            f"EvKILL{n:04d}",
            {
                "type": "message",
                "channel": CHANNEL,
                "user": ANNA if n % 2 else BRAM,
                "text": f"{REPORT} (nummer {n})",
                "ts": f"1764000{n:03d}.000100",
            },
        )
        for n in range(TIP_EVENTS)
    ]
    chance = random.Random(7)
    waiting = list(events)
    for _round in range(3):
        run = leerzone_run(**env)
        acked: set[str] = set()
        todo = tuple(waiting)

        def send(run=run, todo=todo, acked=acked) -> None:
            for event_id, event in todo:
                try:
                    if run.sim.send_event(event, event_id=event_id).status == 200:
                        acked.add(event_id)
                except OSError:
                    return
                time.sleep(0.03)

        sender = threading.Thread(target=send)
        sender.start()
        time.sleep(chance.uniform(0.15, 0.6))
        run.proc.kill()
        run.proc.wait(timeout=10)
        sender.join(timeout=30)
        waiting = [(i, e) for i, e in waiting if i not in acked]  # Slack retries these
    final = leerzone_run(**env)
    for event_id, event in waiting:
        assert final.sim.send_event(event, event_id=event_id).status == 200
    db = sqlite3.connect(final.env["LEERZONE_DB"])

    def settled() -> bool:
        open_work = db.execute(
            "SELECT count(*) FROM event_claims WHERE status = 'claimed'"
        ).fetchone()[0]
        pending = db.execute("SELECT count(*) FROM nudges WHERE status = 'pending'").fetchone()[0]
        tips = db.execute("SELECT count(*) FROM nudges").fetchone()[0]
        return open_work == 0 and pending == 0 and tips >= TIP_EVENTS

    wait_until(settled, 30, "every report handled")
    rows = db.execute(
        "SELECT message_ts, leader_id, status, delivered_via, id FROM nudges"
    ).fetchall()
    assert sorted(ts for ts, *_ in rows) == sorted(e["ts"] for _, e in events)  # one per report
    assert {leader for _, leader, *_ in rows} == {SANNE}
    sent = [nudge_id for _, _, status, via, nudge_id in rows if via == "dm"]
    assert all(status in ("sent", "held") for _, _, status, *_ in rows), rows
    dms = _tips_in_dm(standin)
    assert sorted(dms) == sorted(sent), "a tip reached the leader twice, or not at all"
