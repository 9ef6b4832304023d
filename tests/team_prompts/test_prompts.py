"""Scheduled prompts: /fout schema, posting exactly once, catch-up, leaders first, digest."""

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import build_deps
from bot.insights.digest import send_digests
from bot.jobs import BackgroundJobs, job_id
from bot.sandbox.personas import ANNA, CHANNEL, SANNE, TEAM
from bot.sandbox.standin import BOT_USER_ID
from bot.sandbox.transcript import all_text
from bot.storage.database import Storage
from bot.team_prompts.posting import invite_leaders_first, post_due_prompts
from bot.team_prompts.rotation import Schedule
from bot.ui import ids, prompt_views
from bot.ui.texts import Texts

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY_0930 = datetime(2026, 11, 30, 9, 30, tzinfo=AMS)
NO_SLEEP = lambda seconds: None  # noqa: E731 - backoff without waiting in tests


@pytest.fixture
def deps(settings, storage, scheduled):
    deps = build_deps(settings, storage, now=lambda: datetime(2026, 11, 23, 12, tzinfo=AMS))
    scheduled(deps)
    return deps


@pytest.fixture
def client(app):
    return app.client


def posts(standin):
    return [c for c in standin.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]


def test_a_due_slot_is_posted_once(deps, client, standin, rotate_to):
    rotate_to(deps, "share_own__01")
    first = post_due_prompts(deps, client, MONDAY_0930, sleep=NO_SLEEP)
    assert [o.status for o in first] == ["posted"]
    message = posts(standin)[0].args
    assert ids.ACTION_PROMPT_SHARE in json.dumps(message["blocks"])
    assert "Waarom:" in all_text(message)
    again = post_due_prompts(deps, client, MONDAY_0930 + timedelta(minutes=5), sleep=NO_SLEEP)
    assert [o.status for o in again] == ["already"]
    assert len(posts(standin)) == 1
    row = deps.prompts.slot(TEAM, CHANNEL, "2026-11-30T09:30+01:00")
    assert row["status"] == "posted" and row["ts"] and row["attempts"] == 1


def test_a_moment_that_is_no_slot_posts_nothing(deps, client, standin):
    assert post_due_prompts(deps, client, datetime(2026, 11, 25, 9, 30, tzinfo=AMS)) == []
    # later that week the missed Monday slot is recorded as skipped, still without posting
    outcomes = post_due_prompts(deps, client, datetime(2026, 12, 2, 9, 30, tzinfo=AMS))
    assert [o.status for o in outcomes] == ["skipped"]
    assert posts(standin) == []


def test_late_within_grace_is_posted_and_older_is_skipped(deps, client, standin):
    late = post_due_prompts(deps, client, MONDAY_0930 + timedelta(hours=5), sleep=NO_SLEEP)
    assert [o.status for o in late] == ["posted"]
    week_later = MONDAY_0930 + timedelta(days=7, hours=7)  # 7 h late: beyond the 6 h grace
    missed = post_due_prompts(deps, client, week_later, sleep=NO_SLEEP)
    assert [o.status for o in missed] == ["skipped"]
    assert len(posts(standin)) == 1
    row = deps.prompts.slot(TEAM, CHANNEL, "2026-12-07T09:30+01:00")
    assert row["status"] == "skipped"


def test_failed_post_is_retried_then_recorded(deps, client, standin):
    standin.fail("chat.postMessage", "internal_error", times=1)
    assert [o.status for o in post_due_prompts(deps, client, MONDAY_0930, sleep=NO_SLEEP)] == [
        "posted"
    ]
    assert deps.prompts.slot(TEAM, CHANNEL, "2026-11-30T09:30+01:00")["attempts"] == 2
    standin.fail("chat.postMessage", "internal_error", times=5)
    outcome = post_due_prompts(deps, client, MONDAY_0930 + timedelta(days=7), sleep=NO_SLEEP)
    assert outcome[0].status == "failed" and outcome[0].error == "internal_error"
    row = deps.prompts.slot(TEAM, CHANNEL, "2026-12-07T09:30+01:00")
    assert row["status"] == "failed" and row["attempts"] == 3


