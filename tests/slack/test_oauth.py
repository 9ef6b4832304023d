"""Multi-workspace install: two workspaces through Slack's OAuth flow, and nothing shared."""

import json
import re
import sqlite3
import urllib.request
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import BOT_SCOPES, ConfigError, Settings
from bot.insights.digest import send_digests
from bot.privacy.data_rights import export_user, forget_user
from bot.privacy.retention import nightly_purge
from bot.sandbox.simulator import SlackSimulator
from bot.sandbox.transcript import all_text
from bot.slack.oauth import installation_clients
from bot.team_prompts.posting import post_due_prompts
from tests.slack.test_manifest import MANIFEST

ONE, TWO = "T0ONE", "T0TWO"
USER = "U0SAME"  # the same user id in both workspaces: data must still never mix
CLIENT_ID, CLIENT_SECRET = "111.222", "client-secret"


@pytest.fixture
def settings(tmp_path, standin):
    """Many workspaces: OAuth instead of one bot token (the conftest app is built on these)."""
    standin.register_oauth_app(CLIENT_ID, CLIENT_SECRET)
    return Settings(
        bot_token=None,
        signing_secret="test-signing-secret",
        api_url=standin.base_url,
        db_path=str(tmp_path / "data" / "leerzone.db"),
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        state_secret="state-secret",
    )


@pytest.fixture
def oauth(settings, deps, app, server):
    return settings, deps, app, server


