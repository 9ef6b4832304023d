"""Signed requests into the app, shaped the way Slack sends them.

Slash commands are form-encoded; interactions are a form field `payload` holding JSON; events
are JSON. Shapes follow the recorded payloads in ../shared/slack-fixtures/interactivity/ and
events/. Used by the demo and the tests, so both exercise the real HTTP path with signatures.
"""

from __future__ import annotations

import itertools
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from bot.sandbox.standin import APP_ID, TEAM_ID, SlackStandIn


@dataclass
class Reply:
    status: int
    body: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def signed_headers(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature or ""}


def post(url: str, body: str, content_type: str, headers: dict[str, str]) -> Reply:
    request = urllib.request.Request(
        url, data=body.encode(), headers={"Content-Type": content_type, **headers}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Reply(response.status, response.read().decode())
    except urllib.error.HTTPError as err:
        return Reply(err.code, err.read().decode())


class SlackSimulator:
    """Plays the Slack side of a conversation against the app's /slack/events endpoint."""

    def __init__(
        self, app_url: str, signing_secret: str, standin: SlackStandIn, team_id: str = TEAM_ID
    ) -> None:
        self.app_url = app_url
        self.secret = signing_secret
        self.standin = standin
        self.team_id = team_id
        self._n = itertools.count(1)

    def send(self, body: str, content_type: str, headers: dict[str, str] | None = None) -> Reply:
        all_headers = {**signed_headers(self.secret, body), **(headers or {})}
        return post(self.app_url, body, content_type, all_headers)

    def send_form(self, fields: dict[str, Any]) -> Reply:
        return self.send(urlencode(fields), "application/x-www-form-urlencoded")

    def send_payload(self, payload: dict[str, Any]) -> Reply:
        return self.send_form({"payload": json.dumps(payload)})

    def send_event(self, event: dict[str, Any], **envelope: Any) -> Reply:
        if event.get("type") == "message" and event.get("subtype") in (None, "thread_broadcast"):
            self.standin.user_message(event)  # it is in the channel now, whatever the app does
        body = {
            "token": "verification_token",
            "team_id": self.team_id,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{next(self._n):010d}",
            "event_time": int(time.time()),
            **envelope,
        }
        return self.send(json.dumps(body), "application/json")

    def _user(self, user_id: str) -> dict[str, Any]:
        return {
            "id": user_id,
            "username": user_id.lower(),
            "name": user_id.lower(),
            "team_id": self.team_id,
        }

    def slash(self, user_id: str, channel_id: str, text: str, command: str = "/fout") -> Reply:
        n = next(self._n)
        return self.send_form(
            {
                "token": "verification_token",
                "team_id": self.team_id,
                "team_domain": "leerzone-demo",
                "channel_id": channel_id,
                "channel_name": "team",
                "user_id": user_id,
                "user_name": user_id.lower(),
                "command": command,
                "text": text,
                "api_app_id": APP_ID,
                "response_url": self.standin.response_url(f"commands/{n}"),
                "trigger_id": f"{n}.{n}.trigger",
            }
        )

    def click(
        self,
        user_id: str,
        channel_id: str,
        message: dict[str, Any],
        action_id: str,
        option_value: str | None = None,
        is_ephemeral: bool = True,
    ) -> Reply:
        """Click the element with action_id in a message the bot sent (as recorded)."""
        action = clicked(message.get("blocks") or [], action_id, option_value)
        n = next(self._n)
        payload = {
            "type": "block_actions",
            "user": self._user(user_id),
            "api_app_id": APP_ID,
            "token": "verification_token",
            "container": {
                "type": "message",
                "message_ts": message.get("ts", f"{n}.000001"),
                "channel_id": channel_id,
                "is_ephemeral": is_ephemeral,
            },
            "trigger_id": f"{n}.{n}.trigger",
            "team": {"id": self.team_id, "domain": "leerzone-demo"},
            "channel": {"id": channel_id, "name": "team"},
            "response_url": self.standin.response_url(f"actions/{n}"),
            "actions": [action],
        }
        return self.send_payload(payload)

    def click_in_view(
        self,
        user_id: str,
        view: dict[str, Any],
        action_id: str,
        option_value: str | None = None,
    ) -> Reply:
        """Click an element in a view the bot published or opened (the Home tab, a window):
        Slack sends the view along, and no response_url."""
        action = clicked(view.get("blocks") or [], action_id, option_value)
        n = next(self._n)
        view_id = view.get("id") or f"V{n:08d}"
        payload = {
            "type": "block_actions",
            "user": self._user(user_id),
            "api_app_id": APP_ID,
            "token": "verification_token",
            "container": {"type": "view", "view_id": view_id},
            "trigger_id": f"{n}.{n}.trigger",
            "team": {"id": self.team_id, "domain": "leerzone-demo"},
            "view": {**view, "id": view_id, "hash": view.get("hash") or f"{n}.hash"},
            "actions": [action],
        }
        return self.send_payload(payload)

    def message_shortcut(
        self, user_id: str, channel_id: str, message: dict[str, Any], callback_id: str
    ) -> Reply:
        """A message shortcut (⋯ on a message), shaped like Slack's message_action payload."""
        n = next(self._n)
        payload = {
            "type": "message_action",
            "token": "verification_token",
            "action_ts": f"{time.time():.6f}",
            "team": {"id": self.team_id, "domain": "leerzone-demo"},
            "user": {"id": user_id, "name": user_id.lower()},
            "channel": {"id": channel_id, "name": "team"},
            "callback_id": callback_id,
            "trigger_id": f"{n}.{n}.trigger",
            "message_ts": message["ts"],
            "message": {"type": "message", "team": self.team_id, **message},
            "response_url": self.standin.response_url(f"shortcuts/{n}"),
        }
        return self.send_payload(payload)

    def submit(self, user_id: str, view: dict[str, Any], values: dict[str, Any]) -> Reply:
        """Submit a modal the bot opened; `values` maps block_id to text or option value."""
        state: dict[str, Any] = {}
        for block in view.get("blocks", []):
            if block.get("type") != "input" or block["block_id"] not in values:
                continue
            element = block["element"]
            value = values[block["block_id"]]
            if element["type"] == "plain_text_input":
                entry = {"type": "plain_text_input", "value": value}
            elif element["type"] == "timepicker":
                entry = {"type": "timepicker", "selected_time": value}
            else:
                chosen = next((o for o in element["options"] if o["value"] == value), None)
                entry = {"type": element["type"], "selected_option": chosen}
            state[block["block_id"]] = {element["action_id"]: entry}
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": "leerzone-demo"},
            "user": self._user(user_id),
            "api_app_id": APP_ID,
            "token": "verification_token",
            "trigger_id": f"{next(self._n)}.trigger",
            "view": {**view, "state": {"values": state}},
            "response_urls": [],
        }
        return self.send_payload(payload)


