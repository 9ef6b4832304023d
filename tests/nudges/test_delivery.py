"""Tips that leaders see: through the real protocol, with the stand-in playing Slack's rules.

Each test asserts on what the leader was *shown* (standin.seen_by), never on what the app
sent: that difference is the defect this suite exists to catch.
"""

import json
from datetime import UTC, datetime
from itertools import count

import pytest

from bot.nudges.delivery import send_morning_summaries
from bot.sandbox.personas import ANNA, BRAM, CHANNEL, SANNE, TEAM
from bot.sandbox.simulator import message_event
from bot.sandbox.standin import BOT_USER_ID
from bot.sandbox.transcript import all_text
from bot.ui import ids

REPORT = "sorry, ik heb de verkeerde bijlage naar de klant gestuurd"
_ts = count(1)


def report(user=ANNA, text=REPORT, thread_ts=None, **extra):
    return message_event(user, CHANNEL, text, f"1763900{next(_ts):03d}.000200", thread_ts, **extra)


@pytest.fixture
def team(deps, standin, sim):
    deps.channels.set_leaders(TEAM, CHANNEL, [SANNE], by=SANNE)
    standin.members[CHANNEL] = [ANNA, BRAM, SANNE, BOT_USER_ID]
    return sim


@pytest.fixture
def seen(app, standin, quiet):
    """What Sanne has been shown once the app is done."""

    def look():
        quiet(app)
        return standin.seen_by(SANNE)

    return look


def home_of(sim, standin, user, quiet, app):
    before = len(standin.calls_to("views.publish"))
    sim.send_event({"type": "app_home_opened", "user": user, "tab": "home", "event_ts": "1.1"})
    quiet(app)
    return standin.calls_to("views.publish")[before:][-1].args["view"]


def test_a_top_level_report_reaches_the_leader(team, standin, deps, seen):
    """Today's defect, as a test: the old way (an ephemeral in the report's own thread) is not
    shown by Slack; the tip must arrive in a way the leader sees."""
    event = report()
    team.send_event(event)
    shown = seen()
    assert len(shown) == 1 and shown[0].channel == "D0SANNE"
    assert "meldt een fout in <#C0TEAM>" in all_text(shown[0].args)
    assert not [d for d in standin.deliveries if not d.shown]  # nothing sent in vain
    row = deps.storage.db["nudges"].get(1)
    assert (row["status"], row["delivered_via"]) == ("sent", "dm")
    assert row["permalink"].endswith(event["ts"].replace(".", ""))


def test_in_the_channel_when_active_else_by_dm(team, standin, deps, seen):
    deps.prefs.set(TEAM, SANNE, tip_delivery="channel")
    team.send_event(report())
    first = seen()
    assert [(d.method, d.channel) for d in first] == [("chat.postEphemeral", CHANNEL)]
    assert "thread_ts" not in first[0].args  # a fresh report has no thread to show it in
    standin.presence[SANNE] = "away"  # in a meeting
    team.send_event(report())
    assert [(d.method, d.channel) for d in seen()][1:] == [("chat.postMessage", "D0SANNE")]


def test_in_the_channel_a_report_in_a_busy_thread_gets_its_tip_in_that_thread(
    team, standin, deps, seen
):
    deps.prefs.set(TEAM, SANNE, tip_delivery="channel")
    question = report(BRAM, "wie heeft de klant van order 12 gesproken?")
    team.send_event(question)
    team.send_event(report(thread_ts=question["ts"]))  # Anna answers in the thread
    shown = seen()
    assert len(shown) == 1 and shown[0].args["thread_ts"] == question["ts"]


def test_only_in_home_sends_nothing_and_home_lists_the_moment(
    team, standin, deps, seen, quiet, app
):
    deps.prefs.set(TEAM, SANNE, tip_delivery="home")
    event = report()
    team.send_event(event)
    assert seen() == []
    quiet(app)
    # a moment put aside asks Slack for nothing yet: its link is looked up when it is shown
    assert standin.calls_to("chat.getPermalink") == []
    assert deps.storage.db["nudges"].get(1)["permalink"] is None
    view = home_of(team, standin, SANNE, quiet, app)
    text = all_text(view)
    assert "Momenten om te bedanken" in text and "Een melding in <#C0TEAM>" in text
    assert event["ts"].replace(".", "") in text  # the link to the message, now it is shown
    assert len(standin.calls_to("chat.getPermalink")) == 1
    assert deps.storage.db["nudges"].get(1)["permalink"].endswith(event["ts"].replace(".", ""))
    assert ANNA not in json.dumps(view)  # the reporter is not kept, so Home cannot name them
    assert "alleen hier" in text and "verkeerde bijlage" not in text  # never the message text
    # the buttons work in Home as in a DM: "Gedaan" closes the moment, Home shows it
    team.click_in_view(SANNE, view, ids.ACTION_NUDGE_DONE)
    quiet(app)
    assert deps.storage.db["nudges"].get(1)["status"] == "done"
    after = standin.calls_to("views.publish")[-1].args["view"]
    assert "geen open momenten" in all_text(after)


