"""/fout end to end: signed HTTP requests into the running app, Slack played by the stand-in."""

import json
from dataclasses import replace

from bot.app import build_deps, create_app, drain
from bot.sandbox.personas import ANNA, BRAM, CHANNEL, EMMA, SANNE, TEAM
from bot.sandbox.standin import BOT_USER_ID, RESPONSE_URL
from bot.sandbox.transcript import all_text
from bot.slack.server import BackgroundServer
from bot.storage.database import Storage
from bot.ui import ids


def test_quick_log_stores_and_thanks_privately(talk, deps):
    msg = talk.fout(ANNA, "ik ben vergeten de bijlage mee te sturen")
    rows = list(deps.storage.db["failures"].rows)
    assert len(rows) == 1
    row = rows[0]
    assert (row["team_id"], row["user_id"], row["channel_id"]) == (TEAM, ANNA, CHANNEL)
    assert row["text"] == "ik ben vergeten de bijlage mee te sturen"
    assert row["kind"] == "preventable" and row["shared"] == "no"
    assert msg["response_type"] == "ephemeral"
    text = all_text(msg)
    assert text.index("Dank je wel") < text.index("vermijdbaar")  # thanks come first
    for word in ("complex", "intelligent", "Een vraag"):
        assert word in text
    element_ids = {
        e["action_id"] for b in msg["blocks"] if b["type"] == "actions" for e in b["elements"]
    }
    assert element_ids == {ids.ACTION_ADD_LESSON, ids.ACTION_KIND, ids.ACTION_SHARE}
    # nothing public happened
    assert talk.standin.calls_to("chat.postMessage") == []


def test_user_text_can_never_ping(talk, standin):
    sneaky = "<!channel> <!here> <@U0BRAM> <!subteam^S1|@devs> & co"
    msg = talk.fout(ANNA, sneaky)
    blob = json.dumps(msg)
    for raw in ("<!channel>", "<!here>", "<@U0BRAM>", "<!subteam"):
        assert raw not in blob
    assert "&lt;!channel&gt;" in blob and "&amp; co" in blob
    talk.click(ANNA, msg, ids.ACTION_SHARE)
    share_msg = standin.calls_to(RESPONSE_URL)[-1].args
    talk.click(ANNA, share_msg, ids.ACTION_SHARE_NAMED)
    card = standin.wait_calls("chat.postMessage")[0].args
    card_blob = json.dumps(card)
    for raw in ("<!channel>", "<!here>", "<@U0BRAM>"):
        assert raw not in card_blob
    assert "<@U0ANNA>" in card_blob  # the author, by their own choice


def test_modal_opens_with_the_trigger_and_validates_on_the_field(talk, sim, standin, deps):
    call = talk.open_modal(BRAM)
    assert call["trigger_id"]
    view = call["view"]
    assert view["callback_id"] == ids.CALLBACK_FAILURE
    meta = json.loads(view["private_metadata"])
    assert meta["channel_id"] == CHANNEL and meta["lang"] == "nl"

    empty = sim.submit(BRAM, view, {ids.BLOCK_WHAT: "   "})
    assert empty.status == 200
    assert empty.json() == {
        "response_action": "errors",
        "errors": {ids.BLOCK_WHAT: "Vertel in een paar woorden wat er gebeurde."},
    }
    too_long = sim.submit(BRAM, view, {ids.BLOCK_WHAT: "x" * 3001, ids.BLOCK_LESSON: "y" * 3005})
    errors = too_long.json()["errors"]
    assert "3001" in errors[ids.BLOCK_WHAT] and "3005" in errors[ids.BLOCK_LESSON]
    assert deps.storage.db["failures"].count == 0


def test_modal_submission_stores_everything_and_confirms(talk, sim, standin, deps):
    view = talk.open_modal(BRAM)["view"]
    before = len(standin.calls_to(RESPONSE_URL))
    reply = sim.submit(
        BRAM,
        view,
        {
            ids.BLOCK_WHAT: "  De demo liep vast doordat twee koppelingen tegelijk updateten  ",
            ids.BLOCK_KIND: "complex",
            ids.BLOCK_LESSON: "Samen de volgorde van updates afspreken",
            ids.BLOCK_SHARE: "no",
        },
    )
    assert reply.status == 200 and reply.body == ""
    confirmation = standin.wait_calls(RESPONSE_URL, before + 1)[-1].args
    row = deps.storage.db["failures"].get(1)
    assert row["text"] == "De demo liep vast doordat twee koppelingen tegelijk updateten"
    assert (row["kind"], row["kind_source"], row["shared"]) == ("complex", "user", "no")
    assert row["lesson"] == "Samen de volgorde van updates afspreken"
    assert "Je koos: *complex*" in all_text(confirmation)
    assert standin.calls_to("chat.postMessage") == []


