"""The buttons on a leader's tip: done, another suggestion, look back together (complex
failures), not a mistake, not now, why.

They behave the same wherever the tip is: in a DM or an ephemeral the message is replaced
(through its response_url); in the Home tab, which has no response_url, the Home is
published again and "why" opens a small window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.handlers.home import publish
from bot.handlers.requester import team_of, user_of
from bot.nudges.store import Nudge
from bot.reviews.flow import ask_author
from bot.slack.clients import open_view
from bot.ui import blocks, ids, tip_views
from bot.ui.texts import Texts

MUTE = timedelta(hours=24)


def register(app: App) -> None:
    app.action(ids.ACTION_NUDGE_DONE)(nudge_done)
    app.action(ids.ACTION_NUDGE_OTHER)(nudge_other)
    app.action(ids.ACTION_NUDGE_FALSE)(nudge_false_positive)
    app.action(ids.ACTION_NUDGE_LATER)(nudge_later)
    app.action(ids.ACTION_NUDGE_WHY)(nudge_why)
    app.action(ids.ACTION_REVIEW_TIP)(nudge_review)


@dataclass(frozen=True)
class TipClick:
    """A click on a tip's button, wherever the tip was."""

    deps: Deps
    texts: Texts
    nudge: Nudge
    cue: str
    author: str  # the reporter, from the tip's own button ("" when the tip did not name them)
    body: dict[str, Any]
    client: WebClient
    respond: Respond

    @property
    def from_home(self) -> bool:
        return (self.body.get("container") or {}).get("type") == "view"

    def show(self, message: dict[str, Any]) -> None:
        """Replace the tip with `message` (in Home: show the Home as it is now)."""
        if self.from_home:
            publish(self.deps, self.client, self.nudge.team_id, self.nudge.leader_id)
        else:
            self.respond(replace_original=True, **message)

    def say(self, text: str) -> None:
        self.show(blocks.notice(text))


def _click(
    action: dict[str, Any], body: dict[str, Any], client: WebClient, respond: Respond, context: Any
) -> TipClick | None:
    """The clicked tip if it still exists and is the clicker's own; else say why not."""
    deps: Deps = context["deps"]
    nudge_id, author, cue = tip_views.parse_nudge_value(action.get("value", ""))
    nudge = deps.nudges.get(team_of(context), nudge_id)
    if nudge is None or nudge.leader_id != user_of(context):
        texts = deps.texts(team_of(context), context.channel_id)
        if (body.get("container") or {}).get("type") == "view":
            publish(deps, client, team_of(context), user_of(context))
        else:
            respond(response_type="ephemeral", **blocks.notice(texts.part("errors", "entry_gone")))
        return None
    texts = deps.texts(nudge.team_id, nudge.channel_id)
    return TipClick(deps, texts, nudge, cue, author, body, client, respond)


def nudge_done(
    ack: Ack, action: dict, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    if click := _click(action, body, client, respond, context):
        click.deps.nudges.set_status(click.nudge, "done")
        click.say(click.texts.part("nudge", "done", author=click.author))


def nudge_other(
    ack: Ack, action: dict, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    if click := _click(action, body, client, respond, context):
        nudge = click.nudge
        updated = click.deps.nudges.set_status(nudge, nudge.status, variant=nudge.variant + 1)
        click.show(tip_views.nudge_message(click.texts, updated, click.cue, click.author))


def nudge_false_positive(
    ack: Ack, action: dict, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    if click := _click(action, body, client, respond, context):
        click.deps.nudges.mark_false_positive(click.nudge)
        click.say(click.texts.part("nudge", "false_positive"))


def nudge_later(
    ack: Ack, action: dict, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    if click := _click(action, body, client, respond, context):
        deps, nudge = click.deps, click.nudge
        deps.nudges.mute(nudge.team_id, nudge.channel_id, nudge.leader_id, deps.now() + MUTE)
        deps.nudges.set_status(nudge, "later")
        click.say(click.texts.part("nudge", "later", channel_id=nudge.channel_id))


def nudge_why(
    ack: Ack, action: dict, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    if click := _click(action, body, client, respond, context):
        help_text = click.texts.part(
            "nudge",
            "help",
            channel_id=click.nudge.channel_id,
            daily_cap=click.deps.settings.daily_nudges,
        )
        if not click.from_home:
            respond(response_type="ephemeral", replace_original=False, **blocks.notice(help_text))
            return
        view = blocks.notice_modal(click.texts, help_text)
        open_view(client, body["trigger_id"], view, "'why' from Home")  # Home stays as it is


def nudge_review(
    ack: Ack, action: dict, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    """ "Samen terugkijken" on a tip about a complex report: ask its author first."""
    ack()
    click = _click(action, body, client, respond, context)
    if click is None:
        return
    nudge, texts = click.nudge, click.deps.user_texts(click.nudge.team_id, click.nudge.leader_id)

    def tell(text: str) -> None:
        respond(response_type="ephemeral", replace_original=False, **blocks.notice(text))

    if not click.author:
        tell(texts.part("review", "no_author"))
        return
    thread_ts = nudge.thread_ts  # the report's own ts, or the thread it was a reply in
    if click.deps.reviews.in_thread(nudge.team_id, nudge.channel_id, thread_ts):
        tell(texts.part("review", "already"))
        return
    review = click.deps.reviews.create(
        team_id=nudge.team_id,
        channel_id=nudge.channel_id,
        thread_ts=thread_ts,
        author_id=click.author,
        leader_id=nudge.leader_id,
    )
    ask_author(click.deps, client, review, nudge.leader_id)
    tell(texts.part("review", "asked_leader", author=click.author))
