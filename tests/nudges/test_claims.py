"""The rows that make "only once" true: a Slack event's claim and a report's scan record,
and the one transaction in which a report's scan, its tips' claims and its event land (in
the pool after a work item, or before the ack when Slack need not be asked anything).

Each claim is one statement since the work before the ack had to get cheaper; these tests
pin the rules those statements carry (a fresh or finished claim is never taken again, an
abandoned one is; a message a leader called no report is never recorded again).
"""

import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.nudges.delivery import (
    act_on_verdict,
    known_members,
    record_now,
    recover_pending_tips,
    send,
)
from bot.nudges.policy import verdict_record
from bot.nudges.scan import scan_message
from bot.nudges.store import STALE_CLAIM, NudgeStore
from bot.sandbox.personas import ANNA, CHANNEL, SANNE, TEAM
from bot.sandbox.standin import BOT_USER_ID
from bot.slack.clients import make_client
from bot.storage.database import BUSY_TIMEOUT_MS

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SCAN = {"team_id": "T1", "channel_id": "C1", "ts": "1.000100", "thread_ts": "1.000100"}


def test_an_event_is_claimed_once_while_its_claim_is_fresh(storage):
    nudges = NudgeStore(storage)
    assert nudges.claim_event("Ev1", "T1", T0, {"n": 1})
    assert not nudges.claim_event("Ev1", "T1", T0, {"n": 2})  # Slack's retry
    assert not nudges.claim_event("Ev1", "T1", T0 + STALE_CLAIM - timedelta(seconds=1))
    assert nudges.unfinished_work() == [("Ev1", {"n": 1})]  # the first claim's work stays


def test_an_abandoned_claim_is_taken_over_with_its_new_work(storage):
    nudges = NudgeStore(storage)
    assert nudges.claim_event("Ev1", "T1", T0, {"n": 1})
    assert nudges.claim_event("Ev1", "T1", T0 + STALE_CLAIM, {"n": 2})
    assert nudges.unfinished_work() == [("Ev1", {"n": 2})]
    # taken over just now: fresh again
    assert not nudges.claim_event("Ev1", "T1", T0 + STALE_CLAIM + timedelta(seconds=5))


def test_a_finished_event_is_never_claimed_again_and_a_released_one_is(storage):
    nudges = NudgeStore(storage)
    assert nudges.claim_event("Ev1", "T1", T0, {"n": 1})
    nudges.finish_event("Ev1")
    assert not nudges.claim_event("Ev1", "T1", T0 + timedelta(hours=1))
    assert nudges.unfinished_work() == []
    assert nudges.claim_event("Ev2", "T1", T0)
    nudges.release_event("Ev2")  # handling failed: Slack's retry may try again at once
    assert nudges.claim_event("Ev2", "T1", T0)


def test_claim_age_is_compared_as_moments_not_as_text(storage):
    """A clock in another zone writes another offset; the age must still be the real one."""
    nudges = NudgeStore(storage)
    amsterdam = timezone(timedelta(hours=1))
    assert nudges.claim_event("Ev1", "T1", T0.astimezone(amsterdam))  # "10:00+01:00"
    # 09:01 UTC sorts before "10:00+01:00" as text, yet is a minute later: still fresh
    assert not nudges.claim_event("Ev1", "T1", T0 + timedelta(minutes=1))
    assert nudges.claim_event("Ev1", "T1", T0 + STALE_CLAIM)


def test_a_scan_is_recorded_and_updated_unless_a_leader_called_it_no_report(storage):
    nudges = NudgeStore(storage)
    assert nudges.record_scan(**SCAN, kind="preventable", score=0.8, unless_false_positive=True)
    assert nudges.record_scan(**SCAN, kind="complex", score=0.9, unless_false_positive=True)
    row = storage.db.execute("SELECT kind, score, false_positive FROM scans").fetchone()
    assert row == ("complex", 0.9, 0)
    assert nudges.is_report("T1", "C1", "1.000100")
    storage.db.conn.execute("UPDATE scans SET false_positive = 1")
    storage.db.conn.commit()
    again = {**SCAN, "kind": "intelligent", "score": 0.95}
    assert not nudges.record_scan(**again, unless_false_positive=True)
    assert storage.db.execute("SELECT kind FROM scans").fetchone() == ("complex",)
    assert not nudges.is_report("T1", "C1", "1.000100")
    # a leader's own marking (not the detector's) may still record it
    assert nudges.record_scan(**again)