def test_not_in_channel_is_not_retried(deps, client, standin):
    standin.channels_without_bot.add(CHANNEL)
    outcome = post_due_prompts(deps, client, MONDAY_0930, sleep=NO_SLEEP)
    assert outcome[0].status == "failed" and outcome[0].error == "not_in_channel"
    assert len(standin.calls_to("chat.postMessage")) == 1


def test_restart_neither_reposts_nor_repeats(settings, deps, client, standin):
    post_due_prompts(deps, client, MONDAY_0930, sleep=NO_SLEEP)
    reopened = replace(deps, storage=Storage(settings.db_path))  # as after a restart
    post_due_prompts(reopened, client, MONDAY_0930 + timedelta(minutes=1), sleep=NO_SLEEP)
    post_due_prompts(reopened, client, MONDAY_0930 + timedelta(days=7), sleep=NO_SLEEP)
    texts = [c.args["text"] for c in posts(standin)]
    assert len(texts) == 2 and texts[0] != texts[1]


def test_two_processes_post_a_slot_once(settings, deps, standin):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEERZONE_"))},
        "SLACK_BOT_TOKEN": "xoxb-cron",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": standin.base_url,
        "LEERZONE_DB": settings.db_path,
    }
    command = [
        sys.executable,
        "-m",
        "bot",
        "post-prompts",
        "--at",
        "2026-11-30T09:31",
        "--channel",
        CHANNEL,
    ]
    procs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outputs = [json.loads(p.communicate(timeout=60)[0].splitlines()[0]) for p in procs]
    assert sorted(o["status"] for o in outputs) == ["already", "posted"]
    assert len(posts(standin)) == 1