def get(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(), err.headers


def install(server, team_id, tamper=False):
    base = server.url.removesuffix("/slack/events")
    status, page, headers = get(base + "/slack/install")
    assert status == 200
    state = re.search(r"state=([^&\"]+)", page).group(1)
    cookie = headers["Set-Cookie"].split(";")[0]
    if tamper:
        state = state[:-1] + ("0" if state[-1] != "0" else "1")
    return get(f"{base}/slack/oauth_redirect?code=code-{team_id}&state={state}", cookie)


def test_oauth_settings_need_all_three_variables():
    base = {"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1", "SLACK_CLIENT_SECRET": "2"}
    with pytest.raises(ConfigError) as err:
        Settings.from_env(base)
    assert err.value.variable == "SLACK_STATE_SECRET"
    full = Settings.from_env({**base, "SLACK_STATE_SECRET": "3"})
    assert full.oauth and full.bot_token is None  # no single bot token needed


def test_manifest_scopes_match_what_oauth_asks_for():
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == set(BOT_SCOPES)


def test_two_workspaces_install_and_stay_apart(oauth, standin):
    settings, deps, app, server = oauth
    for team in (ONE, TWO):
        status, page, _ = install(server, team)
        assert status == 200, page
    bots = app.oauth_flow.settings.installation_store
    tokens = {
        team: bots.find_bot(enterprise_id=None, team_id=team).bot_token for team in (ONE, TWO)
    }
    assert tokens[ONE] != tokens[TWO]
    one = SlackSimulator(server.url, settings.signing_secret, standin, team_id=ONE)
    two = SlackSimulator(server.url, settings.signing_secret, standin, team_id=TWO)
    assert one.slash(USER, "C1", "in workspace een vergat ik de offerte").status == 200
    assert two.slash(USER, "C2", "in workspace twee vergat ik de planning").status == 200
    standin.wait_calls("response_url", 2)
    assert deps.failures.count(ONE, USER) == 1 and deps.failures.count(TWO, USER) == 1
    # each request was authorised with its own workspace's token
    assert {c.token for c in standin.calls_to("auth.test")} >= set(tokens.values())
    # Home tab of workspace two shows only workspace two
    two.send_event(
        {"type": "app_home_opened", "user": USER, "channel": "D1", "tab": "home", "event_ts": "1.1"}
    )
    home = standin.wait_calls("views.publish")[0]
    assert home.token == tokens[TWO]
    text = all_text(home.args["view"])
    assert "planning" in text and "offerte" not in text
    # export is per workspace
    exported = json.dumps(export_user(deps, TWO, USER))
    assert "planning" in exported and "offerte" not in exported


def test_jobs_use_each_workspace_token_and_digests_stay_apart(oauth, standin, scheduled, rotate_to):
    settings, deps, app, server = oauth
    for team in (ONE, TWO):
        install(server, team)
    clients = installation_clients(settings, app.oauth_flow.settings.installation_store)
    scheduled(deps, (ONE, "C1"), (TWO, "C2"))
    for team, channel in ((ONE, "C1"), (TWO, "C2")):
        rotate_to(deps, "share_own__01", team, channel)  # a prompt for the whole channel
    for team, channel in ((ONE, "C1"), (TWO, "C2")):
        deps.channels.set_leaders(team, channel, [USER], by=USER)
    monday = datetime(2026, 11, 30, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    outcomes = post_due_prompts(deps, clients, monday, sleep=lambda s: None)
    assert sorted(o.status for o in outcomes) == ["posted", "posted"]
    posts = {c.args["channel"]: c.token for c in standin.calls_to("chat.postMessage")}
    bots = app.oauth_flow.settings.installation_store
    assert posts["C1"] == bots.find_bot(enterprise_id=None, team_id=ONE).bot_token
    assert posts["C2"] == bots.find_bot(enterprise_id=None, team_id=TWO).bot_token
    assert send_digests(deps, clients, monday + timedelta(days=4)) == 2
    digests = [c for c in standin.calls_to("chat.postMessage") if c.args["channel"] == USER]
    assert [("<#C1>" in all_text(d.args), "<#C2>" in all_text(d.args)) for d in digests] in (
        [(True, False), (False, True)],
        [(False, True), (True, False)],
    )


def test_a_forged_state_is_refused(oauth):
    _settings, _deps, app, server = oauth
    status, _page, _ = install(server, ONE, tamper=True)
    assert status >= 400
    assert (
        app.oauth_flow.settings.installation_store.find_bot(enterprise_id=None, team_id=ONE) is None
    )


def test_uninstall_removes_the_workspace_tokens(oauth, standin, wait_until):
    settings, _deps, app, server = oauth
    install(server, ONE)
    bots = app.oauth_flow.settings.installation_store
    assert bots.find_bot(enterprise_id=None, team_id=ONE) is not None
    one = SlackSimulator(server.url, settings.signing_secret, standin, team_id=ONE)
    assert one.send_event({"type": "app_uninstalled", "event_ts": "1.1"}).status == 200
    wait_until(lambda: bots.find_bot(enterprise_id=None, team_id=ONE) is None, what="uninstall")


def test_the_installer_is_exported_without_tokens_and_forgotten(oauth, standin):
    """The installer's id (and any user token) sits in slack-sdk's installations file: the
    export shows those rows without a token, forget-me takes the id off, and the workspace's
    bot keeps working after."""
    settings, deps, app, server = oauth
    install(server, ONE)
    installer = "U0ADMINONE"  # who the stand-in says authorised the install
    exported = export_user(deps, ONE, installer)
    rows = exported["installations"]
    assert len(rows) == 1 and rows[0]["user_id"] == installer and rows[0]["team_id"] == ONE
    assert "xoxb-" not in json.dumps(exported) and "bot_token" not in rows[0]
    counts = forget_user(deps, ONE, installer)
    assert counts["installations"] == 1
    raw = (Path(settings.db_path).parent / "installations.db").read_bytes()
    assert installer.encode() not in raw
    assert export_user(deps, ONE, installer)["installations"] == []
    one = SlackSimulator(server.url, settings.signing_secret, standin, team_id=ONE)
    assert one.slash(USER, "C1", "na het vergeten werkt de bot nog").status == 200
    assert "Dank je wel" in all_text(standin.wait_calls("response_url")[0].args)


def test_install_links_nobody_finished_are_purged_at_night(oauth):
    settings, deps, app, server = oauth
    base = server.url.removesuffix("/slack/events")
    for _ in range(3):  # three people open the install page and walk away
        assert get(base + "/slack/install")[0] == 200
    states = sqlite3.connect(Path(settings.db_path).parent / "oauth_states.db")
    assert states.execute("SELECT count(*) FROM oauth_states").fetchone()[0] == 3
    assert nightly_purge(deps)["oauth_states"] == 0  # not expired yet
    later = replace(deps, now=lambda: datetime.now(UTC) + timedelta(minutes=11))
    assert nightly_purge(later)["oauth_states"] == 3
    assert states.execute("SELECT count(*) FROM oauth_states").fetchone()[0] == 0