FIVE_PEOPLE = [ANNA, BRAM, SANNE, EMMA, "U0DAAN", BOT_USER_ID]


def test_modal_share_anonymously_posts_a_card_without_a_name(talk, sim, standin, deps):
    standin.members[CHANNEL] = FIVE_PEOPLE
    view = talk.open_modal(BRAM)["view"]
    sim.submit(
        BRAM,
        view,
        {
            ids.BLOCK_WHAT: "Experiment met kortere stand-ups mislukt",
            ids.BLOCK_SHARE: "anonymous",
        },
    )
    card = standin.wait_calls("chat.postMessage")[0].args
    assert card["channel"] == CHANNEL
    assert BRAM not in json.dumps(card) and "Anoniem gedeeld" in all_text(card)
    standin.wait_calls(RESPONSE_URL)
    row = deps.storage.db["failures"].get(1)
    assert row["shared"] == "anonymous" and row["shared_ts"]
    assert row["kind"] == "intelligent" and row["kind_source"] == "guess"


def test_anonymous_share_in_a_small_channel_is_refused_kindly(talk, sim, standin, deps):
    """With four people (the bot not counted) the author of an 'anonymous' card is easy to
    guess: no card, the entry kept, and an explanation with the way out."""
    standin.members[CHANNEL] = [ANNA, BRAM, SANNE, EMMA, BOT_USER_ID]
    msg = talk.fout(ANNA, "verkeerde offerte verstuurd")
    choice = talk.click(ANNA, msg, ids.ACTION_SHARE)
    sim.click(ANNA, CHANNEL, choice, ids.ACTION_SHARE_ANONYMOUS)
    answers = standin.wait_calls(RESPONSE_URL, 4)
    assert standin.calls_to("chat.postMessage") == []
    told = all_text(answers[-1].args)  # after the entry is shown again, unshared
    assert "minstens 5 mensen" in told and "#1" in told
    assert deps.storage.db["failures"].get(1)["shared"] == "no"
    # in a channel of five it goes, once
    standin.members[CHANNEL] = FIVE_PEOPLE
    deps.members._cache.clear()
    sim.click(ANNA, CHANNEL, choice, ids.ACTION_SHARE_ANONYMOUS)
    card = standin.wait_calls("chat.postMessage")[0].args
    assert ANNA not in json.dumps(card)


def test_wis_takes_the_shared_card_out_of_the_channel(talk, sim, standin, deps, wait_until):
    msg = talk.fout(ANNA, "verkeerde offerte verstuurd")
    choice = talk.click(ANNA, msg, ids.ACTION_SHARE)
    talk.click(ANNA, choice, ids.ACTION_SHARE_NAMED)
    standin.wait_calls("chat.postMessage")
    card_ts = standin.history[CHANNEL][0]["ts"]
    wait_until(lambda: deps.storage.db["failures"].get(1)["shared_ts"] == card_ts)
    assert [m["ts"] for m in standin.history[CHANNEL]] == [card_ts]
    told = all_text(talk.fout(ANNA, "wis 1"))
    assert "uit het kanaal gehaald" in told
    deleted = standin.calls_to("chat.delete")[0].args
    assert (deleted["channel"], deleted["ts"]) == (CHANNEL, card_ts)
    assert standin.history[CHANNEL] == []


def test_share_button_flow_posts_once_even_on_double_click(talk, sim, standin, deps):
    msg = talk.fout(ANNA, "verkeerde offerte verstuurd")
    choice = talk.click(ANNA, msg, ids.ACTION_SHARE)
    assert choice["replace_original"] is True
    assert "<#C0TEAM>" in all_text(choice)
    # no public post before the explicit choice
    assert standin.calls_to("chat.postMessage") == []
    sim.click(ANNA, CHANNEL, choice, ids.ACTION_SHARE_NAMED)
    sim.click(ANNA, CHANNEL, choice, ids.ACTION_SHARE_NAMED)
    standin.wait_calls(RESPONSE_URL, 4)
    assert len(standin.calls_to("chat.postMessage")) == 1
    assert deps.storage.db["failures"].get(1)["shared"] == "named"


def test_share_cancel_goes_back_without_posting(talk, standin, deps):
    msg = talk.fout(ANNA, "oeps")
    choice = talk.click(ANNA, msg, ids.ACTION_SHARE)
    back = talk.click(ANNA, choice, ids.ACTION_SHARE_CANCEL)
    assert back["replace_original"] is True and "Dank je wel" in all_text(back)
    assert standin.calls_to("chat.postMessage") == []
    assert deps.storage.db["failures"].get(1)["shared"] == "no"