def test_post_prompts_cli_at_a_quiet_moment(settings, deps, standin):
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-cron",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": standin.base_url,
        "LEERZONE_DB": settings.db_path,
    }
    out = subprocess.run(
        [sys.executable, "-m", "bot", "post-prompts", "--at", "2026-11-25T12:00+01:00"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and "nothing due" in out.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "bot", "post-prompts", "--at", "maandag"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "--at" in bad.stderr


def test_replies_in_a_prompt_thread_are_counted_not_stored(deps, client, sim, standin, wait_until):
    post_due_prompts(deps, client, MONDAY_0930, sleep=NO_SLEEP)
    ts = (
        posts(standin)[0].args
        and deps.storage.db["prompt_slots"].get((TEAM, CHANNEL, "2026-11-30T09:30+01:00"))["ts"]
    )
    for text in ("ik vergat vorige week de back-up, geheimwoord77", "mooie vraag!"):
        sim.send_event(
            {
                "type": "message",
                "user": ANNA,
                "text": text,
                "channel": CHANNEL,
                "channel_type": "channel",
                "ts": f"{time.time():.6f}",
                "thread_ts": ts,
            }
        )
    slot = (TEAM, CHANNEL, "2026-11-30T09:30+01:00")
    wait_until(lambda: deps.storage.db["prompt_slots"].get(slot)["replies"] >= 2, what="2 replies")
    assert "geheimwoord77" not in "\n".join(deps.storage.db.iterdump())


def test_prompt_button_opens_the_form_with_sharing_chosen(deps, client, sim, standin, rotate_to):
    rotate_to(deps, "celebrate_intelligent__01")
    post_due_prompts(deps, client, MONDAY_0930, sleep=NO_SLEEP)
    message = posts(standin)[0].args
    sim.click(ANNA, CHANNEL, message, ids.ACTION_PROMPT_SHARE, is_ephemeral=False)
    view = standin.wait_calls("views.open")[0].args["view"]
    share = next(b for b in view["blocks"] if b.get("block_id") == ids.BLOCK_SHARE)
    assert share["element"]["initial_option"]["value"] == "named"


def test_leaders_are_invited_the_working_day_before_a_share_prompt(
    deps, client, standin, rotate_to
):
    prompts = deps.prompts
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    rotate_to(deps, "share_own__01")
    friday = datetime(2026, 11, 27, 10, tzinfo=AMS)
    assert invite_leaders_first(deps, client, friday) == 1
    assert invite_leaders_first(deps, client, friday) == 0  # once per slot
    dm = standin.calls_to("chat.postMessage")[0].args
    said = all_text(dm)
    assert dm["channel"] == SANNE and "voorgaan" in said
    # on Friday for a Monday prompt: the day by its name, not "morgen"; nothing to prepare
    assert "Op maandag 30 november" in said and "Morgen" not in said and "/fout" not in said
    assert invite_leaders_first(deps, client, friday - timedelta(days=1)) == 0  # not Thursday
    assert prompts.slot(TEAM, CHANNEL, "2026-11-30T09:30+01:00") is None  # nothing posted


def test_digest_shows_aggregates_only_and_hides_small_numbers(deps, client, standin):
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    for user in ("U1", "U2", "U3"):
        deps.failures.add(
            team_id=TEAM, user_id=user, channel_id=CHANNEL, text="oeps", kind="preventable"
        )
    friday = datetime.now(AMS)
    assert send_digests(deps, client, friday) == 1
    few = all_text(standin.calls_to("chat.postMessage")[0].args)
    assert "nog te weinig gegevens" in few and "U1" not in few
    for user in ("U4", "U5", "U6"):
        deps.failures.add(
            team_id=TEAM,
            user_id=user,
            channel_id=CHANNEL,
            text="oeps",
            kind="complex",
            lesson="les",
        )
    assert send_digests(deps, client, friday) == 0  # once a week
    later = replace(deps, now=deps.now)
    deps.storage.db.execute("DELETE FROM digests_sent")
    deps.storage.db.conn.commit()
    send_digests(later, client, friday)
    enough = all_text(standin.calls_to("chat.postMessage")[1].args)
    assert "Vastgelegde fouten: 6 (3 vermijdbaar, 3 complex, 0 intelligent)" in enough
    assert "Lessen toegevoegd: 3" in enough and "U4" not in enough


def test_schema_command(talk, deps):
    shown = talk.fout(ANNA, "schema")["blocks"][0]["text"]["text"]  # anyone may look
    assert "elke week op maandag om 09:30" in shown and shown.count("• ") == 3
    # a member of a channel without leaders may not change it; a workspace admin may
    refused = all_text(talk.fout(ANNA, "schema tweewekelijks vr 15:00"))
    assert "beheerders van de werkruimte" in refused
    changed = all_text(talk.fout(SANNE, "schema tweewekelijks vr 15:00"))
    assert "om de week op vrijdag om 15:00" in changed
    schedule = deps.prompts.schedule(TEAM, CHANNEL)
    assert (schedule.weekday, schedule.every_weeks) == (4, 2)
    assert "geen vragen meer" in all_text(talk.fout(SANNE, "schema uit"))
    assert not deps.prompts.schedule(TEAM, CHANNEL).enabled
    assert "bijvoorbeeld `/fout schema ma 09:30`" in all_text(
        talk.fout(SANNE, "schema zondagmiddag")
    )
    assert "Alleen de leiders" in all_text(talk.fout(ANNA, "taal en"))
    talk.fout(SANNE, "taal en")
    assert "every week on Monday at 10:00" in all_text(talk.fout(SANNE, "schedule mon 10:00"))


def test_the_bot_joining_a_channel_gets_the_default_schedule(sim, standin, deps, wait_until):
    for user in ("U0SOMEONE", BOT_USER_ID):
        sim.send_event(
            {
                "type": "member_joined_channel",
                "user": user,
                "channel": "C0NEW",
                "channel_type": "C",
                "team": TEAM,
                "event_ts": "1.1",
            }
        )
    wait_until(lambda: deps.prompts.schedule(TEAM, "C0NEW"), what="the join handled")
    assert deps.prompts.schedule(TEAM, "C0NEW") == Schedule()


def test_scheduler_builds_jobs_from_the_database_and_rebuilds_on_change(deps, client):
    scheduler = BackgroundJobs(deps, client)
    scheduler.scheduler.start(paused=True)
    scheduler.rebuild_all()
    jobs = scheduler.jobs()
    assert jobs[job_id(TEAM, CHANNEL)] == MONDAY_0930  # the clock says Monday 23 Nov, 12:00
    job = scheduler.scheduler.get_job(job_id(TEAM, CHANNEL))
    assert job.coalesce and job.max_instances == 1 and job.misfire_grace_time == 6 * 3600
    deps.prompts.set_schedule(TEAM, CHANNEL, Schedule(weekday=1), "U1")
    deps.on_schedule_change(TEAM, CHANNEL)
    assert scheduler.jobs()[job_id(TEAM, CHANNEL)].weekday() == 1
    deps.prompts.set_schedule(TEAM, CHANNEL, Schedule(enabled=False), "U1")
    deps.on_schedule_change(TEAM, CHANNEL)
    assert job_id(TEAM, CHANNEL) not in scheduler.jobs()
    scheduler.shutdown()


def test_scheduler_start_adds_the_periodic_jobs_and_catches_up(deps, client, standin):
    scheduler = BackgroundJobs(replace(deps, now=lambda: MONDAY_0930 + timedelta(hours=1)), client)
    scheduler.start()
    try:
        jobs = scheduler.jobs()
        assert {"prompts:sweep", "prompts:leaders-first", "digest:weekly"} <= set(jobs)
        assert len(posts(standin)) == 1  # the start-up sweep posted the slot due an hour ago
    finally:
        scheduler.shutdown()


def test_digest_can_be_turned_off(deps, client):
    scheduler = BackgroundJobs(replace(deps, settings=replace(deps.settings, digest="uit")), client)
    scheduler.start()
    try:
        assert "digest:weekly" not in scheduler.jobs()
    finally:
        scheduler.shutdown()


def test_only_leaders_change_the_schedule_of_a_channel_with_leaders(talk, deps):
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    before = deps.prompts.schedule(TEAM, CHANNEL)
    refused = all_text(talk.fout(ANNA, "schema vr 16:00"))
    assert "Alleen de leiders" in refused and deps.prompts.schedule(TEAM, CHANNEL) == before
    assert "vrijdag om 16:00" in all_text(talk.fout(SANNE, "schema vr 16:00"))
    assert "vrijdag om 16:00" in all_text(talk.fout(ANNA, "schema"))  # anyone may look


def test_only_prompts_that_invite_sharing_carry_the_share_button(deps, client, standin, rotate_to):
    texts = Texts("nl")
    for prompt_id in prompt_views.prompt_catalogue(texts):
        message = json.dumps(prompt_views.team_prompt_message(texts, prompt_id))
        has_button = ids.ACTION_PROMPT_SHARE in message
        assert has_button == (prompt_views.prompt_theme(prompt_id) in prompt_views.SHARING_THEMES)
    rotate_to(deps, "invite_participation__01")
    post_due_prompts(deps, client, MONDAY_0930, sleep=NO_SLEEP)
    assert ids.ACTION_PROMPT_SHARE not in json.dumps(posts(standin)[0].args)


def test_a_prompt_for_leaders_goes_to_the_leaders_not_the_team(deps, client, standin, rotate_to):
    """ "Leaders go first: share a mistake of your own" is an instruction to leaders: each leader
    gets it by DM, once, even when the slot is run again; the channel sees nothing."""
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE, ANNA], by=SANNE)
    rotate_to(deps, "modelling__01")
    outcomes = post_due_prompts(deps, client, MONDAY_0930, sleep=NO_SLEEP)
    assert [(o.status, o.prompt_id) for o in outcomes] == [("posted", "modelling__01")]
    assert posts(standin) == []
    dms = {c.args["channel"]: all_text(c.args) for c in standin.calls_to("chat.postMessage")}
    assert set(dms) == {SANNE, ANNA}
    assert "niet voor het hele team" in dms[SANNE] and "Leiders gaan voor" in dms[SANNE]
    deps.storage.db["prompt_slots"].update(
        (TEAM, CHANNEL, "2026-11-30T09:30+01:00"), {"status": "claimed"}
    )  # as if a stopped process had left it, and another takes it over
    post_due_prompts(deps, client, MONDAY_0930 + timedelta(minutes=20), sleep=NO_SLEEP)
    assert len(standin.calls_to("chat.postMessage")) == 2


