"""The buttons on a leader's private tip: done, another suggestion, not a mistake, not now."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.deps import Deps
from bot.handlers.requester import team_of, user_of
from bot.nudges.store import Nudge
from bot.ui import blocks, ids, tip_views
from bot.ui.texts import Texts

MUTE = timedelta(hours=24)


def register(app: App) -> None:
    app.action(ids.ACTION_NUDGE_DONE)(nudge_done)
    app.action(ids.ACTION_NUDGE_OTHER)(nudge_other)
    app.action(ids.ACTION_NUDGE_FALSE)(nudge_false_positive)
    app.action(ids.ACTION_NUDGE_LATER)(nudge_later)
    app.action(ids.ACTION_NUDGE_WHY)(nudge_why)


def _own_nudge(
    context: BoltContext, action: dict[str, Any], respond: Respond
) -> tuple[Deps, Texts, Nudge | None, str]:
    deps: Deps = context["deps"]
    nudge_id, cue = tip_views.parse_nudge_value(action.get("value", ""))
    nudge = deps.nudges.get(team_of(context), nudge_id)
    texts = deps.texts(team_of(context), context.channel_id)
    if nudge is None or nudge.leader_id != user_of(context):
        respond(response_type="ephemeral", **blocks.notice(texts.part("errors", "entry_gone")))
        return deps, texts, None, cue
    return deps, texts, nudge, cue


def _replace(respond: Respond, text: str) -> None:
    respond(replace_original=True, **blocks.notice(text))


def nudge_done(ack: Ack, action: dict, respond: Respond, context: BoltContext) -> None:
    ack()
    deps, texts, nudge, _cue = _own_nudge(context, action, respond)
    if nudge:
        deps.nudges.set_status(nudge, "done")
        _replace(respond, texts.part("nudge", "done", author=nudge.author_id))


def nudge_other(ack: Ack, action: dict, respond: Respond, context: BoltContext) -> None:
    ack()
    deps, texts, nudge, cue = _own_nudge(context, action, respond)
    if nudge:
        updated = deps.nudges.set_status(nudge, "sent", variant=nudge.variant + 1)
        message = tip_views.nudge_message(
            texts,
            updated.id,
            updated.author_id,
            updated.kind or "preventable",
            updated.variant,
            cue,
        )
        respond(replace_original=True, **message)


def nudge_false_positive(ack: Ack, action: dict, respond: Respond, context: BoltContext) -> None:
    ack()
    deps, texts, nudge, _cue = _own_nudge(context, action, respond)
    if nudge:
        deps.nudges.mark_false_positive(nudge)
        _replace(respond, texts.part("nudge", "false_positive"))


def nudge_later(ack: Ack, action: dict, respond: Respond, context: BoltContext) -> None:
    ack()
    deps, texts, nudge, _cue = _own_nudge(context, action, respond)
    if nudge:
        deps.nudges.mute(nudge.team_id, nudge.channel_id, nudge.leader_id, deps.now() + MUTE)
        deps.nudges.set_status(nudge, "later")
        _replace(respond, texts.part("nudge", "later", channel_id=nudge.channel_id))


def nudge_why(ack: Ack, action: dict, respond: Respond, context: BoltContext) -> None:
    ack()
    deps, texts, nudge, _cue = _own_nudge(context, action, respond)
    if nudge:
        help_text = texts.part(
            "nudge", "help", channel_id=nudge.channel_id, daily_cap=deps.settings.daily_nudges
        )
        respond(response_type="ephemeral", replace_original=False, **blocks.notice(help_text))
