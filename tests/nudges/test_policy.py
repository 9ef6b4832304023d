"""Tip policy as a pure function: who gets which tip, without Slack or a database."""

from dataclasses import replace

import pytest

from bot.detection.blame import Blame
from bot.detection.detect import Detection
from bot.nudges.policy import Limits, Tip, Verdict, plan_tips, wants_suggestions

REPORT = Detection(True, "preventable", "nl", 0.9, "ik ben vergeten", "slip")
BLAME = Blame(True, "why", "waarom heb je", "nl")
EVERYONE = frozenset({"U0ANNA", "U0SANNE", "U0PIM"})
NOBODY: frozenset[str] = frozenset()
LIMITS = Limits(daily=5)


def verdict(author="U0ANNA", leaders=("U0SANNE", "U0PIM"), thread_ts="1.1", **found):
    return Verdict(
        team_id="T1",
        channel_id="C1",
        ts="1.1",
        thread_ts=thread_ts,
        author=author,
        parent_author="U0BRAM",
        leaders=leaders,
        **found,
    )


def test_each_leader_in_the_channel_gets_a_suggestion_about_the_reporter():
    tips = plan_tips(verdict(mistake=REPORT), EVERYONE, NOBODY, LIMITS)
    assert tips == [
        Tip("U0SANNE", "suggestion", "preventable", "U0ANNA"),
        Tip("U0PIM", "suggestion", "preventable", "U0ANNA"),
    ]
    assert all(tip.capped for tip in tips)


def test_leaders_outside_the_channel_or_muted_get_nothing():
    members = frozenset({"U0ANNA", "U0SANNE"})
    assert [t.leader for t in plan_tips(verdict(mistake=REPORT), members, NOBODY, LIMITS)] == [
        "U0SANNE"
    ]
    muted = frozenset({"U0SANNE"})
    assert [t.leader for t in plan_tips(verdict(mistake=REPORT), EVERYONE, muted, LIMITS)] == [
        "U0PIM"
    ]


def test_no_leaders_or_suggestions_off_means_no_tips():
    assert plan_tips(verdict(leaders=(), mistake=REPORT), EVERYONE, NOBODY, LIMITS) == []
    assert plan_tips(verdict(mistake=REPORT), EVERYONE, NOBODY, Limits(daily=0)) == []
    assert not wants_suggestions(verdict(mistake=REPORT), Limits(daily=0))
    assert not wants_suggestions(verdict(leaders=(), mistake=REPORT), LIMITS)
    assert wants_suggestions(verdict(mistake=REPORT), LIMITS)


def test_a_leader_reporting_is_thanked_once_a_week_and_nobody_is_nudged():
    own = verdict(author="U0SANNE", mistake=REPORT)
    thanks = [Tip("U0SANNE", "appreciation", "preventable", "U0SANNE")]
    assert plan_tips(own, EVERYONE, NOBODY, LIMITS) == thanks
    assert not thanks[0].capped
    assert plan_tips(own, EVERYONE, NOBODY, Limits(daily=0)) == thanks  # not a suggestion
    assert plan_tips(own, EVERYONE, NOBODY, Limits(daily=5, thanked_this_week=True)) == []
    assert not wants_suggestions(own, LIMITS)


def test_blame_in_a_thread_gets_the_leader_a_reframe_about_the_reporter():
    reply = verdict(author="U0SANNE", thread_ts="0.5", blame=BLAME)
    assert plan_tips(reply, EVERYONE, NOBODY, LIMITS) == [
        Tip("U0SANNE", "reframe", "why", "U0BRAM")
    ]
    assert not wants_suggestions(reply, LIMITS)


@pytest.mark.parametrize(
    "odd",
    [
        verdict(author="U0ANNA", thread_ts="0.5", blame=BLAME),  # not a leader
        verdict(author="U0SANNE", thread_ts="1.1", blame=BLAME),  # not in a thread
        verdict(prompt_thread=True, thread_ts="0.5"),  # a reply under a prompt: counted only
        verdict(mistake=replace(REPORT, kind=None)),  # no kind: no suggestion to make
    ],
)
def test_nothing_to_tip(odd):
    assert plan_tips(odd, EVERYONE, NOBODY, LIMITS) == []
