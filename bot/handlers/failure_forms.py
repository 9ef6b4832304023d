"""Submissions of the /fout form and of the lesson form.

Validation comes first and answers with `response_action: errors` on the field, in the
language the form was opened in; only a valid submission is acknowledged and stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.detection.detect import KINDS, kind_of
from bot.failures.sharing import explain_share_problem, share_failure
from bot.handlers.home import publish
from bot.handlers.requester import team_of, user_of
from bot.slack.private import tell_privately
from bot.storage.database import STORAGE_ERRORS
from bot.ui import blocks, failure_views, ids
from bot.ui.texts import Texts, texts_for

log = logging.getLogger(__name__)
T = TypeVar("T")


def register(app: App) -> None:
    app.view(ids.CALLBACK_FAILURE)(submit_failure)
    app.view(ids.CALLBACK_LESSON)(submit_lesson)


def _clean(value: Any) -> str:
    return str(value or "").strip()


def _length_error(texts: Texts, text: str) -> str | None:
    if len(text) > blocks.TEXT_MAX:
        return texts.label("error_too_long", limit=blocks.TEXT_MAX, length=len(text))
    return None


def validate_failure(texts: Texts, view: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    what = _clean(blocks.input_value(view, ids.BLOCK_WHAT))
    if not what:
        errors[ids.BLOCK_WHAT] = texts.label("error_what_empty")
    elif problem := _length_error(texts, what):
        errors[ids.BLOCK_WHAT] = problem
    lesson = _clean(blocks.input_value(view, ids.BLOCK_LESSON))
    if problem := _length_error(texts, lesson):
        errors[ids.BLOCK_LESSON] = problem
    return errors


def _store_then_ack(ack: Ack, texts: Texts, block_id: str, store: Callable[[], T]) -> T | None:
    """Store first, ack after: if the database can't be written, the form stays open with
    "couldn't save" on the field and everything the person typed still in it."""
    try:
        stored = store()
    except STORAGE_ERRORS:
        log.exception("could not store a form")
        ack(response_action="errors", errors={block_id: texts.label("error_storage")})
        return None
    ack()
    return stored


def submit_failure(
    ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext
) -> None:
    deps: Deps = context["deps"]
    meta = blocks.decode_metadata(view.get("private_metadata"))
    texts = texts_for(meta.get("lang"), deps.settings.language)
    errors = validate_failure(texts, view)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    what = _clean(blocks.input_value(view, ids.BLOCK_WHAT))
    chosen_kind = blocks.input_value(view, ids.BLOCK_KIND)
    share = blocks.input_value(view, ids.BLOCK_SHARE) or "no"
    team_id, user_id = team_of(context), user_of(context)
    channel_id = meta.get("channel_id") or None
    failure = _store_then_ack(
        ack,
        texts,
        ids.BLOCK_WHAT,
        lambda: deps.failures.add(
            team_id=team_id,
            user_id=user_id,
            channel_id=channel_id,
            text=what,
            kind=chosen_kind if chosen_kind in KINDS else kind_of(what),
            kind_source="user" if chosen_kind in KINDS else "guess",
            lesson=_clean(blocks.input_value(view, ids.BLOCK_LESSON)) or None,
        ),
    )
    if failure is None:
        return
    result = None
    if share in ("named", "anonymous"):
        result = share_failure(
            deps, client, team_id, user_id, failure.id, share, context.bot_user_id
        )
        failure = result.failure or failure
    response_url = meta.get("response_url")
    tell_privately(
        client, response_url, channel_id, user_id, failure_views.logged_message(texts, failure)
    )
    if result and result.needs_explaining:
        message = explain_share_problem(texts, result)
        tell_privately(client, response_url, channel_id, user_id, message)


def submit_lesson(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    deps: Deps = context["deps"]
    meta = blocks.decode_metadata(view.get("private_metadata"))
    texts = texts_for(meta.get("lang"), deps.settings.language)
    lesson = _clean(blocks.input_value(view, ids.BLOCK_LESSON))
    failure = deps.failures.get(team_of(context), ids.number(meta.get("failure_id")))
    error = None
    if failure is None:
        error = texts.part("errors", "entry_gone")
    elif failure.user_id != user_of(context):
        error = texts.part("errors", "not_yours")
    elif not lesson:
        error = texts.label("error_lesson_empty")
    else:
        error = _length_error(texts, lesson)
    if error or failure is None:
        ack(response_action="errors", errors={ids.BLOCK_LESSON: error or ""})
        return
    failure_id = failure.id
    updated = _store_then_ack(
        ack,
        texts,
        ids.BLOCK_LESSON,
        lambda: deps.failures.set_lesson(team_of(context), user_of(context), failure_id, lesson),
    )
    if updated is None:
        return
    if meta.get("home"):
        publish(deps, client, team_of(context), user_of(context), ids.number(meta.get("page"), 1))
        return
    tell_privately(
        client,
        meta.get("response_url"),
        meta.get("channel_id"),
        user_of(context),
        failure_views.logged_message(texts, updated),
        replace_original=True,
    )
