"""Export, forget-me and retention: a person's data rights, through the real protocol."""

import json
from datetime import UTC, datetime, timedelta

from bot.nudges.store import Nudges
from bot.privacy.data_rights import export_user, forget_user, purge_older_than
from bot.sandbox.standin import FILE_UPLOAD
from bot.team_prompts.rotation import Schedule
from bot.team_prompts.store import PromptStore
from bot.ui import views
from tests.conftest import ANNA, BRAM, CHANNEL, SANNE, TEAM, all_text


def seed(store, user):
    """Rows about `user` in every role: author, leader, reporter, setter of settings."""
    f = store.add_failure(
        team_id=TEAM,
        user_id=user,
        channel_id=CHANNEL,
        text=f"fout van {user}",
        kind="preventable",
        lesson="les",
    )
    nudges = Nudges(store)
    nudges.record_scan(
        team_id=TEAM,
        channel_id=CHANNEL,
        ts=f"1.{user}",
        thread_ts=f"1.{user}",
        user_id=user,
        kind="complex",
        score=0.9,
        cue_category="slip",
    )
    other = BRAM if user != BRAM else ANNA
    for leader, author in ((user, other), (other, user)):
        nudges.claim(
            team_id=TEAM,
            channel_id=CHANNEL,
            thread_ts=f"2.{leader}",
            message_ts="2",
            leader_id=leader,
            author_id=author,
            purpose="suggestion",
            kind="complex",
        )
    nudges.mute(TEAM, CHANNEL, user, datetime.now(UTC) + timedelta(hours=1))
    store.set_leaders(TEAM, CHANNEL, [user, SANNE], by=user)
    PromptStore(store).set_schedule(TEAM, CHANNEL, Schedule(), by=user)
    PromptStore(store).invite_once(TEAM, CHANNEL, "slot", user)
    PromptStore(store).digest_once(TEAM, user, "2026-W48")
    store.db["user_prefs"].insert(
        {
            "team_id": TEAM,
            "user_id": user,
            "language": "nl",
            "lesson_reminders": 1,
            "updated_at": "x",
        }
    )
    store.db["lesson_asks"].insert(
        {
            "failure_id": f.id,
            "team_id": TEAM,
            "user_id": user,
            "status": "asked",
            "asked_at": "2026-11-01T00:00:00+00:00",
        }
    )
    return f


def test_export_sends_my_data_as_a_file_in_a_dm(talk, standin, store):
    seed(store, ANNA)
    store.add_failure(
        team_id=TEAM, user_id=BRAM, channel_id=CHANNEL, text="van bram", kind="complex"
    )
    answer = talk.fout(ANNA, "export")
    assert "privéberichten" in all_text(answer)
    upload = standin.calls_to(FILE_UPLOAD)[0].args
    data = json.loads(upload["content"])
    assert [f["text"] for f in data["failures"]] == ["fout van U0ANNA"]
    assert "van bram" not in upload["content"]
    assert data["channels_you_lead"] == [CHANNEL]
    assert len(data["tips_received_as_leader"]) == 1
    scans = data["your_messages_recognised_as_mistake_reports"]
    assert scans[0]["kind"] == "complex" and "text" not in scans[0]
    complete = standin.calls_to("files.completeUploadExternal")[0].args
    assert complete["channel_id"] == "D0ANNA"
    assert "1 melding" in complete["initial_comment"]


def test_export_failure_is_explained(talk, standin):
    standin.fail("files.getUploadURLExternal", "not_allowed_token_type")
    assert "lukte niet" in all_text(talk.fout(ANNA, "export"))


def test_forget_me_needs_confirmation_and_then_leaves_nothing(talk, sim, standin, store):
    seed(store, ANNA)
    seed(store, BRAM)
    question = talk.fout(ANNA, "vergeet-mij")
    yes = next(
        e
        for b in question["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == views.ACTION_FORGET_YES
    )
    assert yes["style"] == "danger" and "confirm" in yes
    assert store.count_failures(TEAM, ANNA) == 1  # nothing happens before the click
    done = talk.click(ANNA, question, views.ACTION_FORGET_YES)
    assert "Gewist: 1 melding" in all_text(done) and done["replace_original"]
    assert ANNA not in "\n".join(store.db.iterdump())
    # Bram's data is untouched, and Sanne is still a leader
    assert store.count_failures(TEAM, BRAM) == 1
    assert store.channel(TEAM, CHANNEL).leaders == (BRAM, SANNE)


def test_forget_me_cancel_deletes_nothing(talk, store):
    seed(store, ANNA)
    question = talk.fout(ANNA, "forget-me")
    assert "niets gewist" in all_text(talk.click(ANNA, question, views.ACTION_FORGET_NO))
    assert store.count_failures(TEAM, ANNA) == 1


def test_forget_is_scoped_to_one_workspace(store):
    seed(store, ANNA)
    store.add_failure(
        team_id="T0OTHER", user_id=ANNA, channel_id="C9", text="elders", kind="preventable"
    )
    counts = forget_user(store, TEAM, ANNA)
    assert counts["failures"] == 1 and counts["leaderships"] == 1
    assert store.count_failures("T0OTHER", ANNA) == 1
    assert export_user(store, TEAM, ANNA)["failures"] == []


def test_retention_purges_old_rows_only(store):
    old = seed(store, ANNA)
    new = store.add_failure(
        team_id=TEAM, user_id=BRAM, channel_id=CHANNEL, text="nieuw", kind="preventable"
    )
    store.db.execute(
        "UPDATE failures SET created_at = '2025-01-01T00:00:00+00:00' WHERE id = ?", [old.id]
    )
    store.db.conn.commit()
    counts = purge_older_than(store, datetime(2025, 11, 23, tzinfo=UTC))
    assert counts["failures"] == 1 and counts["lesson_asks"] == 0  # that ask is recent
    assert store.get_failure(TEAM, old.id) is None
    assert store.get_failure(TEAM, new.id) is not None


def test_the_nightly_job_purges_by_the_retention_setting(settings, store, app):
    from dataclasses import replace as with_

    from bot.app import build_deps
    from bot.jobs import PromptScheduler

    old = store.add_failure(
        team_id=TEAM, user_id=ANNA, channel_id=CHANNEL, text="oud", kind="preventable"
    )
    store.db.execute("UPDATE failures SET created_at = '2026-01-01T00:00:00+00:00'")
    store.db.conn.commit()
    clock = datetime(2026, 11, 23, 3, 15, tzinfo=UTC)
    deps = build_deps(with_(settings, retention_days=400), store, now=lambda: clock)
    PromptScheduler(deps, app.client).purge()
    assert store.get_failure(TEAM, old.id) is not None  # 326 days: within 400
    deps = build_deps(with_(settings, retention_days=300), store, now=lambda: clock)
    PromptScheduler(deps, app.client).purge()
    assert store.get_failure(TEAM, old.id) is None
