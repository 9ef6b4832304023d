"""Samen terugkijken through the real protocol: consent first, replies counted, the author
stops it, a leader closes it with a lesson credited as the author chose."""

import json

import pytest

from bot.sandbox.personas import ANNA, BRAM, CHANNEL, EMMA, SANNE, TEAM
from bot.sandbox.simulator import message_event
from bot.sandbox.standin import BOT_USER_ID, RESPONSE_URL
from bot.sandbox.transcript import all_text
from bot.ui import ids, tip_views
from bot.ui.texts import Texts


@pytest.fixture
def team_channel(deps, standin):
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    standin.members[CHANNEL] = [ANNA, BRAM, SANNE, EMMA, "U0DAAN", BOT_USER_ID]


def in_thread(standin, thread_ts):
    """What the bot posted in a thread (people's replies are in the stand-in's history too)."""
    return [
        m
        for m in standin.history.get(CHANNEL, [])
        if m.get("thread_ts") == thread_ts and m.get("user") == BOT_USER_ID
    ]


def answer(standin, act):
    """Click, then the private answer it brought (through the response_url)."""
    before = len(standin.calls_to(RESPONSE_URL))
    act()
    return all_text(standin.wait_calls(RESPONSE_URL, before + 1)[before].args)


def dms_to(standin, user):
    return [c.args for c in standin.calls_to("chat.postMessage") if c.args["channel"] == user]


def start_from_entry(talk, sim, standin, wait_until, share="named"):
    msg = talk.fout(ANNA, "de release liep vast: drie teams wijzigden tegelijk de config")
    complex_msg = talk.click(ANNA, msg, ids.ACTION_KIND, option="1:complex")
    sim.click(ANNA, CHANNEL, complex_msg, ids.ACTION_REVIEW_ENTRY)
    window = standin.wait_calls("views.open")[-1].args["view"]
    assert "zonder schuldvraag" in all_text(window)
    assert sim.submit(ANNA, window, {ids.BLOCK_REVIEW_SHARE: share}).status == 200
    started = "De terugblik staat in"  # the author hears it started: after that, all is quiet
    wait_until(lambda: any(started in all_text(c.args) for c in standin.calls_to(RESPONSE_URL)))
    return window


def test_a_complex_entry_is_reviewed_together_with_the_authors_consent(
    talk, sim, standin, deps, team_channel, wait_until
):
    start_from_entry(talk, sim, standin, wait_until)
    card = wait_until(lambda: [m for m in standin.history.get(CHANNEL, []) if "thread_ts" not in m])
    card_ts = card[0]["ts"]
    questions = wait_until(lambda: in_thread(standin, card_ts))[0]
    said = all_text(questions)
    assert "zonder schuldvraag" in said and "<@U0ANNA> deelde hier" in said
    assert said.count("?") >= 4 and ids.ACTION_REVIEW_STOP in json.dumps(questions["blocks"])
    invite = wait_until(lambda: dms_to(standin, SANNE))[0]
    assert ids.ACTION_REVIEW_LESSON in json.dumps(invite["blocks"])
    # a reply in the thread is counted, never kept
    reply = message_event(
        BRAM, CHANNEL, "GEHEIM: de deploy-lock ontbrak", "1796190000.000200", card_ts
    )
    assert sim.send_event(reply).status == 200
    wait_until(lambda: deps.storage.db["reviews"].get(1)["replies"] == 1)
    assert "GEHEIM" not in "\n".join(deps.storage.db.iterdump())
    # Bram is no leader: no lesson for him; Sanne writes it down
    assert "Alleen de leiders" in answer(
        standin, lambda: sim.click(BRAM, CHANNEL, invite, ids.ACTION_REVIEW_LESSON)
    )
    sim.click(SANNE, SANNE, invite, ids.ACTION_REVIEW_LESSON)
    window = wait_until(
        lambda: [
            c for c in standin.calls_to("views.open") if "Wat we leerden" in json.dumps(c.args)
        ]
    )[0].args["view"]
    sim.submit(SANNE, window, {ids.BLOCK_REVIEW_LESSON: "één release-coördinator per week"})
    lesson = wait_until(lambda: in_thread(standin, card_ts)[1:])[0]
    text = all_text(lesson)
    assert "één release-coördinator per week" in text and "<@U0ANNA>" in text
    assert "1 reactie" in text
    assert deps.storage.db["reviews"].get(1)["status"] == "closed"


def test_the_author_stops_it_and_nobody_else_can(
    talk, sim, standin, deps, team_channel, wait_until
):
    start_from_entry(talk, sim, standin, wait_until, share="anonymous")
    card = wait_until(lambda: [m for m in standin.history.get(CHANNEL, []) if "thread_ts" not in m])
    questions = wait_until(lambda: in_thread(standin, card[0]["ts"]))[0]
    assert ANNA not in json.dumps(questions)  # anonymous as the author chose
    assert "Alleen wie de fout deelde" in answer(
        standin,
        lambda: sim.click(SANNE, CHANNEL, questions, ids.ACTION_REVIEW_STOP, is_ephemeral=False),
    )
    assert deps.storage.db["reviews"].get(1)["status"] == "open"
    stopped = answer(
        standin,
        lambda: sim.click(ANNA, CHANNEL, questions, ids.ACTION_REVIEW_STOP, is_ephemeral=False),
    )
    assert "De terugblik is gestopt" in stopped
    assert deps.storage.db["reviews"].get(1)["status"] == "stopped"
    assert "gestopt op verzoek" in all_text(in_thread(standin, card[0]["ts"])[0])
    invite = dms_to(standin, SANNE)[0]
    assert "gestopt of al afgerond" in answer(
        standin, lambda: sim.click(SANNE, SANNE, invite, ids.ACTION_REVIEW_LESSON)
    )


