"""Samen terugkijken: the author's consent (from their entry, or asked by a leader), the stop
button under the questions, and the leader's lesson.

Who may do what is checked on every click from what is stored, never from the button: only
the author consents or stops, only a leader of the channel writes the lesson.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.failures.sharing import explain_share_problem, share_failure
from bot.handlers.failure_buttons import own_failure
from bot.handlers.requester import team_of, user_of
from bot.reviews import flow
from bot.reviews.store import Review
from bot.slack.clients import open_view, send_dm
from bot.slack.private import tell_privately
from bot.ui import blocks, ids, review_views
from bot.ui.texts import Texts, texts_for


def register(app: App) -> None:
    app.action(ids.ACTION_REVIEW_ENTRY)(review_from_entry)
    app.view(ids.CALLBACK_REVIEW_CONSENT)(consent_submitted)
    app.action(ids.ACTION_REVIEW_YES_NAMED)(author_yes_named)
    app.action(ids.ACTION_REVIEW_YES_ANONYMOUS)(author_yes_anonymous)
    app.action(ids.ACTION_REVIEW_NO)(author_no)
    app.action(ids.ACTION_REVIEW_STOP)(stop_review)
    app.action(ids.ACTION_REVIEW_LESSON)(lesson_button)
    app.view(ids.CALLBACK_REVIEW_LESSON)(lesson_submitted)


def _tell(respond: Respond, text: str, replace: bool = False) -> None:
    if replace:
        respond(replace_original=True, **blocks.notice(text))
    else:
        respond(response_type="ephemeral", replace_original=False, **blocks.notice(text))


def _review(context: BoltContext, raw: Any) -> tuple[Deps, Texts, Review | None]:
    deps: Deps = context["deps"]
    texts = deps.user_texts(team_of(context), user_of(context))
    review_id = ids.number(raw)
    return deps, texts, deps.reviews.get(team_of(context), review_id)


# the author's own entry -------------------------------------------------------------------


def review_from_entry(
    ack: Ack, action: dict, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    deps, texts, failure = own_failure(context, respond, action.get("value", ""))
    if failure is None:
        return
    metadata = {
        "failure_id": failure.id,
        "channel_id": failure.channel_id,
        "lang": texts.lang,
        "response_url": body.get("response_url"),
    }
    view = review_views.consent_modal(texts, failure, metadata)
    if error := open_view(client, body["trigger_id"], view, "a review's consent"):
        _tell(respond, texts.part("review", "failed", error=error))


def consent_submitted(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    """Submitting the window is the author's consent: share (if needed), then open it."""
    ack()
    deps: Deps = context["deps"]
    team_id, user_id = team_of(context), user_of(context)
    meta = blocks.decode_metadata(view.get("private_metadata"))
    texts = texts_for(meta.get("lang"), deps.settings.language)
    failure_id = meta.get("failure_id")
    failure = deps.failures.get(team_id, failure_id) if isinstance(failure_id, int) else None
    if failure is None or failure.user_id != user_id:
        return  # not theirs (or gone): nothing is shared or posted

    where = failure.channel_id

    def tell(message: dict[str, Any]) -> None:
        tell_privately(client, meta.get("response_url"), where, user_id, message)

    share = failure.shared
    if share == "no":
        share = str(blocks.input_value(view, ids.BLOCK_REVIEW_SHARE) or "named")
        result = share_failure(
            deps, client, team_id, user_id, failure.id, share, context.bot_user_id
        )
        if result.problem is not None or result.failure is None:
            tell(explain_share_problem(texts, result))
            return
        failure = result.failure
    if not failure.shared_ts or not failure.shared_channel_id:
        tell(blocks.notice(texts.part("review", "failed", error="not_shared")))
        return
    if deps.reviews.in_thread(team_id, failure.shared_channel_id, failure.shared_ts):
        tell(blocks.notice(texts.part("review", "already")))
        return
    review = deps.reviews.create(
        team_id=team_id,
        channel_id=failure.shared_channel_id,
        thread_ts=failure.shared_ts,
        author_id=user_id,
        failure_id=failure.id,
        share=share,
    )
    error = flow.open_review(deps, client, review, share)
    key = "started_author" if error is None else "failed"
    tell(blocks.notice(texts.part("review", key, channel_id=review.channel_id, error=error)))