def test_a_moment_whose_message_was_deleted_shows_without_a_link(
    team, standin, deps, seen, quiet, app
):
    """The link is looked up only when a put-aside moment is shown; if the reporter deleted the
    message meanwhile, Slack answers message_not_found and Home shows the moment without it."""
    deps.prefs.set(TEAM, SANNE, tip_delivery="home")
    event = report()
    team.send_event(event)
    quiet(app)
    standin.delete_user_message(CHANNEL, event["ts"])
    view = home_of(team, standin, SANNE, quiet, app)
    text = all_text(view)
    assert "Een melding in <#C0TEAM>" in text and "/archives/" not in text
    assert deps.storage.db["nudges"].get(1)["permalink"] is None
    assert len(standin.calls_to("chat.getPermalink")) == 1


def test_delivery_choice_in_home(team, standin, deps, quiet, app):
    view = home_of(team, standin, SANNE, quiet, app)
    team.click_in_view(SANNE, view, ids.ACTION_HOME_TIP_DELIVERY, option_value="channel")
    quiet(app)
    assert deps.prefs.get(TEAM, SANNE).tip_delivery == "channel"
    again = standin.calls_to("views.publish")[-1].args["view"]
    select = next(b for b in again["blocks"] if b.get("block_id") == "lz_home_tip_delivery")
    assert select["accessory"]["initial_option"]["value"] == "channel"


def test_quiet_hours_hold_tips_for_one_morning_dm(team, standin, deps, clock, seen, app):
    clock.now = datetime(2026, 11, 23, 18, 30, tzinfo=UTC)  # 19:30 in Amsterdam
    team.send_event(report())
    team.send_event(report(BRAM, "oeps, ik ben vergeten de order te bevestigen"))
    event = report()
    team.send_event(event)
    team.send_event(event, event_id="Ev0RETRY")  # a retry of the same event changes nothing
    assert seen() == []
    assert {r["status"] for r in deps.storage.db["nudges"].rows} == {"held"}
    saturday = datetime(2026, 11, 28, 8, 30, tzinfo=UTC)
    assert send_morning_summaries(deps, app.client, saturday) == 0  # not on a weekend
    morning = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)  # 08:30 in Amsterdam
    assert send_morning_summaries(deps, app.client, morning) == 1
    assert send_morning_summaries(deps, app.client, morning) == 0  # once
    shown = seen()
    assert len(shown) == 1 and shown[0].method == "chat.postMessage"  # a DM, not an ephemeral
    text = all_text(shown[0].args)
    assert "3 momenten om te bedanken" in text and text.count("in <#C0TEAM>") == 3
    assert len(standin.calls_to("chat.getPermalink")) == 3  # looked up for the morning DM
    assert text.count("/archives/C0TEAM/p") == 3
    assert {r["delivered_via"] for r in deps.storage.db["nudges"].rows} == {"morning"}


def test_over_the_daily_cap_moments_wait_in_home(team, standin, deps, settings, seen):
    for _ in range(settings.daily_nudges + 2):
        team.send_event(report())
    assert len(seen()) == settings.daily_nudges
    waiting = deps.nudges.open_for(TEAM, SANNE, deps.start_of_day())
    assert len(waiting) == settings.daily_nudges + 2
    assert sum(n.status == "home" for n in waiting) == 2


def test_reframe_and_thanks_use_the_same_delivery(team, standin, deps, seen):
    deps.prefs.set(TEAM, SANNE, tip_delivery="channel")
    first = report()
    team.send_event(first)
    assert len(seen()) == 1
    team.send_event(
        report(SANNE, "waarom heb je dat niet eerst gecheckt?", first["ts"], parent_user_id=ANNA)
    )
    reframe = seen()[-1]
    assert reframe.method == "chat.postEphemeral" and reframe.args["thread_ts"] == first["ts"]
    assert "verwijt" in all_text(reframe.args)
    team.send_event(report(SANNE, "sorry team, ik ben de deadline van de aanvraag vergeten"))
    thanks = seen()[-1]
    assert thanks.method == "chat.postEphemeral" and "sterkste" in all_text(thanks.args)


def test_the_other_buttons_work_from_home_too(team, standin, deps, quiet, app):
    deps.prefs.set(TEAM, SANNE, tip_delivery="home")
    team.send_event(report())
    quiet(app)
    view = home_of(team, standin, SANNE, quiet, app)
    before = all_text(view)
    team.click_in_view(SANNE, view, ids.ACTION_NUDGE_OTHER)
    quiet(app)
    after = standin.calls_to("views.publish")[-1].args["view"]
    assert deps.storage.db["nudges"].get(1)["variant"] == 1 and all_text(after) != before
    team.click_in_view(SANNE, after, ids.ACTION_NUDGE_WHY)
    quiet(app)
    assert "Waarom zie ik dit?" in all_text(standin.calls_to("views.open")[-1].args["view"])
    team.click_in_view(SANNE, after, ids.ACTION_NUDGE_LATER)
    quiet(app)
    assert deps.storage.db["nudges"].get(1)["status"] == "later"
    assert deps.nudges.is_muted(TEAM, CHANNEL, SANNE, deps.now())
    assert standin.calls_to("response_url") == []  # Home has none: it was published again
