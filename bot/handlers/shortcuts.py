"""Message shortcuts: "Bedank eerst" for a channel's leaders, "Leg vast als fout" for one's own.

"Bedank eerst" works on any message, also one the detector missed: a leader's judgement beats
ours. It marks the message as a report (so a blame reply in its thread gets a reframe) and
counts as a moment in the leader's own tip figures; the message's text is read to guess the
kind and then forgotten.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.detection.detect import KINDS, kind_of
from bot.handlers.requester import team_of, user_of
from bot.slack.clients import SLACK_ERRORS, open_view, slack_error
from bot.slack.history import permalink
from bot.ui import blocks, failure_views, ids, shortcut_views
from bot.ui.texts import Texts, plain_from_slack, texts_for

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.shortcut(ids.SHORTCUT_THANK_FIRST)(thank_first)
    app.shortcut(ids.SHORTCUT_LOG_AS_FAILURE)(log_as_failure)
    app.action(ids.ACTION_THANK_KIND)(thank_first_kind)
    app.action(ids.ACTION_THANK_OTHER)(thank_first_other)


def _tell(respond: Respond, text: str) -> None:
    respond(response_type="ephemeral", replace_original=False, **blocks.notice(text))


def _open(
    client: WebClient, trigger_id: str, view: dict[str, Any], respond: Respond, texts: Texts
) -> None:
    if error := open_view(client, trigger_id, view, "a shortcut"):
        _tell(respond, texts.part("shortcuts", "no_modal", error=error))


def thank_first(
    ack: Ack, shortcut: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    deps: Deps = context["deps"]
    team_id, leader = team_of(context), user_of(context)
    channel_id = (shortcut.get("channel") or {}).get("id") or ""
    message = shortcut.get("message") or {}
    author = str(message.get("user") or "")
    texts = deps.texts(team_id, channel_id)
    leaders, _ = deps.channels.leaders(team_id, channel_id)
    if not leaders:
        _tell(respond, texts.part("shortcuts", "no_leaders", channel_id=channel_id))
        return
    if leader not in leaders:
        _tell(
            respond, texts.part("shortcuts", "not_a_leader", channel_id=channel_id, leaders=leaders)
        )
        return
    if author == leader or not author:
        _tell(respond, texts.part("shortcuts", "own_message"))
        return
    ts = str(message.get("ts") or shortcut.get("message_ts") or "")
    kind = kind_of(str(message.get("text") or ""))
    permalink = _mark_as_report(deps, client, team_id, channel_id, message, ts, leader, kind)
    moment = {"author": author, "channel_id": channel_id, "permalink": permalink, "kind": kind}
    _open(
        client,
        shortcut["trigger_id"],
        shortcut_views.thank_first_modal(texts, moment),
        respond,
        texts,
    )


def _mark_as_report(
    deps: Deps,
    client: WebClient,
    team_id: str,
    channel_id: str,
    message: dict[str, Any],
    ts: str,
    leader: str,
    kind: str,
) -> str | None:
    """The leader says this is a report: remember that (ids, kind, no text) and count it."""
    thread_ts = str(message.get("thread_ts") or ts)
    if not deps.nudges.is_report(team_id, channel_id, ts):
        deps.nudges.record_scan(
            team_id=team_id,
            channel_id=channel_id,
            ts=ts,
            thread_ts=thread_ts,
            kind=kind,
            score=1.0,
            cue_category="leader",
        )
    link = permalink(client, channel_id, ts)
    nudge = deps.nudges.claim(
        team_id=team_id,
        channel_id=channel_id,
        thread_ts=thread_ts,
        message_ts=ts,
        leader_id=leader,
        purpose="suggestion",
        kind=kind,
        at=deps.now(),
    )
    if nudge is not None:  # a moment the leader saw for themselves: done by opening it
        deps.nudges.set_status(nudge, "sent", delivered_via="shortcut", permalink=link)
    return link


def _redraw(body: dict, client: WebClient, context: BoltContext, **changes: Any) -> None:
    deps: Deps = context["deps"]
    view = body.get("view") or {}
    moment = {**blocks.decode_metadata(view.get("private_metadata")), **changes}
    if not moment.get("author") or not moment.get("channel_id"):
        return  # not our window, or its metadata was lost: leave it as it is
    texts = texts_for(moment.get("lang"), deps.settings.language)
    try:
        client.views_update(
            view_id=view["id"],
            hash=view.get("hash"),
            view=shortcut_views.thank_first_modal(texts, moment),
        )
    except SLACK_ERRORS as err:  # e.g. hash_conflict after a double click: the newer one wins
        log.warning("views.update of 'Bedank eerst' failed: %s", slack_error(err))


def thank_first_kind(
    ack: Ack, action: dict, body: dict, client: WebClient, context: BoltContext
) -> None:
    ack()
    kind = (action.get("selected_option") or {}).get("value")
    if kind in KINDS:
        _redraw(body, client, context, kind=kind, variant=0)


def thank_first_other(
    ack: Ack, action: dict, body: dict, client: WebClient, context: BoltContext
) -> None:
    ack()
    meta = blocks.decode_metadata((body.get("view") or {}).get("private_metadata"))
    _redraw(body, client, context, variant=ids.number(meta.get("variant")) + 1)


def log_as_failure(
    ack: Ack, shortcut: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    ack()
    deps: Deps = context["deps"]
    team_id, user_id = team_of(context), user_of(context)
    channel_id = (shortcut.get("channel") or {}).get("id") or ""
    message = shortcut.get("message") or {}
    texts = deps.texts(team_id, channel_id)
    if message.get("user") != user_id:
        _tell(respond, texts.part("shortcuts", "not_yours"))
        return
    metadata = {
        "channel_id": channel_id,
        "lang": texts.lang,
        "response_url": shortcut.get("response_url"),
    }
    what = plain_from_slack(str(message.get("text") or ""))
    view = failure_views.failure_modal(texts, metadata, what=what)
    _open(client, shortcut["trigger_id"], view, respond, texts)
