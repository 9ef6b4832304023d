"""Reply suggestions end to end: events in, private tips out, through the real HTTP path."""

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.detection import encoder
from bot.nudges import scan
from bot.nudges.scan import is_scannable
from bot.sandbox.personas import ANNA, BRAM, CHANNEL, SANNE, TEAM
from bot.sandbox.shared import SLACK_FIXTURES
from bot.sandbox.simulator import message_event
from bot.sandbox.standin import BOT_USER_ID
from bot.sandbox.transcript import all_text
from bot.ui import ids

REPORT = "oeps, ik heb de verkeerde prijslijst naar de klant gestuurd 🙈"


@pytest.fixture
def team(deps, standin, sim):
    """The app with a leader (Sanne) in a channel where Anna and Bram also are."""
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    standin.members[CHANNEL] = [ANNA, BRAM, SANNE, BOT_USER_ID]
    return sim


_ts = iter(range(1, 10_000))


def message(user, text, thread_ts=None, **extra):
    ts = f"1763888{next(_ts):03d}.000100"
    channel = extra.pop("channel", CHANNEL)
    return message_event(user, channel, text, ts, thread_ts, **extra)


def tips(standin):
    """What the leaders were shown (by Slack's delivery rules), not what the app sent."""
    return standin.seen_by()


@pytest.fixture
def settle(app, standin, quiet):
    """Wait until `count` tips were seen, or until the app has handled everything."""

    def wait(count=None):
        if count:
            return standin.wait_seen(count)
        quiet(app)
        return tips(standin)

    return wait


def test_a_mistake_report_gets_a_private_tip_to_the_leader_only(team, standin, deps, settle):
    event = message(ANNA, REPORT)
    assert team.send_event(event).status == 200
    seen = settle(1)[0]
    tip = seen.args
    assert (seen.user, seen.method, seen.channel) == (SANNE, "chat.postMessage", "D0SANNE")
    text = all_text(tip)
    assert "<@U0ANNA> meldt een fout in <#C0TEAM>" in text
    assert f"/archives/{CHANNEL}/p{event['ts'].replace('.', '')}|bekijk het bericht>" in text
    assert "Dank je dat je dit meteen laat weten" in text  # thanks first ...
    assert "?" in text.split("Dank je")[1]  # ... then a question
    assert "verkeerde" in text  # the cue, so the tip explains itself
    action_ids = {
        e["action_id"] for b in tip["blocks"] if b["type"] == "actions" for e in b["elements"]
    }
    assert action_ids == {
        ids.ACTION_NUDGE_DONE,
        ids.ACTION_NUDGE_OTHER,
        ids.ACTION_NUDGE_FALSE,
        ids.ACTION_NUDGE_LATER,
        ids.ACTION_NUDGE_WHY,
    }
    # nothing public: the channel holds only Anna's own message
    assert [m["ts"] for m in standin.history[CHANNEL]] == [event["ts"]]
    assert standin.calls_to("response_url") == []


def test_no_scanned_text_and_no_reporter_is_stored(team, standin, deps, settle):
    """A detected report keeps channel, ts, kind and score: not its words, not who wrote it.
    The tip named Anna while it was sent; once it is done, nothing in the database does (the
    work item that carried her id between the ack and the tip is emptied)."""
    team.send_event(message(ANNA, REPORT + " geheimwoord42"))
    tip = settle(1)[0].args
    assert "<@U0ANNA>" in all_text(tip)
    settle()
    assert deps.nudges.unfinished_work() == []
    dump = "\n".join(deps.storage.db.iterdump())
    assert "geheimwoord42" not in dump and "prijslijst" not in dump
    assert ANNA not in dump
    scan = next(deps.storage.db["scans"].rows)
    assert scan["kind"] == "preventable" and set(scan) == {
        "team_id",
        "channel_id",
        "ts",
        "thread_ts",
        "kind",
        "score",
        "cue_category",
        "false_positive",
        "created_at",
    }


def test_ordinary_chat_stays_quiet(team, standin, deps, settle):
    team.send_event(message(ANNA, "goedemorgen! wie gaat er mee lunchen?"))
    team.send_event(message(ANNA, "wat betekent foutmelding 502?"))
    assert settle() == []
    assert deps.storage.db["scans"].count == 0


