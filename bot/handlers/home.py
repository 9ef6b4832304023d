"""App Home: a short introduction and the user's own latest entries."""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot import views
from bot.deps import Deps


def register(app: App) -> None:
    app.event("app_home_opened")(publish_home)


def publish_home(event: dict, client: WebClient, context: BoltContext) -> None:
    if event.get("tab") != "home":
        return
    deps: Deps = context["deps"]
    user_id = event["user"]
    failures = deps.store.list_failures(context.team_id, user_id, limit=20)
    view = views.home_view(deps.texts(None, None), failures)
    client.views_publish(user_id=user_id, view=view)
