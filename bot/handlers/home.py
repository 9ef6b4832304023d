"""App Home: my entries, my language, and for leaders their channels (aggregates only)."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.config import LANGUAGES
from bot.deps import Deps
from bot.handlers.requester import allowed_to_govern, team_of, user_of
from bot.insights.home_data import gather
from bot.nudges.delivery import with_permalink
from bot.slack.clients import open_view
from bot.storage.prefs import TIP_DELIVERIES
from bot.team_prompts.rotation import Schedule, parse_time
from bot.team_prompts.schedule_change import (
    change_schedule,
    default_schedule,
)
from bot.ui import blocks, failure_views, home_views, ids
from bot.ui.texts import texts_for


def register(app: App) -> None:
    app.event("app_home_opened")(on_home_opened)
    app.action(ids.ACTION_HOME_LESSON)(home_lesson)
    app.action(ids.ACTION_HOME_DELETE)(home_delete)
    app.action(ids.ACTION_HOME_PAGE)(home_page)
    app.action(ids.ACTION_HOME_LANGUAGE)(home_language)
    app.action(ids.ACTION_HOME_SCHEDULE)(home_schedule)
    app.action(ids.ACTION_HOME_TIP_DELIVERY)(home_tip_delivery)
    app.view(ids.CALLBACK_SCHEDULE)(submit_schedule)


def publish(deps: Deps, client: WebClient, team_id: str, user_id: str, page: int = 1) -> None:
    texts = deps.user_texts(team_id, user_id)
    data = gather(deps, texts, team_id, user_id, page)
    for moment in data.moments:  # a moment put aside gets its link when it is first shown
        moment["nudge"] = with_permalink(deps, client, moment["nudge"])
    client.views_publish(user_id=user_id, view=home_views.home_view(texts, data))


def on_home_opened(event: dict, client: WebClient, context: BoltContext) -> None:
    if event.get("tab") != "home":
        return
    publish(context["deps"], client, team_of(context), event["user"])


def _page(body: dict) -> int:
    """The page the Home tab was on, kept in the published view's private_metadata."""
    meta = blocks.decode_metadata((body.get("view") or {}).get("private_metadata"))
    return ids.number(meta.get("page"), 1)


def home_lesson(
    ack: Ack, action: dict, body: dict, client: WebClient, context: BoltContext
) -> None:
    ack()
    deps: Deps = context["deps"]
    failure = deps.failures.get(team_of(context), ids.number(action.get("value")))
    if failure is None or failure.user_id != user_of(context):
        publish(deps, client, team_of(context), user_of(context))  # stale Home: show what is
        return
    texts = deps.user_texts(team_of(context), user_of(context))
    metadata = {"failure_id": failure.id, "lang": texts.lang, "home": True, "page": _page(body)}
    view = failure_views.lesson_modal(texts, failure, metadata)
    open_view(client, body["trigger_id"], view, "a lesson from Home")


def home_delete(
    ack: Ack, action: dict, body: dict, client: WebClient, context: BoltContext
) -> None:
    ack()
    deps: Deps = context["deps"]
    deps.failures.delete(team_of(context), user_of(context), ids.number(action.get("value")))
    publish(deps, client, team_of(context), user_of(context), _page(body))


def home_page(ack: Ack, action: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    page = ids.number(action.get("value"), 1)
    publish(context["deps"], client, team_of(context), user_of(context), page)


def _choose(
    action: dict, client: WebClient, context: BoltContext, pref: str, allowed: tuple[str, ...]
) -> None:
    """A choice in a Home select becomes the person's own setting; Home shows it."""
    deps: Deps = context["deps"]
    chosen = (action.get("selected_option") or {}).get("value")
    if chosen in allowed:
        deps.prefs.set(team_of(context), user_of(context), **{pref: chosen})
    publish(deps, client, team_of(context), user_of(context))


def home_language(ack: Ack, action: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    _choose(action, client, context, "language", LANGUAGES)


def home_tip_delivery(ack: Ack, action: dict, client: WebClient, context: BoltContext) -> None:
    """A leader chooses how tips reach them: DM, in the channel, or only in Home."""
    ack()
    _choose(action, client, context, "tip_delivery", TIP_DELIVERIES)


def home_schedule(
    ack: Ack, action: dict, body: dict, client: WebClient, context: BoltContext
) -> None:
    ack()
    deps: Deps = context["deps"]
    channel_id = action.get("value") or ""
    if not allowed_to_govern(context, channel_id):
        return  # Home offers this button only to a channel's leaders
    schedule = deps.prompts.schedule(team_of(context), channel_id)
    texts = deps.user_texts(team_of(context), user_of(context))
    celebrations = deps.channels.get(team_of(context), channel_id).celebrations
    view = home_views.schedule_modal(
        texts, channel_id, schedule or default_schedule(deps), celebrations
    )
    open_view(client, body["trigger_id"], view, "a schedule")


def submit_schedule(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
    deps: Deps = context["deps"]
    meta = blocks.decode_metadata(view.get("private_metadata"))
    channel_id = meta.get("channel_id") or ""
    texts = texts_for(meta.get("lang"), deps.settings.language)
    day = str(blocks.input_value(view, ids.BLOCK_DAY))
    at = parse_time(blocks.input_value(view, ids.BLOCK_TIME) or "")
    every = blocks.input_value(view, ids.BLOCK_EVERY)
    if at is None or not day.isdigit() or int(day) > 6 or every not in ("0", "1", "2"):
        ack(response_action="errors", errors={ids.BLOCK_TIME: texts.part("schedule", "usage")})
        return
    if not allowed_to_govern(context, channel_id):
        ack(response_action="errors", errors={ids.BLOCK_DAY: texts.part("errors", "not_yours")})
        return
    ack()
    wanted = None if every == "0" else Schedule(weekday=int(day), at=at, every_weeks=int(every))
    change_schedule(deps, team_of(context), channel_id, user_of(context), wanted, allowed=True)
    celebrate = blocks.input_value(view, ids.BLOCK_CELEBRATE)
    if celebrate in ("on", "off"):  # a form from before this choice has none: leave it as is
        on = celebrate == "on"
        deps.channels.set_celebrations(team_of(context), channel_id, on, user_of(context))
    publish(deps, client, team_of(context), user_of(context))
