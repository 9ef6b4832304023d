"""The scan before the ack: a verdict only for a message that needs something from us."""

from bot.nudges.scan import scan_message
from bot.sandbox.personas import ANNA, BRAM, CHANNEL, SANNE, TEAM


def message(text: str, ts: str = "1.000100", **extra: str) -> dict:
    return {"type": "message", "user": ANNA, "text": text, "ts": ts, "channel": CHANNEL, **extra}


def test_ordinary_chat_gives_no_verdict(deps):
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    assert scan_message(deps, TEAM, message("zullen we om half een lunchen?")) is None
    reply = message("goed idee, ik schuif aan", ts="1.000200", thread_ts="1.000100")
    assert scan_message(deps, TEAM, reply) is None  # a reply in a thread that is nobody's


def test_a_report_gives_a_verdict_with_its_place_and_leaders(deps):
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE, BRAM], by=SANNE)
    text = "oeps, ik heb de verkeerde offerte naar de klant gemaild"
    verdict = scan_message(deps, TEAM, message(text))
    assert verdict is not None and verdict.mistake is not None
    assert (verdict.channel_id, verdict.ts, verdict.thread_ts) == (CHANNEL, "1.000100", "1.000100")
    assert verdict.leaders == (SANNE, BRAM) and verdict.author == ANNA
    assert not (verdict.prompt_thread or verdict.review_thread or verdict.blame)