def test_a_short_wait_before_the_ack_stays_in_its_thread(storage):
    """The request thread keeps its short wait for the write lock; another thread, and the
    same thread's next ordinary write, wait the usual time."""

    def timeout() -> int:
        return storage.db.execute("PRAGMA busy_timeout").fetchone()[0]

    statements: list[str] = []
    storage.db.conn.set_trace_callback(statements.append)
    with storage.write(wait_ms=1500):
        assert timeout() == 1500
    with storage.write(wait_ms=1500):
        pass
    assert [s for s in statements if "busy_timeout=" in s] == ["PRAGMA busy_timeout=1500"]
    seen: list[int] = []
    other = threading.Thread(target=lambda: seen.append(timeout()))
    other.start()
    other.join()
    assert seen == [BUSY_TIMEOUT_MS]
    with storage.write():
        assert timeout() == BUSY_TIMEOUT_MS
    storage.db.conn.set_trace_callback(None)


REPORT = "sorry, ik heb per ongeluk de oude prijslijst naar de klant gestuurd"


def _claimed_report(deps, standin):
    """A report scanned and its event claimed, as the request does before the ack."""
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    standin.members[CHANNEL] = [ANNA, SANNE, BOT_USER_ID]
    event = {"type": "message", "user": ANNA, "text": REPORT, "ts": "1.000100"}
    verdict = scan_message(deps, TEAM, {**event, "channel": CHANNEL})
    assert verdict is not None and verdict.mistake is not None
    assert deps.nudges.claim_event("Ev1", TEAM, deps.now(), verdict_record(verdict))
    return verdict


def test_a_report_is_recorded_claimed_and_finished_in_one_transaction(deps, standin, settings):
    verdict = _claimed_report(deps, standin)
    act_on_verdict(deps, make_client(settings), verdict, "Ev1")
    assert deps.nudges.unfinished_work() == []
    assert deps.storage.db.execute("SELECT count(*) FROM scans").fetchone() == (1,)
    assert [n.status for n in deps.nudges.for_message(TEAM, CHANNEL, "1.000100")] == ["sent"]


def test_a_report_whose_unit_of_work_fails_leaves_nothing_half_done(
    deps, standin, settings, monkeypatch
):
    """The tip's claim fails after the scan was recorded: the scan goes too, and the event
    stays unfinished, so Slack's retry or the next start does the whole of it again."""
    verdict = _claimed_report(deps, standin)

    def broken(**claim):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(deps.nudges, "claim", broken)
    with pytest.raises(sqlite3.OperationalError):
        act_on_verdict(deps, make_client(settings), verdict, "Ev1")
    assert deps.storage.db.execute("SELECT count(*) FROM scans").fetchone() == (0,)
    assert [event for event, _ in deps.nudges.unfinished_work()] == ["Ev1"]
    assert standin.seen_by(SANNE) == []
    monkeypatch.undo()
    act_on_verdict(deps, make_client(settings), verdict, "Ev1")  # the next start
    assert [d.method for d in standin.seen_by(SANNE)] == ["chat.postMessage"]
    assert deps.nudges.unfinished_work() == []


# a report recorded whole before the ack (when Slack need not be asked) -----------------------


def _scanned_report(deps, standin, settings, ts="1.000100"):
    """A report scanned in a channel whose members Slack told us a moment ago."""
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    standin.members[CHANNEL] = [ANNA, SANNE, BOT_USER_ID]
    deps.members.members(make_client(settings), TEAM, CHANNEL)  # an earlier message asked
    event = {"type": "message", "user": ANNA, "text": REPORT, "ts": ts, "channel": CHANNEL}
    verdict = scan_message(deps, TEAM, event)
    assert verdict is not None and verdict.mistake is not None
    return verdict


def _claims(deps):
    return deps.storage.db.execute("SELECT event_id, status, work FROM event_claims").fetchall()