def _tip_about(deps, author, message_ts="1764000100.000100"):
    nudge = deps.nudges.claim(
        team_id=TEAM,
        channel_id=CHANNEL,
        thread_ts=message_ts,
        message_ts=message_ts,
        leader_id=SANNE,
        purpose="suggestion",
        kind="complex",
        at=deps.now(),
    )
    return {"ts": "9.1", **tip_views.tip_message(Texts("nl"), nudge, "", author)}


def test_a_leader_proposes_it_and_the_author_decides(sim, standin, deps, team_channel, wait_until):
    tip = _tip_about(deps, BRAM)
    assert "Ik vraag <@U0BRAM>" in answer(
        standin, lambda: sim.click(SANNE, "D0SANNE", tip, ids.ACTION_REVIEW_TIP)
    )
    request = wait_until(lambda: dms_to(standin, BRAM))[0]
    assert "<@U0SANNE> stelt voor" in all_text(request)
    assert in_thread(standin, "1764000100.000100") == []  # nothing before the author says yes
    assert "Alleen wie de fout deelde" in answer(
        standin, lambda: sim.click(SANNE, BRAM, request, ids.ACTION_REVIEW_YES_NAMED)
    )
    sim.click(BRAM, BRAM, request, ids.ACTION_REVIEW_YES_ANONYMOUS)
    questions = wait_until(lambda: in_thread(standin, "1764000100.000100"))[0]
    assert BRAM not in json.dumps(questions) and "zonder schuldvraag" in all_text(questions)
    assert wait_until(lambda: dms_to(standin, SANNE))  # the lesson button for the leader


def test_rather_not_is_respected_and_the_leader_hears_it_kindly(
    sim, standin, deps, team_channel, wait_until
):
    tip = _tip_about(deps, BRAM)
    sim.click(SANNE, "D0SANNE", tip, ids.ACTION_REVIEW_TIP)
    request = wait_until(lambda: dms_to(standin, BRAM))[0]
    sim.click(BRAM, BRAM, request, ids.ACTION_REVIEW_NO)
    told = wait_until(lambda: dms_to(standin, SANNE))[0]
    assert "liever geen terugblik" in all_text(told) and "helemaal goed" in all_text(told)
    assert in_thread(standin, "1764000100.000100") == []
    assert deps.storage.db["reviews"].get(1)["status"] == "declined"
    sim.click(SANNE, "D0SANNE", tip, ids.ACTION_REVIEW_TIP)  # asking again is allowed
    assert wait_until(lambda: len(dms_to(standin, BRAM)) == 2)


def test_no_review_button_on_a_tip_that_does_not_know_its_reporter(deps):
    tip = _tip_about(deps, "")
    assert ids.ACTION_REVIEW_TIP not in json.dumps(tip)
    assert ids.ACTION_REVIEW_TIP in json.dumps(_tip_about(deps, BRAM, "2.2"))


def test_a_leader_who_wants_tips_only_in_home_finds_the_review_there(
    talk, sim, standin, deps, team_channel, wait_until
):
    deps.prefs.set(TEAM, SANNE, tip_delivery="home")
    start_from_entry(talk, sim, standin, wait_until)
    assert dms_to(standin, SANNE) == []  # no DM: her choice
    sim.send_event({"type": "app_home_opened", "user": SANNE, "tab": "home", "event_ts": "1.1"})
    home = standin.wait_calls("views.publish")[-1].args["view"]
    assert "Lopende terugblikken" in all_text(home)
    sim.click_in_view(SANNE, home, ids.ACTION_REVIEW_LESSON)
    window = wait_until(
        lambda: [
            c for c in standin.calls_to("views.open") if "Wat we leerden" in json.dumps(c.args)
        ]
    )
    assert window


def test_an_empty_lesson_keeps_the_window_open_with_a_hint(
    talk, sim, standin, deps, team_channel, wait_until
):
    start_from_entry(talk, sim, standin, wait_until)
    invite = wait_until(lambda: dms_to(standin, SANNE))[0]
    sim.click(SANNE, SANNE, invite, ids.ACTION_REVIEW_LESSON)
    window = wait_until(
        lambda: [
            c for c in standin.calls_to("views.open") if "Wat we leerden" in json.dumps(c.args)
        ]
    )[0].args["view"]
    answer = sim.submit(SANNE, window, {ids.BLOCK_REVIEW_LESSON: "   "}).json()
    assert answer["response_action"] == "errors"
    assert "les in een paar woorden" in answer["errors"][ids.BLOCK_REVIEW_LESSON]
    assert deps.storage.db["reviews"].get(1)["status"] == "open"
