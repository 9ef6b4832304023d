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
    """Rows about `user` in every role: author, leader, setter of settings. (A report the
    bot recognised in a channel names nobody: the scan and the tip keep no reporter.)"""
    f = deps.failures.add(
        team_id=TEAM,
        user_id=user,
        channel_id=CHANNEL,
        text=f"fout van {user}",
        kind="preventable",
        lesson="les",
    )
    nudges = deps.nudges
    number = sorted((ANNA, BRAM, SANNE)).index(user)  # message ts are numbers, not ids
    nudges.record_scan(
        team_id=TEAM,
        channel_id=CHANNEL,
        ts=f"1.{number}",
        thread_ts=f"1.{number}",
        kind="complex",
        score=0.9,
        cue_category="slip",
    )
    other = BRAM if user != BRAM else ANNA
    for leader in (user, other):
        nudges.claim(
            team_id=TEAM,
            channel_id=CHANNEL,
            thread_ts=f"2.{number}{leader == user}",
            message_ts="2",
            leader_id=leader,
            purpose="suggestion",
            kind="complex",
        )
    nudges.mute(TEAM, CHANNEL, user, datetime.now(UTC) + timedelta(hours=1))
    deps.reviews.create(
        team_id=TEAM, channel_id=CHANNEL, thread_ts=f"3.{number}", author_id=user, failure_id=f.id
    )
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
    assert [tip["leader_id"] for tip in data["nudges"]] == [ANNA]
    assert "scans" not in data  # a recognised report names nobody, so there is nothing to show
    complete = standin.calls_to("files.completeUploadExternal")[0].args
    assert complete["channel_id"] == "D0ANNA"
    assert "1 melding" in complete["initial_comment"]


def test_the_export_holds_every_row_that_names_the_person(deps):
    """Complete by construction, checked from the other side: every row of every table in
    which Anna's id appears, in any column, is in her export, and nothing of Bram's is."""
    seed(deps, ANNA)
    seed(deps, BRAM)
    data = export_user(deps, TEAM, ANNA)
    db = deps.storage.db
    for table in db.table_names():
        naming = [row for row in db[table].rows if ANNA in json.dumps(row)]
        exported = data.get(table, [])
        for row in naming:
            assert row in exported, f"{table} row naming Anna is not in her export: {row}"
        if table != "channels":  # the channel row names both leaders
            assert not any(BRAM in json.dumps(row) for row in exported), table


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


def test_forget_me_takes_shared_cards_down_and_says_so(talk, sim, standin, deps):
    msg = talk.fout(ANNA, "verkeerde offerte verstuurd")
    choice = talk.click(ANNA, msg, ids.ACTION_SHARE)
    talk.click(ANNA, choice, ids.ACTION_SHARE_NAMED)
    standin.wait_calls("chat.postMessage")
    assert len(standin.history[CHANNEL]) == 1
    talk.fout(ANNA, "verkeerde planning gedeeld")  # not shared: nothing to take down
    question = talk.fout(ANNA, "vergeet-mij")
    done = all_text(talk.click(ANNA, question, ids.ACTION_FORGET_YES))
    assert "Gewist: 2 meldingen" in done and "1 gedeelde kaart is uit de kanalen gehaald" in done
    assert standin.history[CHANNEL] == []
    assert ANNA not in "\n".join(deps.storage.db.iterdump())


def test_a_card_slack_will_not_delete_is_reported_not_hidden(talk, sim, standin, deps):
    msg = talk.fout(ANNA, "verkeerde offerte verstuurd")
    choice = talk.click(ANNA, msg, ids.ACTION_SHARE)
    talk.click(ANNA, choice, ids.ACTION_SHARE_NAMED)
    standin.wait_calls("chat.postMessage")
    standin.fail("chat.delete", "compliance_exports_prevent_deletion")
    question = talk.fout(ANNA, "vergeet-mij")
    done = all_text(talk.click(ANNA, question, ids.ACTION_FORGET_YES))
    assert "1 gedeelde kaart kon ik niet weghalen" in done
    assert deps.failures.count(TEAM, ANNA) == 0  # the data is gone all the same