def test_known_members_are_only_what_needs_no_call_to_slack(deps, standin, settings):
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    standin.members[CHANNEL] = [ANNA, SANNE, BOT_USER_ID]
    event = {"type": "message", "user": ANNA, "text": REPORT, "ts": "1.000100"}
    verdict = scan_message(deps, TEAM, {**event, "channel": CHANNEL})
    assert known_members(deps, verdict) is None  # Slack would have to be asked
    assert standin.calls_to("conversations.members") == []
    by_leader = scan_message(deps, TEAM, {**event, "user": SANNE, "channel": CHANNEL})
    assert known_members(deps, by_leader) == frozenset()  # a thank-you: nobody's membership
    deps.members.members(make_client(settings), TEAM, CHANNEL)
    assert known_members(deps, verdict) == {ANNA, SANNE, BOT_USER_ID}
    deps.members.clock = lambda: 1e12  # five minutes and more later: asked again, after the ack
    assert known_members(deps, verdict) is None


def test_a_report_is_recorded_whole_before_the_ack_and_only_the_sending_waits(
    deps, standin, settings
):
    verdict = _scanned_report(deps, standin, settings)
    outgoing = record_now(deps, verdict, known_members(deps, verdict), "Ev1", 1500)
    # one transaction before the ack: the event done (no work item), the scan, the claim
    assert _claims(deps) == [("Ev1", "done", None)]
    assert deps.nudges.unfinished_work() == []
    assert deps.storage.db.execute("SELECT count(*) FROM scans").fetchone() == (1,)
    assert [n.status for n in deps.nudges.for_message(TEAM, CHANNEL, "1.000100")] == ["pending"]
    assert standin.seen_by(SANNE) == []  # nothing went to Slack before the ack
    assert outgoing is not None and [(t.leader, r) for _, t, r in outgoing.tips] == [(SANNE, "dm")]
    assert outgoing.cue and outgoing.lang == "nl"
    send(deps, make_client(settings), outgoing)  # the pool's part
    assert [d.method for d in standin.seen_by(SANNE)] == ["chat.postMessage"]
    assert [n.status for n in deps.nudges.for_message(TEAM, CHANNEL, "1.000100")] == ["sent"]
    # Slack's retry of the event: nothing more
    assert record_now(deps, verdict, known_members(deps, verdict), "Ev1", 1500) is None
    assert len(deps.nudges.for_message(TEAM, CHANNEL, "1.000100")) == 1


def test_a_tip_that_waits_is_put_aside_before_the_ack_and_the_pool_gets_nothing(
    deps, standin, settings
):
    deps.prefs.set(TEAM, SANNE, tip_delivery="home")
    verdict = _scanned_report(deps, standin, settings)
    assert record_now(deps, verdict, known_members(deps, verdict), "Ev1", 1500) is None
    [nudge] = deps.nudges.for_message(TEAM, CHANNEL, "1.000100")
    assert (nudge.status, nudge.delivered_via) == ("home", "home")
    assert standin.seen_by(SANNE) == []


def test_a_stop_after_a_report_recorded_before_the_ack_leaves_its_tip_for_the_next_start(
    deps, standin, settings
):
    verdict = _scanned_report(deps, standin, settings)
    assert record_now(deps, verdict, known_members(deps, verdict), "Ev1", 1500)
    # the process stops before the pool sends it; the next start does
    assert recover_pending_tips(deps, make_client(settings)) == 1
    assert [d.method for d in standin.seen_by(SANNE)] == ["chat.postMessage"]
    assert deps.nudges.unfinished_work() == []


def test_a_failure_while_recording_before_the_ack_leaves_nothing_and_the_retry_works(
    deps, standin, settings, monkeypatch
):
    verdict = _scanned_report(deps, standin, settings)

    def broken(**claim):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(deps.nudges, "claim", broken)
    with pytest.raises(sqlite3.OperationalError):
        record_now(deps, verdict, known_members(deps, verdict), "Ev1", 1500)
    assert _claims(deps) == []  # not even the event: Slack's retry gets a fresh chance
    assert deps.storage.db.execute("SELECT count(*) FROM scans").fetchone() == (0,)
    monkeypatch.undo()
    outgoing = record_now(deps, verdict, known_members(deps, verdict), "Ev1", 1500)
    assert outgoing is not None and len(outgoing.tips) == 1