def test_lesson_button_opens_a_modal_and_updates_the_message(talk, sim, standin, deps):
    msg = talk.fout(ANNA, "deadline gemist")
    sim.click(ANNA, CHANNEL, msg, ids.ACTION_ADD_LESSON)
    view = standin.wait_calls("views.open")[0].args["view"]
    assert view["callback_id"] == ids.CALLBACK_LESSON
    empty = sim.submit(ANNA, view, {ids.BLOCK_LESSON: ""})
    assert ids.BLOCK_LESSON in empty.json()["errors"]
    before = len(standin.calls_to(RESPONSE_URL))
    assert sim.submit(ANNA, view, {ids.BLOCK_LESSON: "Eerder om hulp vragen"}).body == ""
    updated = standin.wait_calls(RESPONSE_URL, before + 1)[-1].args
    assert updated["replace_original"] is True
    assert "Eerder om hulp vragen" in all_text(updated)
    assert deps.storage.db["failures"].get(1)["lesson"] == "Eerder om hulp vragen"


def test_someone_elses_buttons_and_modal_are_refused(talk, sim, standin, deps):
    msg = talk.fout(ANNA, "oeps")
    refused = talk.click(BRAM, msg, ids.ACTION_SHARE)
    assert "niet van jou" in all_text(refused) and not refused.get("replace_original")
    sim.click(ANNA, CHANNEL, msg, ids.ACTION_ADD_LESSON)
    view = standin.wait_calls("views.open")[0].args["view"]
    answer = sim.submit(BRAM, view, {ids.BLOCK_LESSON: "overgenomen"})
    assert "niet van jou" in answer.json()["errors"][ids.BLOCK_LESSON]
    assert deps.storage.db["failures"].get(1)["lesson"] is None


def test_change_kind(talk, deps):
    msg = talk.fout(ANNA, "oeps")
    updated = talk.click(ANNA, msg, ids.ACTION_KIND, option="1:intelligent")
    assert "Je koos: *intelligent*" in all_text(updated)
    assert deps.storage.db["failures"].get(1)["kind"] == "intelligent"


def test_list_shows_only_my_entries(talk):
    talk.fout(ANNA, "eerste")
    talk.fout(BRAM, "van bram")
    talk.fout(ANNA, "tweede <b>")
    text = all_text(talk.fout(ANNA, "lijst"))
    assert text.index("tweede") < text.index("eerste")
    assert "van bram" not in text and "&lt;b&gt;" in text


def test_list_when_empty(talk):
    assert "nog geen fouten" in all_text(talk.fout(ANNA, "lijst"))


def test_help_in_dutch_and_english(talk):
    assert "/fout lijst" in all_text(talk.fout(ANNA, "help"))
    talk.fout(SANNE, "taal en")
    assert "/fout list" in all_text(talk.fout(ANNA, "help"))


def test_delete_own_refuse_others_and_missing(talk, deps):
    talk.fout(ANNA, "van anna")
    assert "niet van jou" in all_text(talk.fout(BRAM, "wis 1"))
    assert deps.storage.db["failures"].count == 1
    assert "kan geen melding #99" in all_text(talk.fout(ANNA, "wis 99"))
    assert "verwijderd" in all_text(talk.fout(ANNA, "wis #1"))
    assert deps.storage.db["failures"].count == 0
    assert "Welke melding" in all_text(talk.fout(ANNA, "wis"))


def test_leaders_show_set_and_guard(talk, deps):
    assert "nog geen leiders" in all_text(talk.fout(ANNA, "leiders"))
    done = all_text(talk.fout(SANNE, "leiders <@U0SANNE|sanne> <@U0ANNA|anna>"))
    assert "<@U0SANNE>, <@U0ANNA>" in done
    assert deps.channels.get(TEAM, CHANNEL).leaders == (SANNE, ANNA)
    refused = all_text(talk.fout(BRAM, "leiders <@U0BRAM|bram>"))
    assert "Alleen de huidige leiders" in refused
    assert deps.channels.get(TEAM, CHANNEL).leaders == (SANNE, ANNA)
    assert "<@U0SANNE>" in all_text(talk.fout(BRAM, "leiders"))


def test_language_is_per_channel(talk, deps):
    assert "From now on" in all_text(talk.fout(SANNE, "taal en"))
    assert "Thank you for sharing" in all_text(talk.fout(ANNA, "I forgot the invoice"))
    assert "Dank je wel" in all_text(talk.fout(ANNA, "vergeten", channel="C0OTHER"))
    assert "Kies `nl` of `en`" in all_text(talk.fout(ANNA, "taal fr", channel="C0OTHER"))