# the author, asked by a leader ----------------------------------------------------------


def _consent(
    share: str, action: dict, respond: Respond, client: WebClient, context: BoltContext
) -> None:
    deps, texts, review = _review(context, action.get("value"))
    if review is None or review.status not in ("asked",):
        _tell(respond, texts.part("review", "gone"), replace=True)
        return
    if review.author_id != user_of(context):
        _tell(respond, texts.part("review", "not_author"))
        return
    error = flow.open_review(deps, client, review, share)
    key = "started_author" if error is None else "failed"
    text = texts.part("review", key, channel_id=review.channel_id, error=error)
    _tell(respond, text, replace=error is None)


def author_yes_named(
    ack: Ack, action: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    _consent("named", action, respond, client, context)


def author_yes_anonymous(
    ack: Ack, action: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    _consent("anonymous", action, respond, client, context)


def author_no(
    ack: Ack, action: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    deps, texts, review = _review(context, action.get("value"))
    if review is None or review.author_id != user_of(context):
        _tell(respond, texts.part("review", "not_author"))
        return
    flow.decline(deps, client, review)
    _tell(respond, texts.part("review", "declined_author"), replace=True)


# under the questions: only the author stops ------------------------------------------------


def stop_review(
    ack: Ack, action: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    deps, texts, review = _review(context, action.get("value"))
    if review is None or review.status not in ("asked", "open"):
        _tell(respond, texts.part("review", "gone"))
        return
    if review.author_id != user_of(context):
        _tell(respond, texts.part("review", "not_author"))
        return
    flow.stop(deps, client, review)
    _tell(respond, texts.part("review", "stopped_author"))


# the leader's lesson ---------------------------------------------------------------------


def _leads(deps: Deps, review: Review, user_id: str) -> bool:
    return user_id in deps.channels.leaders(review.team_id, review.channel_id)[0]


def lesson_button(
    ack: Ack, action: dict, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    deps, texts, review = _review(context, action.get("value"))
    from_home = (body.get("container") or {}).get("type") == "view"
    problem = None
    if review is None or review.status != "open":
        problem = texts.part("review", "gone")
    elif not _leads(deps, review, user_of(context)):
        problem = texts.part("review", "not_leader")
    if problem or review is None:
        if not from_home:
            _tell(respond, problem or "")
        return
    metadata = {"review_id": review.id, "lang": texts.lang}
    view = review_views.lesson_modal(texts, review, metadata)
    open_view(client, body["trigger_id"], view, "a review's lesson")


def lesson_submitted(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    deps: Deps = context["deps"]
    team_id, user_id = team_of(context), user_of(context)
    meta = blocks.decode_metadata(view.get("private_metadata"))
    texts = texts_for(meta.get("lang"), deps.settings.language)
    lesson = str(blocks.input_value(view, ids.BLOCK_REVIEW_LESSON) or "").strip()
    if not lesson:
        ack(
            response_action="errors",
            errors={ids.BLOCK_REVIEW_LESSON: texts.label("error_lesson_empty")},
        )
        return
    ack()
    _deps, _texts, review = _review(context, meta.get("review_id"))
    if review is None or not _leads(deps, review, user_id):
        return
    error = flow.close_with_lesson(deps, client, review, lesson)
    if error is None:
        text = texts.part("review", "closed_leader", channel_id=review.channel_id)
    elif error == "gone":
        text = texts.part("review", "gone")
    else:
        text = texts.part("review", "failed", error=error)
    send_dm(client, team_id, user_id, blocks.notice(text), "review lesson")
