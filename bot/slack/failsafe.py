"""What the app does when a listener fails, or when a request matches no listener.

Two promises live here. A person never loses what they typed without being told: when the
database can't be written (read-only, disk full, locked too long) they get "couldn't save, try
later" with their own text quoted back. And Slack always gets its ack: a button from an old
message, an old form, an unknown command or an unknown payload type is acknowledged and, where
a person is waiting, answered kindly, instead of Bolt's 404 (which Slack shows as an error and,
for events, counts toward disabling the app's subscription).
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

from slack_bolt import BoltContext, BoltResponse, Respond
from slack_bolt.error import BoltUnhandledRequestError

from bot.deps import Deps
from bot.slack.clients import SLACK_ERRORS
from bot.slack.private import tell_privately
from bot.storage.database import STORAGE_ERRORS
from bot.ui import blocks
from bot.ui.texts import Texts, blockquote, clip

log = logging.getLogger(__name__)

TYPED_MAX = 2500  # quoted back within one section (3000) together with the explanation


def typed_by_user(body: dict[str, Any]) -> str:
    """What the person typed in this request: a slash command's text or a form's inputs."""
    if body.get("command"):
        return str(body.get("text") or "").strip()
    state = ((body.get("view") or {}).get("state") or {}).get("values") or {}
    typed = [
        str(element.get("value") or "").strip()
        for block in state.values()
        if isinstance(block, dict)
        for element in block.values()
        if isinstance(element, dict) and element.get("type") == "plain_text_input"
    ]
    return "\n\n".join(t for t in typed if t)


def with_typed_back(texts: Texts, text: str, typed: str) -> str:
    """An explanation followed by the person's own text, so nothing they typed is lost."""
    if not typed:
        return text
    kept = texts.part("errors", "storage_kept", typed=blockquote(clip(typed, TYPED_MAX)))
    return f"{text}\n\n{kept}"


def failure_message(texts: Texts, error: BaseException, typed: str) -> dict[str, Any]:
    """The explanation of a failure, with what the person typed quoted back."""
    if not isinstance(error, STORAGE_ERRORS):
        return blocks.notice(with_typed_back(texts, texts.part("errors", "generic"), typed))
    return blocks.notice(with_typed_back(texts, texts.part("errors", "storage"), typed))


def handle_error(
    error: Exception, body: dict, context: BoltContext, logger: logging.Logger
) -> BoltResponse | None:
    """Bolt's global error handler: unmatched requests are acked; failures are explained."""
    deps: Deps | None = context.get("deps") if context else None
    if isinstance(error, BoltUnhandledRequestError):
        return answer_unmatched(body if isinstance(body, dict) else {}, context, deps)
    if isinstance(body, dict) and not isinstance(body.get("event", {}), dict):
        # Valid JSON of a shape Slack never sends: Bolt trips over it in its own middleware.
        logger.warning("refused an event_callback whose event is not an object")
        return BoltResponse(status=400, body="malformed event")
    logger.error("unhandled error in a listener", exc_info=error)
    if deps is None or not isinstance(body, dict) or body.get("type") == "event_callback":
        return None  # an event: nobody is waiting for an answer (a message's author least of all)
    user_id = context.get("user_id")
    meta = blocks.decode_metadata((body.get("view") or {}).get("private_metadata"))
    response_url = body.get("response_url") or meta.get("response_url")
    channel_id = (body.get("channel") or {}).get("id") or body.get("channel_id")
    if not (response_url or user_id):
        return None
    texts = deps.texts(context.get("team_id"), channel_id or meta.get("channel_id"))
    message = failure_message(texts, error, typed_by_user(body))
    try:
        tell_privately(context.client, response_url, channel_id, user_id, message)
    except SLACK_ERRORS as courtesy_error:  # the original error is logged above
        logger.warning("could not tell the user about the error: %r", courtesy_error)
    return None


def answer_unmatched(body: dict[str, Any], context: BoltContext, deps: Deps | None) -> BoltResponse:
    kind = body.get("type") or ("slash_command" if body.get("command") else "unknown")
    names = [a.get("action_id") for a in body.get("actions") or [] if isinstance(a, dict)]
    detail = body.get("command") or (body.get("view") or {}).get("callback_id") or names
    event_type = (
        (body.get("event") or {}).get("type") if isinstance(body.get("event"), dict) else None
    )
    if kind == "app_rate_limited":  # Slack is holding back events: worth an operator's look
        log.warning(
            "Slack rate-limited event delivery (minute %s)", body.get("minute_rate_limited")
        )
    else:
        log.info("ignored a request no listener handles: %s %s", kind, event_type or detail or "")
    if deps is None:
        return BoltResponse(status=200, body="")
    texts = deps.texts(context.get("team_id"), context.get("channel_id"))
    if body.get("command"):  # the body of the ack is shown to the person, privately
        text = texts.part("errors", "unknown_command", command=body["command"])
        return _json(200, {"response_type": "ephemeral", **blocks.notice(text)})
    if kind == "view_submission":  # an old form: don't drop what was typed, show it back
        text = with_typed_back(texts, texts.part("errors", "stale_form"), typed_by_user(body))
        return _json(200, {"response_action": "update", "view": blocks.notice_modal(texts, text)})
    if kind == "block_actions" and body.get("response_url"):
        message = blocks.notice(texts.part("errors", "stale_button"))
        _in_background(_respond, body["response_url"], message)
    return BoltResponse(status=200, body="")


def _respond(response_url: str, message: dict[str, Any]) -> None:
    try:
        Respond(response_url=response_url)(
            response_type="ephemeral", replace_original=False, **message
        )
    except OSError as err:
        log.warning("could not explain an old button: %r", err)


def _in_background(target: Any, *args: Any) -> None:
    """After the ack: the person's click must be acknowledged within 3 seconds."""
    threading.Thread(target=target, args=args, daemon=True, name="leerzone-courtesy").start()


def _json(status: int, body: dict[str, Any]) -> BoltResponse:
    return BoltResponse(
        status=status,
        body=json.dumps(body, ensure_ascii=False),
        headers={"content-type": "application/json;charset=utf-8"},
    )
