"""Drift tests: the manifest, Slack's manifest schema, and what the app actually handles."""

import json
import logging
from pathlib import Path

import pytest
import yaml

from bot.sandbox.shared import SLACK_FIXTURES

MANIFEST = yaml.safe_load((Path(__file__).resolve().parents[2] / "manifest.yml").read_text())
SCHEMA_URL = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/"
# Event types Slack could send that Leerzone does not (yet) subscribe to.
OTHER_EVENTS = ["app_mention", "reaction_added"]


def test_manifest_validates_against_slacks_schema():
    jsonschema = pytest.importorskip("jsonschema")
    referencing = pytest.importorskip("referencing")
    folder = SLACK_FIXTURES / "manifest"
    if not folder.exists():
        pytest.skip(f"manifest schema not found at {folder}")
    registry = referencing.Registry()
    for version in ("1.0.0", "2.0.0"):
        contents = json.loads((folder / f"manifest.schema.{version}.json").read_text())
        resource = referencing.Resource.from_contents(
            contents, default_specification=referencing.jsonschema.DRAFT7
        )
        registry = registry.with_resource(f"{SCHEMA_URL}manifest.schema.{version}.json", resource)
    root = json.loads((folder / "manifest.schema.json").read_text())
    validator = jsonschema.Draft7Validator(root, registry=registry)
    errors = list(validator.iter_errors(MANIFEST))
    assert not errors, [e.message for e in errors]
    # and the schema does reject an invalid manifest (so the check is real)
    invalid = json.loads((folder / "examples" / "v1.manifest.invalid.json").read_text())
    assert list(validator.iter_errors(invalid))


def test_manifest_has_what_the_app_needs():
    features, settings = MANIFEST["features"], MANIFEST["settings"]
    assert [c["command"] for c in features["slash_commands"]] == ["/fout"]
    assert features["slash_commands"][0]["should_escape"] is True  # mentions arrive as <@U…>
    assert features["app_home"]["home_tab_enabled"] is True
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write"} <= scopes
    # reading channel messages and their members (conversations.members)
    assert {"channels:history", "groups:history", "channels:read", "groups:read"} <= scopes


def _event(sim, event_type):
    body = json.dumps(
        {
            "token": "t",
            "team_id": "T0LEERZONE",
            "api_app_id": "A0LEERZONE",
            "type": "event_callback",
            "event_id": "Ev1",
            "event_time": 1,
            "event": {
                "type": event_type,
                "user": "U0ANNA",
                "channel": "C0TEAM",
                "tab": "home",
                "text": "hoi",
                "ts": "1.2",
                "event_ts": "1.2",
            },
        }
    )
    return sim.send(body, "application/json")


def ignored(caplog) -> list[str]:
    """Requests no listener matched: acked on purpose and logged as ignored (see failsafe)."""
    return [r.getMessage() for r in caplog.records if "no listener handles" in r.getMessage()]


def test_every_manifest_command_is_handled(sim, caplog):
    caplog.set_level(logging.INFO, logger="bot.slack.failsafe")
    for command in MANIFEST["features"]["slash_commands"]:
        assert sim.slash("U0ANNA", "C0TEAM", "help", command=command["command"]).status == 200
    assert ignored(caplog) == []
    reply = sim.slash("U0ANNA", "C0TEAM", "help", command="/unknown")
    assert reply.status == 200 and "/unknown" in reply.json()["text"]
    assert len(ignored(caplog)) == 1


def test_every_manifest_event_is_handled_and_no_other(sim, caplog):
    caplog.set_level(logging.INFO, logger="bot.slack.failsafe")
    for subscription in MANIFEST["settings"]["event_subscriptions"]["bot_events"]:
        event_type = subscription.split(".")[0]  # message.channels arrives as type "message"
        assert _event(sim, event_type).status == 200, subscription
    assert ignored(caplog) == []
    for event_type in OTHER_EVENTS:
        caplog.clear()
        assert _event(sim, event_type).status == 200  # acked, so Slack doesn't retry
        assert ignored(caplog), f"{event_type} handled but not in manifest"


def test_every_manifest_shortcut_is_handled_and_no_other(sim, standin, caplog):
    """Drift: the message shortcuts in manifest.yml and the registered listeners agree."""
    caplog.set_level(logging.INFO, logger="bot.slack.failsafe")
    shortcuts = MANIFEST["features"]["shortcuts"]
    assert {s["callback_id"] for s in shortcuts} == {"lz_thank_first", "lz_log_as_failure"}
    assert all(s["type"] == "message" and len(s["name"]) <= 24 for s in shortcuts)
    message = {"user": "U0ANNA", "text": "oeps", "ts": "1.000001"}
    for shortcut in shortcuts:
        reply = sim.message_shortcut("U0ANNA", "C0TEAM", message, shortcut["callback_id"])
        assert reply.status == 200, shortcut["callback_id"]
    assert ignored(caplog) == []
    assert sim.message_shortcut("U0ANNA", "C0TEAM", message, "lz_unknown").status == 200
    assert len(ignored(caplog)) == 1


def test_scopes_cover_what_delivery_needs():
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert {"im:write", "im:history", "users:read"} <= scopes  # DMs, restart check, presence