def message_event(
    user: str,
    channel: str,
    text: str,
    ts: str,
    thread_ts: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A person's channel message as the Events API delivers it (message.channels)."""
    event = {
        "type": "message",
        "user": user,
        "text": text,
        "ts": ts,
        "channel": channel,
        "channel_type": "channel",
        "event_ts": ts,
        **extra,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def clicked(
    blocks: list[dict[str, Any]], action_id: str, option_value: str | None = None
) -> dict[str, Any]:
    """The `actions` entry Slack sends for a click on (or a choice in) an element."""
    block_id, element = find_element(blocks, action_id)
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "type": element["type"],
        "action_ts": f"{time.time():.6f}",
    }
    if element["type"] == "button":
        action.update(text=element["text"], value=element.get("value", ""))
    else:
        chosen = next(o for o in element["options"] if o["value"] == option_value)
        action["selected_option"] = chosen
    return action


def find_element(blocks: list[dict[str, Any]], action_id: str) -> tuple[str, dict[str, Any]]:
    for block in blocks:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("action_id") == action_id:
                return block.get("block_id", ""), element
        accessory = block.get("accessory")
        if accessory and accessory.get("action_id") == action_id:
            return block.get("block_id", ""), accessory
    raise LookupError(f"no element {action_id!r} in the message")
