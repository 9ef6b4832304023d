"""The playground over HTTP: each persona sees what Slack would show them, the panels tell
what the bot decided and stored, and nothing anyone types becomes markup."""

import json
import urllib.error
import urllib.request

import pytest

from bot.playground.scenario import DEMO_STEPS
from bot.playground.session import FEMKE, Playground
from bot.playground.web import PlaygroundWeb
from bot.sandbox.personas import ANNA, BRAM, SANNE
from bot.slack.server import BackgroundServer

REPORT = "Sorry allemaal, ik ben vergeten de klant van order 4471 terug te bellen."


@pytest.fixture
def page(tmp_path):
    playground = Playground(str(tmp_path / "playground.db"))
    server = BackgroundServer(None, wsgi=PlaygroundWeb(playground)).start()
    yield server.base_url, playground
    server.stop()
    playground.close()


def call(url, path, body=None, raw=None, content_type="application/json"):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url + path, data=data, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null"), response.headers
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null"), err.headers


def state(url, persona):
    return call(url, f"/api/state?persona={persona}")[1]


def test_a_report_reaches_only_the_leader_and_leaves_no_words_or_author_behind(page):
    url, _playground = page
    assert call(url, "/api/say", {"persona": BRAM, "text": REPORT})[0] == 200
    sanne = state(url, SANNE)
    tip = [p for p in sanne["private"] if "meldt een fout" in p["html"]]
    assert len(tip) == 1 and "@Bram" in tip[0]["html"]
    for other in (ANNA, BRAM, FEMKE):
        assert not any("meldt een fout" in p["html"] for p in state(url, other)["private"])
    decision = sanne["decisions"][0]
    assert "<b>Bram</b>" in decision and "Tip aan Sanne" in decision
    stored = json.dumps(sanne["stored"])
    assert "klant van order 4471" not in stored and BRAM not in stored
    assert sanne["stored"]["scans"] and sanne["stored"]["nudges"]


def test_an_answer_to_fout_is_for_its_author_only_and_buttons_work(page):
    url, _playground = page
    call(url, "/api/say", {"persona": ANNA, "text": "/fout ik vergat de bijlage"})
    anna = state(url, ANNA)
    answer = anna["private"][-1]
    assert "Dank je wel" in answer["html"] and 'data-action-id="lz_add_lesson"' in answer["html"]
    assert not any("Dank je wel" in p["html"] for p in state(url, SANNE)["private"])
    call(url, "/api/click", {"persona": ANNA, "ref": answer["ref"], "action_id": "lz_add_lesson"})
    modal = state(url, ANNA)["modal"]
    assert modal and "<textarea" in modal and state(url, SANNE)["modal"] is None
    call(url, "/api/submit", {"persona": ANNA, "values": {"lesson": "eerst de bijlage"}})
    after = state(url, ANNA)
    assert after["modal"] is None
    assert any(row["lesson"] == "eerst de bijlage" for row in after["stored"]["failures"])


def test_the_leader_asks_another_suggestion_and_opens_home(page):
    url, _playground = page
    call(url, "/api/say", {"persona": BRAM, "text": REPORT})
    tip = next(p for p in state(url, SANNE)["private"] if "meldt een fout" in p["html"])
    before = tip["html"]
    call(url, "/api/click", {"persona": SANNE, "ref": tip["ref"], "action_id": "lz_nudge_other"})
    changed = next(p for p in state(url, SANNE)["private"] if p["ref"] == tip["ref"])
    assert changed["html"] != before  # replaced in place, as Slack replaces it
    call(url, "/api/home", {"persona": SANNE})
    assert "Momenten om te bedanken" in state(url, SANNE)["home"]


@pytest.mark.parametrize(
    "attack",
    ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "<!channel> kijk even"],
)
def test_what_someone_types_shows_as_text(page, attack):
    url, _playground = page
    call(url, "/api/say", {"persona": ANNA, "text": attack})
    html = state(url, ANNA)["channel"][-1]["html"]
    assert "<script" not in html and "<img" not in html
    assert "&lt;" in html or "@channel" in html


