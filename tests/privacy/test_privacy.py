"""Export, forget-me and retention: a person's data rights, through the real protocol."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.privacy.data_rights import export_user, forget_user
from bot.privacy.retention import purge_older_than
from bot.sandbox.personas import ANNA, BRAM, CHANNEL, SANNE, TEAM
from bot.sandbox.standin import FILE_UPLOAD
from bot.sandbox.transcript import all_text
from bot.team_prompts.rotation import Schedule
from bot.ui import ids


def seed(deps, user):
    """Rows about `user` in every role: author, leader, reporter, setter of settings."""
    f = deps.failures.add(
        team_id=TEAM,
        user_id=user,
        channel_id=CHANNEL,
        text=f"fout van {user}",
        kind="preventable",
        lesson="les",
    )
    nudges = deps.nudges
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
    deps.channels.set_leaders(TEAM, CHANNEL, [user, SANNE], by=user)
    deps.prompts.set_schedule(TEAM, CHANNEL, Schedule(), by=user)
    deps.prompts.invite_once(TEAM, CHANNEL, "slot", user)
    deps.prompts.digest_once(TEAM, user, "2026-W48")
    deps.storage.db["user_prefs"].insert(
        {
            "team_id": TEAM,
            "user_id": user,
            "language": "nl",
            "lesson_reminders": 1,
            "updated_at": "x",
        }
    )
    deps.storage.db["lesson_asks"].insert(
        {
            "failure_id": f.id,
            "team_id": TEAM,
            "user_id": user,
            "status": "asked",
            "asked_at": "2026-11-01T00:00:00+00:00",
        }
    )
    return f


def test_export_sends_my_data_as_a_file_in_a_dm(talk, standin, deps):
    seed(deps, ANNA)
    deps.failures.add(
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


def test_forget_me_needs_confirmation_and_then_leaves_nothing(talk, sim, standin, deps):
    seed(deps, ANNA)
    seed(deps, BRAM)
    question = talk.fout(ANNA, "vergeet-mij")
    yes = next(
        e
        for b in question["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == ids.ACTION_FORGET_YES
    )
    assert yes["style"] == "danger" and "confirm" in yes
    assert deps.failures.count(TEAM, ANNA) == 1  # nothing happens before the click
    done = talk.click(ANNA, question, ids.ACTION_FORGET_YES)
    assert "Gewist: 1 melding" in all_text(done) and done["replace_original"]
    assert ANNA not in "\n".join(deps.storage.db.iterdump())
    # Bram's data is untouched, and Sanne is still a leader
    assert deps.failures.count(TEAM, BRAM) == 1
    assert deps.channels.get(TEAM, CHANNEL).leaders == (BRAM, SANNE)


def test_forget_me_cancel_deletes_nothing(talk, deps):
    seed(deps, ANNA)
    question = talk.fout(ANNA, "forget-me")
    assert "niets gewist" in all_text(talk.click(ANNA, question, ids.ACTION_FORGET_NO))
    assert deps.failures.count(TEAM, ANNA) == 1


def test_forget_is_scoped_to_one_workspace(deps):
    seed(deps, ANNA)
    deps.failures.add(
        team_id="T0OTHER", user_id=ANNA, channel_id="C9", text="elders", kind="preventable"
    )
    counts = forget_user(deps, TEAM, ANNA)
    assert counts["failures"] == 1 and counts["leaderships"] == 1
    assert deps.failures.count("T0OTHER", ANNA) == 1
    assert export_user(deps, TEAM, ANNA)["failures"] == []


def test_retention_purges_old_rows_only(deps):
    old = seed(deps, ANNA)
    new = deps.failures.add(
        team_id=TEAM, user_id=BRAM, channel_id=CHANNEL, text="nieuw", kind="preventable"
    )
    deps.storage.db.execute(
        "UPDATE failures SET created_at = '2025-01-01T00:00:00+00:00' WHERE id = ?", [old.id]
    )
    deps.storage.db.conn.commit()
    counts = purge_older_than(deps, datetime(2025, 11, 23, tzinfo=UTC))
    assert counts["failures"] == 1 and counts["lesson_asks"] == 0  # that ask is recent
    assert deps.failures.get(TEAM, old.id) is None
    assert deps.failures.get(TEAM, new.id) is not None


def test_the_nightly_job_purges_by_the_retention_setting(settings, storage, deps, app):
    from dataclasses import replace as with_

    from bot.app import build_deps
    from bot.jobs import BackgroundJobs

    old = deps.failures.add(
        team_id=TEAM, user_id=ANNA, channel_id=CHANNEL, text="oud", kind="preventable"
    )
    deps.storage.db.execute("UPDATE failures SET created_at = '2026-01-01T00:00:00+00:00'")
    deps.storage.db.conn.commit()
    clock = datetime(2026, 11, 23, 3, 15, tzinfo=UTC)
    deps = build_deps(with_(settings, retention_days=400), storage, now=lambda: clock)
    BackgroundJobs(deps, app.client).purge()
    assert deps.failures.get(TEAM, old.id) is not None  # 326 days: within 400
    deps = build_deps(with_(settings, retention_days=300), storage, now=lambda: clock)
    BackgroundJobs(deps, app.client).purge()
    assert deps.failures.get(TEAM, old.id) is None


def test_forgotten_text_is_gone_from_the_database_files(deps, settings):
    """Not only from the tables: from the file, its write-ahead log and shared memory too."""
    secret = "geheim-zinnetje-4711"
    deps.failures.add(team_id=TEAM, user_id=ANNA, channel_id=CHANNEL, text=secret, kind="complex")
    mine = deps.failures.add(
        team_id=TEAM, user_id=BRAM, channel_id=CHANNEL, text=secret + "-b", kind="complex"
    )
    forget_user(deps, TEAM, ANNA)
    deps.failures.delete(TEAM, BRAM, mine.id)  # /fout wis
    files = [Path(settings.db_path + suffix) for suffix in ("", "-wal", "-shm")]
    for path in files:
        if path.exists():
            assert secret.encode() not in path.read_bytes(), path.name
