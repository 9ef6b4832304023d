"""Buttons and selects on the private /fout answer: lesson, kind, share."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.detection.detect import KINDS
from bot.failures.learning_loop import stop_asking
from bot.failures.sharing import explain_share_problem, share_failure
from bot.failures.store import Failure
from bot.handlers.requester import team_of, user_of
from bot.slack.clients import open_view
from bot.ui import blocks, failure_views, ids
from bot.ui.texts import Texts


def register(app: App) -> None:
    app.action(ids.ACTION_ADD_LESSON)(add_lesson)
    app.action(ids.ACTION_KIND)(change_kind)
    app.action(ids.ACTION_SHARE)(ask_how_to_share)
    app.action(ids.ACTION_SHARE_NAMED)(share_named)
    app.action(ids.ACTION_SHARE_ANONYMOUS)(share_anonymous)
    app.action(ids.ACTION_SHARE_CANCEL)(cancel_share)
    app.action(ids.ACTION_PROMPT_SHARE)(share_from_prompt)
    app.action(ids.ACTION_LESSON_LATER)(lesson_later)


def own_failure(
    context: BoltContext, respond: Respond, raw_id: str
) -> tuple[Deps, Texts, Failure | None]:
    """The clicked entry if it still exists and belongs to the clicker; else say why not."""
    deps: Deps = context["deps"]
    texts = deps.texts(team_of(context), context.channel_id)
    failure_id = ids.number(raw_id)
    failure = deps.failures.get(team_of(context), failure_id)
    if failure is None:
        respond(response_type="ephemeral", **blocks.notice(texts.part("errors", "entry_gone")))
        return deps, texts, None
    if failure.user_id != user_of(context):
        respond(response_type="ephemeral", **blocks.notice(texts.part("errors", "not_yours")))
        return deps, texts, None
    return deps, texts, failure


def _show(respond: Respond, texts: Texts, failure: Failure) -> None:
    respond(replace_original=True, **failure_views.logged_message(texts, failure))


def add_lesson(
    ack: Ack, action: dict, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    deps, texts, failure = own_failure(context, respond, action.get("value", ""))
    if failure is None:
        return
    metadata = {
        "failure_id": failure.id,
        "lang": texts.lang,
        "channel_id": context.channel_id,
        "response_url": body.get("response_url"),
    }
    view = failure_views.lesson_modal(texts, failure, metadata)
    if open_view(client, body["trigger_id"], view, "a lesson"):
        respond(response_type="ephemeral", **blocks.notice(texts.part("errors", "modal_failed")))


def change_kind(ack: Ack, action: dict, respond: Respond, context: BoltContext) -> None:
    ack()
    raw_id, _, kind = (action.get("selected_option") or {}).get("value", "").partition(":")
    deps, texts, failure = own_failure(context, respond, raw_id)
    if failure is None or kind not in KINDS:
        return
    updated = deps.failures.set_kind(team_of(context), user_of(context), failure.id, kind)
    _show(respond, texts, updated)


def ask_how_to_share(ack: Ack, action: dict, respond: Respond, context: BoltContext) -> None:
    ack()
    _deps, texts, failure = own_failure(context, respond, action.get("value", ""))
    if failure is None:
        return
    if failure.shared != "no":
        _show(respond, texts, failure)
        return
    channel_id = failure.channel_id or context.channel_id or ""
    respond(replace_original=True, **failure_views.share_choice_message(texts, failure, channel_id))


def _share(how: str, action: dict, client: WebClient, respond: Respond, context: Any) -> None:
    deps, texts, failure = own_failure(context, respond, action.get("value", ""))
    if failure is None:
        return
    result = share_failure(
        deps, client, team_of(context), user_of(context), failure.id, how, context.bot_user_id
    )
    if result.failure is not None:
        _show(respond, texts, result.failure)
    if result.needs_explaining:
        respond(response_type="ephemeral", **explain_share_problem(texts, result))


def share_named(
    ack: Ack, action: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    _share("named", action, client, respond, context)


def share_anonymous(
    ack: Ack, action: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    _share("anonymous", action, client, respond, context)


def cancel_share(ack: Ack, action: dict, respond: Respond, context: BoltContext) -> None:
    ack()
    _deps, texts, failure = own_failure(context, respond, action.get("value", ""))
    if failure is not None:
        _show(respond, texts, failure)


def share_from_prompt(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    """The button under a team prompt: the /fout form, with sharing already chosen."""
    ack()
    deps: Deps = context["deps"]
    texts = deps.texts(team_of(context), context.channel_id)
    metadata = {"channel_id": context.channel_id, "lang": texts.lang, "response_url": None}
    view = failure_views.failure_modal(texts, metadata, share="named")
    open_view(client, body["trigger_id"], view, "the form from a prompt")


def lesson_later(ack: Ack, action: dict, respond: Respond, context: BoltContext) -> None:
    """'Niet nu' on the learning loop's question: never asked again."""
    ack()
    deps: Deps = context["deps"]
    raw = action.get("value", "")
    stop_asking(deps, team_of(context), user_of(context), ids.number(raw))
    texts = deps.user_texts(team_of(context), user_of(context))
    respond(replace_original=True, **blocks.notice(texts.part("learning", "later")))
