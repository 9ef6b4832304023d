"""Transparency: the bot introduces itself where it is invited; new leaders hear what it means."""

from datetime import timedelta

from bot.sandbox.personas import ANNA, BRAM, CHANNEL, SANNE, TEAM
from bot.sandbox.standin import BOT_USER_ID
from bot.sandbox.transcript import all_text


def join(sim):
    event = {
        "type": "member_joined_channel",
        "user": BOT_USER_ID,
        "channel": CHANNEL,
        "channel_type": "C",
        "team": TEAM,
        "event_ts": "1.1",
    }
    assert sim.send_event(event).status == 200


def intros(standin):
    return [c for c in standin.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]


def test_the_bot_introduces_itself_once_per_thirty_days(sim, standin, deps, clock, app, quiet):
    join(sim)
    quiet(app)
    intro = all_text(intros(standin)[0].args)
    assert "alleen de leiders van dit kanaal" in intro
    assert "bewaar hun tekst nooit" in intro and "/fout help" in intro
    join(sim)  # removed and invited again a week later
    clock.now += timedelta(days=7)
    join(sim)
    quiet(app)
    assert len(intros(standin)) == 1
    clock.now += timedelta(days=31)
    join(sim)
    quiet(app)
    assert len(intros(standin)) == 2


def test_the_introduction_speaks_the_channels_language(sim, standin, deps, app, quiet):
    deps.channels.set_language(TEAM, CHANNEL, "en", by=ANNA)
    join(sim)
    quiet(app)
    assert "only this channel's leaders" in all_text(intros(standin)[0].args)


def test_a_failed_introduction_is_tried_again_on_the_next_invite(sim, standin, app, quiet):
    standin.fail("chat.postMessage", "not_in_channel")
    join(sim)
    quiet(app)
    join(sim)
    quiet(app)
    assert len(intros(standin)) == 2 and standin.seen_by() == []


def test_new_leaders_get_a_dm_explaining_what_that_means(talk, standin, app, quiet):
    talk.fout(SANNE, "leiders <@U0SANNE|sanne> <@U0BRAM|bram>")
    quiet(app)
    welcomed = {d.user: all_text(d.args) for d in standin.seen_by()}
    assert set(welcomed) == {SANNE, BRAM}
    assert "Home-tab" in welcomed[BRAM] and "ingesteld door <@U0SANNE>" in welcomed[BRAM]
    assert "ingesteld door" not in welcomed[SANNE]  # she set it herself
    talk.fout(SANNE, "leiders <@U0SANNE|sanne> <@U0BRAM|bram> <@U0ANNA|anna>")
    quiet(app)
    assert [d.user for d in standin.seen_by()][2:] == [ANNA]  # only who is new


def test_nobody_appoints_themselves_and_every_change_is_announced(talk, standin, deps, app, quiet):
    refused = all_text(talk.fout(ANNA, "leiders <@U0ANNA|anna>"))  # a member, no leaders yet
    assert "kunnen leiders aanwijzen" in refused and deps.channels.leaders(TEAM, CHANNEL)[0] == ()
    assert "Alleen de leiders" in all_text(talk.fout(ANNA, "taal en"))
    talk.fout(SANNE, "leiders <@U0BRAM|bram>")  # Sanne is a workspace admin
    quiet(app)
    assert deps.channels.leaders(TEAM, CHANNEL)[0] == (BRAM,)
    announced = [c for c in standin.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]
    assert "<@U0BRAM> ontvangt vanaf nu de privétips" in all_text(announced[0].args)
    assert "ingesteld door <@U0SANNE>" in all_text(announced[0].args)
    # now Bram leads: he may change it, Anna still may not
    assert "kunnen leiders aanwijzen" in all_text(talk.fout(ANNA, "leiders <@U0ANNA|anna>"))
    talk.fout(BRAM, "leiders <@U0BRAM|bram> <@U0ANNA|anna>")
    assert deps.channels.leaders(TEAM, CHANNEL)[0] == (BRAM, ANNA)


def test_leerzone_admins_may_govern_any_channel(settings, tmp_path, converse):
    from dataclasses import replace

    from bot.app import build_deps, create_app, drain
    from bot.slack.server import BackgroundServer
    from bot.storage.database import Storage

    storage = Storage(tmp_path / "admins.db")
    deps = build_deps(replace(settings, admins=("U0HR",)), storage)
    app = create_app(deps)
    with BackgroundServer(app) as server:
        talk = converse(server.url)
        assert "zijn nu" in all_text(talk.fout("U0HR", "leiders <@U0ANNA|anna>"))
    drain(app)
    assert deps.channels.leaders(TEAM, CHANNEL)[0] == (ANNA,)
    storage.close()