def test_english_report_gets_an_english_tip(team, standin, settle):
    team.send_event(message(BRAM, "my bad, I pushed to main instead of my branch"))
    tip = settle(1)[0].args
    assert "reports a mistake" in all_text(tip) and "Thanks" in all_text(tip)


def test_a_retry_of_a_handled_event_does_nothing(team, standin, settle):
    event = message(ANNA, REPORT)
    team.send_event(event, event_id="Ev0RETRY1")
    settle(1)
    reply = team.send(
        json.dumps(
            {
                "token": "t",
                "team_id": TEAM,
                "api_app_id": "A0LEERZONE",
                "event": event,
                "type": "event_callback",
                "event_id": "Ev0RETRY1",
                "event_time": 1,
            }
        ),
        "application/json",
        {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert reply.status == 200
    assert len(settle()) == 1


def test_a_retry_of_a_failed_event_is_handled(team, standin, monkeypatch, settle, caplog):
    real = scan.detect
    calls = {"n": 0}

    def flaky(text, hint=None):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("database hiccup")
        return real(text, hint)

    monkeypatch.setattr(scan, "detect", flaky)
    event = message(ANNA, REPORT)
    team.send_event(event, event_id="Ev0FLAKY1")
    settle()
    assert tips(standin) == []
    # the failure in the scan reached app.error, traceback and all; nobody was told
    failed = [r for r in caplog.records if r.getMessage() == "unhandled error in a listener"]
    assert len(failed) == 1 and "database hiccup" in failed[0].exc_text
    assert standin.calls_to("response_url") == standin.calls_to("chat.postMessage") == []
    team.send_event(event, event_id="Ev0FLAKY1")  # Slack's retry
    assert len(settle(1)) == 1


def test_ack_is_fast_even_when_slack_is_slow(team, standin, settle):
    standin.delays["conversations.members"] = 2.0  # Slack slow on the first call after the ack
    start = time.monotonic()
    assert team.send_event(message(ANNA, REPORT)).status == 200
    assert time.monotonic() - start < 1.0
    settle(1)


def test_one_tip_per_leader_per_thread(team, standin, settle):
    first = message(ANNA, REPORT)
    team.send_event(first)
    settle(1)
    team.send_event(message(BRAM, "ik ben ook vergeten de klant te bellen", first["ts"]))
    assert len(settle()) == 1


def test_daily_cap_and_a_new_day(team, standin, clock, settings, settle):
    for _ in range(settings.daily_nudges + 2):
        team.send_event(message(ANNA, REPORT))
    settle()
    assert len(tips(standin)) == settings.daily_nudges
    clock.now += timedelta(days=1)
    team.send_event(message(ANNA, REPORT))
    assert len(settle(settings.daily_nudges + 1)) == settings.daily_nudges + 1


def test_leader_not_in_channel_and_reporter_leader(team, standin, deps, settle):
    standin.members[CHANNEL] = [ANNA, BRAM]  # Sanne left the channel
    team.send_event(message(ANNA, REPORT))
    assert settle() == []


def test_a_leader_reporting_a_mistake_is_thanked_not_nudged_at_most_weekly(
    team, standin, clock, settle
):
    team.send_event(message(SANNE, "sorry team, ik ben de deadline van de aanvraag vergeten"))
    note = settle(1)[0]
    assert note.user == SANNE and "sterkste" in all_text(note.args)
    team.send_event(message(SANNE, "en ik heb ook de verkeerde bijlage gestuurd"))
    assert len(settle()) == 1
    clock.now += timedelta(days=8)
    team.send_event(message(SANNE, "ik heb de planning verkeerd ingeschat"))
    assert len(settle(2)) == 2


@pytest.mark.parametrize(
    "event",
    [
        message(BRAM, REPORT, bot_id="B0OTHER"),
        message(BRAM, REPORT, subtype="bot_message"),
        message(BRAM, REPORT, subtype="message_changed"),
        message(BRAM, REPORT, subtype="channel_join"),
        message(BRAM, REPORT, channel_type="im", channel="D0BRAM"),
        message(BOT_USER_ID, REPORT),
    ],
    ids=["other-bot", "bot_message", "edit", "join", "dm", "own"],
)
def test_ignored_messages(team, standin, event, settle):
    assert team.send_event(event).status == 200
    assert settle() == []


def test_thread_broadcast_is_scanned(team, standin, deps, settle):
    team.send_event(message(ANNA, REPORT, subtype="thread_broadcast", thread_ts="1763888000.1"))
    assert settle(1)[0].user == SANNE
    assert deps.storage.db["nudges"].get(1)["thread_ts"] == "1763888000.1"


def _click(team, tip, action_id, user=SANNE):
    return team.click(user, "D0SANNE", tip, action_id)


def test_buttons(team, standin, deps, clock, settle):
    team.send_event(message(ANNA, REPORT))
    tip = settle(1)[0].args
    # another suggestion replaces the tip with a different text, same cue
    _click(team, tip, ids.ACTION_NUDGE_OTHER)
    other = standin.wait_calls("response_url")[0].args
    assert other["replace_original"] is True
    assert all_text(other) != all_text(tip) and "verkeerde" in all_text(other)
    # why am I seeing this
    _click(team, tip, ids.ACTION_NUDGE_WHY)
    why = standin.wait_calls("response_url", 2)[1].args
    assert "Waarom zie ik dit?" in all_text(why) and not why.get("replace_original")
    # done
    _click(team, tip, ids.ACTION_NUDGE_DONE)
    done = standin.wait_calls("response_url", 3)[2].args
    assert "Mooi dat je" in all_text(done)
    assert deps.storage.db["nudges"].get(1)["status"] == "done"


def test_false_positive_is_stored_and_never_nudged_again(team, standin, deps, settle):
    event = message(ANNA, REPORT)
    team.send_event(event)
    tip = settle(1)[0].args
    _click(team, tip, ids.ACTION_NUDGE_FALSE)
    assert "geen melding van een fout" in all_text(standin.wait_calls("response_url")[0].args)
    assert next(deps.storage.db["scans"].rows)["false_positive"] == 1
    deps.storage.db.execute(
        "DELETE FROM nudges"
    )  # even with the per-thread limit out of the way...
    deps.storage.db.conn.commit()
    team.send_event(event)  # ... the same message (a new delivery) is not nudged again
    assert len(settle()) == 1


def test_not_now_mutes_for_24_hours(team, standin, clock, settle):
    team.send_event(message(ANNA, REPORT))
    tip = settle(1)[0].args
    _click(team, tip, ids.ACTION_NUDGE_LATER)
    assert "24 uur" in all_text(standin.wait_calls("response_url")[0].args)
    team.send_event(message(ANNA, REPORT))
    assert len(settle()) == 1
    clock.now += timedelta(hours=25)
    team.send_event(message(ANNA, REPORT))
    assert len(settle(2)) == 2


def test_someone_elses_tip_buttons_do_nothing(team, standin, deps, settle):
    team.send_event(message(ANNA, REPORT))
    tip = settle(1)[0].args
    _click(team, tip, ids.ACTION_NUDGE_FALSE, user=BRAM)
    standin.wait_calls("response_url")
    assert next(deps.storage.db["scans"].rows)["false_positive"] == 0


def test_blame_reply_from_a_leader_gets_a_private_reframe(team, standin, settle):
    report = message(ANNA, REPORT)
    team.send_event(report)
    settle(1)
    team.send_event(
        message(SANNE, "waarom heb je dat niet eerst gecheckt?", report["ts"], parent_user_id=ANNA)
    )
    reframe = settle(2)[1]
    assert reframe.user == SANNE
    text = all_text(reframe.args)
    assert "waarom heb je" in text and "Wat heb je ervan geleerd" in text
    assert "in <#C0TEAM>" in text


def test_a_reproach_only_the_model_reads_gets_a_reframe_and_leaves_no_trace(
    team, standin, deps, settle
):
    """No rule matches this reply; the blame model (sentence encoder, on this machine) reads
    it as a reproach. The tip quotes its most reproachful sentence to the leader alone, and
    neither the reply nor anything made of it is stored."""
    report = message(ANNA, REPORT)
    team.send_event(report)
    settle(1)
    encoder.warm_up().join(timeout=30)  # a leader replies after reading the tip: loaded by then
    reply = "You never check anything before you push, do you?"
    team.send_event(message(SANNE, reply, report["ts"], parent_user_id=ANNA))
    reframe = settle(2)[1]
    assert reframe.user == SANNE and reframe.method in ("chat.postMessage", "chat.postEphemeral")
    assert "you never check anything before you push, do you?" in all_text(reframe.args)
    dump = "\n".join(deps.storage.db.iterdump())
    assert "never check" not in dump and "before you push" not in dump


def test_why_questions_in_other_threads_are_not_blame(team, standin, settle):
    """A reviewer asking why in a code discussion is not blaming anyone."""
    question = message(BRAM, "ik heb een PR voor de importer klaargezet")
    team.send_event(question)
    team.send_event(
        message(SANNE, "waarom heb je hier een dict gekozen?", question["ts"], parent_user_id=BRAM)
    )
    assert settle() == []


def test_blame_from_a_non_leader_is_left_alone(team, standin, settle):
    team.send_event(message(BRAM, "waarom heb je dat gedaan?", "1763888000.5"))
    assert settle() == []


@pytest.mark.parametrize(
    "method, error",
    [
        ("conversations.open", "user_not_found"),
        ("chat.postMessage", "channel_not_found"),
        ("chat.postMessage", "is_archived"),
    ],
)
def test_an_undelivered_tip_waits_in_home_and_does_not_count(
    team, standin, deps, method, error, caplog, settle
):
    standin.fail(method, error)
    team.send_event(message(ANNA, REPORT))
    standin.wait_calls(method)
    assert settle() == []
    row = deps.storage.db["nudges"].get(1)
    assert (row["status"], row["delivered_via"]) == ("home", "home")
    assert any(error in r.getMessage() for r in caplog.records)
    assert deps.nudges.count_since(TEAM, SANNE, deps.start_of_day(), ("suggestion",)) == 1
    assert deps.nudges.open_for(TEAM, SANNE, deps.start_of_day())[0].id == 1


def test_ratelimited_tip_is_retried(team, standin, deps, settle):
    standin.fail("chat.postMessage", "ratelimited", status=429, headers={"Retry-After": "1"})
    team.send_event(message(ANNA, REPORT))
    settle(1)
    settle()
    assert len(standin.calls_to("chat.postMessage")) == 2
    assert deps.storage.db["nudges"].get(1)["status"] == "sent"


RECORDED = (
    sorted(
        p
        for p in (SLACK_FIXTURES / "events").glob("**/*.json")
        if "schemas" not in p.parts and "slack-api-ref" not in p.parts
    )
    if SLACK_FIXTURES.exists()
    else []
)


@pytest.mark.skipif(not RECORDED, reason=f"Slack fixtures not found at {SLACK_FIXTURES}")
def test_every_recorded_event_is_handled_or_ignored_without_error(team, standin, caplog, settle):
    sent = 0
    for path in RECORDED:
        body = json.loads(path.read_text())
        if "payload" in body and isinstance(body["payload"], dict):
            body = body["payload"]  # socket-mode envelopes carry the HTTP body here
        if body.get("type") != "event_callback":
            continue
        reply = team.send(json.dumps(body), "application/json")
        assert reply.status == 200, (path.name, reply.status)
        sent += 1
    settle()
    assert sent >= 15
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    assert tips(standin) == []  # none of the recorded messages reports a mistake


def test_is_scannable_on_recorded_shapes():
    def load(name):
        path = SLACK_FIXTURES / "events" / name
        if not path.exists():
            pytest.skip(f"Slack fixtures not found at {SLACK_FIXTURES}")
        return json.loads(path.read_text())["event"]

    assert is_scannable(load("bolt-python-tests/message_plain_user.json"), "U0BOT")
    assert is_scannable(load("bolt-python-tests/message_subtype_thread_broadcast.json"), "U0BOT")
    assert not is_scannable(load("bolt-python-tests/message_subtype_bot_message.json"), "U0BOT")
    assert not is_scannable(load("bolt-python-tests/message_subtype_message_changed.json"), "x")
    assert not is_scannable(load("bolt-python-tests/message_subtype_message_deleted.json"), "x")
    assert not is_scannable(load("recorded-mercury-slack-web/message_im.json"), "x")
    own = load("recorded-mercury-slack-web/message_own_bot_reply_in_thread.json")
    assert not is_scannable(own, own.get("user"))
    join = load("recorded-mercury-slack-web/message_subtype_channel_join.json")
    assert not is_scannable(join, "x")


def test_ordinary_chat_writes_nothing_and_old_event_claims_are_forgotten(
    team, standin, deps, settle
):
    for n in range(5):
        team.send_event(message(BRAM, f"zullen we om {n} uur lunchen?"))
    team.send_event(message(ANNA, REPORT))
    settle(1)
    assert deps.storage.db["event_claims"].count == 1  # only the report was claimed
    later = datetime.now(UTC) + timedelta(days=2)
    assert deps.storage.db["event_claims"].count == 1
    assert deps.nudges.forget_events(later - timedelta(days=1)) == 1
    assert deps.storage.db["event_claims"].count == 0


def test_a_second_report_in_a_channel_is_recorded_whole_before_its_ack(
    team, standin, deps, settle, monkeypatch
):
    """The first report's tips depend on the channel's members, which Slack is not asked
    for before an ack: it is claimed with a work item and the pool asks. The second, within
    five minutes, needs no call to Slack: its event is claimed as done with everything else
    before the ack, and no work item is ever written."""
    claims = []
    real = deps.nudges.claim_event

    def spy(event_id, team_id, now=None, work=None, wait_ms=None, *, done=False):
        claims.append((event_id, work is not None, done))
        return real(event_id, team_id, now, work, wait_ms, done=done)

    monkeypatch.setattr(deps.nudges, "claim_event", spy)
    team.send_event(message(ANNA, REPORT), event_id="Ev0FIRST")
    settle(1)
    assert len(standin.calls_to("conversations.members")) == 1
    team.send_event(
        message(BRAM, "sorry, ik was vergeten de backup te controleren"), event_id="Ev0SECOND"
    )
    assert len(settle(2)) == 2
    assert claims == [("Ev0FIRST", True, False), ("Ev0SECOND", False, True)]
    assert len(standin.calls_to("conversations.members")) == 1
    assert deps.nudges.unfinished_work() == []
    assert deps.storage.db.execute(
        "SELECT count(*) FROM event_claims WHERE status = 'done' AND work IS NULL"
    ).fetchone() == (2,)


def test_a_leader_on_the_last_page_of_a_big_channel_gets_the_tip(team, standin, settle):
    """Slack hands a channel's members out a page at a time, and may give fewer than asked:
    the leader listed last is found all the same."""
    crowd = [f"U0CROWD{n:03d}" for n in range(9)]
    standin.members[CHANNEL] = [ANNA, BRAM, *crowd, BOT_USER_ID, SANNE]
    standin.page_max = 4
    team.send_event(message(ANNA, REPORT))
    assert [seen.user for seen in settle(1)] == [SANNE]
    assert len(standin.calls_to("conversations.members")) == 4


def _member_event(team, kind, user):
    event = {"type": kind, "user": user, "channel": CHANNEL, "channel_type": "C", "team": TEAM}
    assert team.send_event(event).status == 200


def test_a_leader_who_leaves_the_channel_gets_no_tip_from_the_next_message_on(
    team, standin, settle, app, quiet
):
    """Slack says who left (member_left_channel): the remembered member list goes at once,
    so the next report asks Slack again instead of trusting a list up to five minutes old."""
    team.send_event(message(ANNA, REPORT))
    assert [seen.user for seen in settle(1)] == [SANNE]
    standin.members[CHANNEL] = [ANNA, BRAM, BOT_USER_ID]  # Sanne leaves the channel
    _member_event(team, "member_left_channel", SANNE)
    quiet(app)
    team.send_event(message(BRAM, "sorry, ik was vergeten de backup te controleren"))
    assert len(settle()) == 1  # still only the first tip
    assert len(standin.calls_to("conversations.members")) == 2
    standin.members[CHANNEL] = [ANNA, BRAM, SANNE, BOT_USER_ID]  # and she comes back
    _member_event(team, "member_joined_channel", SANNE)
    quiet(app)
    team.send_event(message(ANNA, "oeps, ik heb de oude planning rondgestuurd"))
    assert [seen.user for seen in settle(2)] == [SANNE, SANNE]
