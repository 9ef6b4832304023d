"""Whether a signed request body has the shape Slack gives its requests, before Bolt reads it.

Bolt assumes a JSON object (or form fields whose `payload` is one) and trips with a 500 over
`[]`, `null`, `42`, `payload=null` or a payload whose `actions`, `view`, `user` or `team` are
not what Slack sends. Slack never sends those; a request that does is answered 400 here, after
its signature was checked (so an unsigned one still gets 401 first), and never reaches a
listener. Pure: bytes in, a reason (or None) out.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

OBJECTS = ("user", "team", "channel", "view", "container", "message", "event")


def _payload_problem(data: Any) -> str | None:
    if not isinstance(data, dict):
        return "not an object"
    for key in OBJECTS:
        if key in data and data[key] is not None and not isinstance(data[key], dict):
            return f"{key} is not an object"
    if data.get("type") in ("view_submission", "view_closed") and not isinstance(
        data.get("view"), dict
    ):
        return "view is missing"
    if "actions" in data or data.get("type") == "block_actions":
        actions = data.get("actions")
        if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
            return "actions is not a list of objects"
    # A click in a message always comes with a response_url (only Home and windows, which
    # send their view along, have none): without either, nothing could answer it.
    answerable = str(data.get("response_url") or "").startswith(("https://", "http://"))
    in_message = data.get("type") == "block_actions" and not isinstance(data.get("view"), dict)
    if in_message and not answerable:
        return "a click from a message without a response_url"
    view = data.get("view")
    if isinstance(view, dict) and "state" in view:
        state = view["state"]
        if not isinstance(state, dict) or not isinstance(state.get("values", {}), dict):
            return "view.state.values is not an object"
    return None


def body_problem(body: bytes, content_type: str) -> str | None:
    """Why this body cannot be a Slack request, or None when its shape is fine.

    Cheap on the hot path: a JSON body (every event) is only checked to be an object, which is
    what Bolt trips over; Bolt parses it once itself, and a broken one it refuses with 400.
    Form payloads (clicks and forms, far fewer) are parsed and checked in full."""
    if "application/json" in content_type:
        return None if body.lstrip()[:1] == b"{" else "not an object"
    text = body.decode("utf-8", errors="replace")
    fields = parse_qs(text, keep_blank_values=True)
    if "payload" in fields:
        try:
            return _payload_problem(json.loads(fields["payload"][0]))
        except (ValueError, RecursionError):
            return "payload is not valid JSON"
    return None
