"""The confirmation buttons of `/fout vergeet-mij`."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext, Respond

from bot.deps import Deps
from bot.failures.sharing import take_down_cards
from bot.handlers.requester import team_of, user_of
from bot.privacy.data_rights import forget_user
from bot.ui import blocks, ids


def register(app: App) -> None:
    app.action(ids.ACTION_FORGET_YES)(forget_confirmed)
    app.action(ids.ACTION_FORGET_NO)(forget_cancelled)


def forget_confirmed(ack: Ack, respond: Respond, context: BoltContext) -> None:
    ack()
    deps: Deps = context["deps"]
    texts = deps.texts(team_of(context), context.channel_id)  # read before the prefs go
    cards = deps.failures.shared_cards(team_of(context), user_of(context))
    counts = forget_user(deps, team_of(context), user_of(context))
    removed, left = take_down_cards(context.client, cards)
    text = texts.part(
        "privacy",
        "forget_done",
        failures=counts["failures"],
        nudges=counts["nudges"],
        leaderships=counts["leaderships"],
        cards=removed,
        cards_left=left,
    )
    respond(replace_original=True, **blocks.notice(text))


def forget_cancelled(ack: Ack, respond: Respond, context: BoltContext) -> None:
    ack()
    deps: Deps = context["deps"]
    texts = deps.texts(team_of(context), context.channel_id)
    respond(replace_original=True, **blocks.notice(texts.part("privacy", "forget_cancelled")))