def test_expired_trigger_gets_a_friendly_message(talk, standin):
    standin.fail("views.open", "expired_trigger_id")
    notice = talk.fout(ANNA, "")
    assert "formulier kon niet openen" in all_text(notice)


def test_an_unexpected_error_is_logged_and_answered_kindly(talk, deps, caplog, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(deps.failures, "add", boom)
    reply = talk.sim.slash(ANNA, CHANNEL, "oeps, de verkeerde map")
    assert reply.status == 200  # the ack itself explains: nothing was stored
    notice = all_text(reply.json())
    assert "ging aan mijn kant iets mis" in notice and "oeps, de verkeerde map" in notice
    assert any("disk on fire" in (r.exc_text or str(r.exc_info)) for r in caplog.records)


def test_modal_share_where_the_bot_is_not_invited_keeps_the_entry(talk, sim, standin, deps):
    standin.channels_without_bot.add(CHANNEL)
    view = talk.open_modal(BRAM)["view"]
    sim.submit(BRAM, view, {ids.BLOCK_WHAT: "oeps", ids.BLOCK_SHARE: "named"})
    confirmation, notice = (c.args for c in standin.wait_calls(RESPONSE_URL, 2))
    assert "Dank je wel" in all_text(confirmation)
    assert "/invite @Leerzone" in all_text(notice)
    assert deps.storage.db["failures"].get(1)["shared"] == "no"


def test_sharing_from_a_direct_message_is_not_offered_and_explained(talk, sim, standin, deps):
    msg = talk.fout(ANNA, "oeps", channel="D0ANNA")
    actions = [
        e["action_id"] for b in msg["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert ids.ACTION_SHARE not in actions
    view = talk.open_modal(ANNA, channel="D0ANNA")["view"]
    sim.submit(ANNA, view, {ids.BLOCK_WHAT: "oeps", ids.BLOCK_SHARE: "anonymous"})
    notice = standin.wait_calls(RESPONSE_URL, 3)[-1].args
    assert "Vanuit een privégesprek" in all_text(notice)
    assert standin.calls_to("chat.postMessage") == []
    assert deps.storage.db["failures"].get(2)["shared"] == "no"


def test_expired_response_url_falls_back_to_an_ephemeral(talk, sim, standin, deps):
    view = talk.open_modal(BRAM)["view"]
    meta = json.loads(view["private_metadata"])
    meta["response_url"] = standin.url + "/gone"  # answers 404, like an expired response_url
    view = {**view, "private_metadata": json.dumps(meta)}
    sim.submit(BRAM, view, {ids.BLOCK_WHAT: "oeps", ids.BLOCK_SHARE: "no"})
    ephemeral = standin.wait_calls("chat.postEphemeral")[0].args
    assert (ephemeral["channel"], ephemeral["user"]) == (CHANNEL, BRAM)
    assert deps.storage.db["failures"].count == 1


def test_default_leaders_from_settings(tmp_path, settings, converse):
    settings = replace(settings, default_leaders=("U0SANNE",))
    storage = Storage(tmp_path / "x.db")
    app = create_app(build_deps(settings, storage))
    with BackgroundServer(app) as server:
        talk = converse(server.url)
        shown = all_text(talk.fout(BRAM, "leiders"))
        assert "<@U0SANNE>" in shown and "standaard" in shown
        assert "Alleen de huidige leiders" in all_text(talk.fout(BRAM, "leiders <@U0BRAM|b>"))
        assert "zijn nu" in all_text(talk.fout(SANNE, "leiders <@U0SANNE|s> <@U0BRAM|b>"))
    drain(app)
    storage.close()


def test_lesson_form_that_cannot_open_is_explained(talk, standin):
    msg = talk.fout(ANNA, "oeps")
    standin.fail("views.open", "expired_trigger_id")
    notice = talk.click(ANNA, msg, ids.ACTION_ADD_LESSON)
    assert "formulier kon niet openen" in all_text(notice)


def test_a_failing_response_url_does_not_lose_the_answer_to_fout(sim, standin, deps):
    """Slack's response_url can fail (expired, 5xx): the answer comes as an ephemeral then."""
    fields = {
        "token": "t",
        "team_id": TEAM,
        "channel_id": CHANNEL,
        "user_id": ANNA,
        "command": "/fout",
        "text": "oeps, de planning vergeten",
        "response_url": standin.url + "/gone",  # answers 404
        "trigger_id": "1.1.trigger",
    }
    assert sim.send_form(fields).status == 200
    answer = standin.wait_calls("chat.postEphemeral")[0].args
    assert (answer["channel"], answer["user"]) == (CHANNEL, ANNA)
    assert "#1" in all_text(answer) and deps.failures.count(TEAM, ANNA) == 1