def test_the_catalogue_speaks_of_high_standards_and_the_four_zones():
    for lang in ("nl", "en"):
        themes = {prompt_views.prompt_theme(p) for p in prompt_views.prompt_catalogue(Texts(lang))}
        assert {"high_standards", "four_zones"} <= themes
        help_text = Texts(lang).render(
            "help", lines={k: "" for k in ("preventable", "complex", "intelligent")}
        )
        assert ("leerzone" if lang == "nl" else "learning zone") in help_text.lower()


def test_the_digest_ends_with_a_private_reflection_for_the_leader(deps, client, standin):
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    friday = datetime(2026, 11, 27, 16, tzinfo=AMS)
    for n, status in enumerate(("done", "later", "sent")):
        nudge = deps.nudges.claim(
            team_id=TEAM,
            channel_id=CHANNEL,
            thread_ts=f"{n}.1",
            message_ts=f"{n}.1",
            leader_id=SANNE,
            purpose="suggestion",
            kind="preventable",
            at=friday - timedelta(days=1),
        )
        deps.nudges.set_status(nudge, status)
    assert send_digests(deps, client, friday) == 1
    said = all_text(standin.calls_to("chat.postMessage")[0].args)
    assert "Even voor jezelf" in said
    assert "3 tips ontvangen, 1 opgevolgd, 1 keer „niet nu”" in said
    assert "Je hebt de afgelopen vier weken zelf geen fout gedeeld" in said
    assert ANNA not in said
    # after sharing a mistake of her own, no nudge to go first the next week
    own = deps.failures.add(
        team_id=TEAM,
        user_id=SANNE,
        channel_id=CHANNEL,
        text="ik vergat het overleg",
        kind="preventable",
    )
    deps.failures.claim_share(TEAM, SANNE, own.id, "named")
    send_digests(deps, client, friday + timedelta(days=7))
    later = all_text(standin.calls_to("chat.postMessage")[-1].args)
    assert "Even voor jezelf" in later and "zelf geen fout gedeeld" not in later


def test_the_reflection_question_walks_the_four_steps_of_the_toolkit():
    from bot.insights.digest import TOOLKIT, toolkit_question

    weeks = [toolkit_question(week) for week in range(40, 48)]
    assert {w.split("__")[1].rsplit("_", 1)[0] for w in weeks[:4]} == set(TOOLKIT)
    assert len(set(weeks)) == 8  # two questions per step, eight weeks before one comes back
    texts = Texts("nl")
    for week in weeks:
        assert texts.part("digest", week).endswith("?")


def test_a_channel_without_leaders_gets_a_question_for_everyone_instead(
    deps, client, standin, rotate_to
):
    rotate_to(deps, "modelling__01")
    outcomes = post_due_prompts(deps, client, MONDAY_0930, sleep=NO_SLEEP)
    assert [o.status for o in outcomes] == ["posted"]
    assert not prompt_views.for_leaders(outcomes[0].prompt_id)
    assert len(posts(standin)) == 1  # in the channel, for the whole team