def test_the_demo_plays_step_by_step_and_forget_me_leaves_nothing(page):
    url, _playground = page
    shown = []
    for _ in DEMO_STEPS:
        status, answer, _ = call(url, "/api/demo", {"persona": ANNA})
        assert status == 200
        shown.append(answer["persona"])
    assert SANNE in shown and BRAM in shown
    final = state(url, ANNA)
    assert final["demo"]["next"] is None
    assert ANNA not in json.dumps(final["stored"])
    # the complex failure was looked back on together, and its lesson is a card in the thread
    review = final["stored"]["reviews"][0]
    assert review["status"] == "closed" and review["replies"] == 1
    card = next(m for m in final["channel"] if m["replies"])
    thread = " ".join(r["html"] for r in card["replies"])
    assert "zonder schuldvraag" in thread and "op één plek" in thread


def test_the_page_is_guarded_and_odd_requests_are_refused(page):
    url, _playground = page
    with urllib.request.urlopen(url + "/", timeout=10) as response:
        html = response.read().decode()
        policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and '<script src="/app.js"' in html
    assert call(url, "/api/state?persona=U0NIEMAND")[0] == 400
    assert call(url, "/api/say", {"persona": "U0NIEMAND", "text": "hoi"})[0] == 400
    assert call(url, "/api/say", raw=b"[1, 2]")[0] == 400
    assert call(url, "/api/say", raw=b"{not json")[0] == 400
    assert call(url, "/api/submit", {"persona": ANNA, "values": "x"})[0] == 400
    assert call(url, "/api/nothing", {"persona": ANNA})[0] == 404
    assert call(url, "/api/say", raw=b"x" * (70 * 1024))[0] == 413


def test_the_language_switches_for_everyone(page):
    url, _playground = page
    assert call(url, "/api/labels")[1]["send"] == "Versturen"
    call(url, "/api/lang", {"lang": "en"})
    assert call(url, "/api/labels")[1]["send"] == "Send"
    call(url, "/api/say", {"persona": ANNA, "text": "/fout I forgot the attachment"})
    assert "Thank you" in state(url, ANNA)["private"][-1]["html"]


def test_an_ephemeral_tip_is_seen_only_while_the_leader_is_active(page):
    """Sanne chose tips in the channel: while she is away Slack would not show an ephemeral,
    so the bot sends a DM instead; while active, she sees it in the channel, and only she."""
    url, playground = page
    playground.deps.prefs.set("T0LEERZONE", SANNE, tip_delivery="channel")
    call(url, "/api/presence", {"persona": SANNE, "active": False})
    assert state(url, SANNE)["active"] is False
    call(url, "/api/say", {"persona": BRAM, "text": REPORT})
    kinds = [p["kind"] for p in state(url, SANNE)["private"] if "meldt een fout" in p["html"]]
    assert kinds == ["privébericht van Leerzone"]
    call(url, "/api/presence", {"persona": SANNE, "active": True})
    call(
        url,
        "/api/say",
        {"persona": ANNA, "text": "Oeps, ik heb per ongeluk de verkeerde bijlage gestuurd."},
    )
    kinds = [p["kind"] for p in state(url, SANNE)["private"] if "meldt een fout" in p["html"]]
    assert kinds[-1] == "tijdelijk bericht in het kanaal"
    assert not any("meldt een fout" in p["html"] for p in state(url, ANNA)["private"])


def test_a_paused_leader_is_the_reason_given(page):
    url, _playground = page
    call(url, "/api/say", {"persona": BRAM, "text": REPORT})
    tip = next(p for p in state(url, SANNE)["private"] if "meldt een fout" in p["html"])
    call(url, "/api/click", {"persona": SANNE, "ref": tip["ref"], "action_id": "lz_nudge_later"})
    call(
        url,
        "/api/say",
        {"persona": ANNA, "text": "Oeps, ik heb per ongeluk de verkeerde bijlage gestuurd."},
    )
    assert "stil" in state(url, ANNA)["decisions"][0]


def test_the_panel_shows_the_bots_own_verdict_in_a_thread(page):
    """A leader's "why didn't you…?" under a report is read as it is in its thread: possible
    blame, and a private reframe for that leader, as the panel says."""
    url, playground = page
    call(url, "/api/say", {"persona": BRAM, "text": REPORT})
    report_ts = state(url, BRAM)["channel"][-1]["ts"]
    reply = {"persona": SANNE, "text": "waarom heb je dat niet gisteren al gedaan?"}
    call(url, "/api/say", {**reply, "thread_ts": report_ts})
    decision = state(url, SANNE)["decisions"][0]
    assert "<b>Sanne</b>" in decision and "verwijt" in decision and "Tip aan Sanne" in decision
    assert any("verwijt" in p["html"] for p in state(url, SANNE)["private"])
