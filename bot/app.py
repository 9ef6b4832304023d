"""The app factory: one Bolt App with its Slack client and store injected."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot import handlers
from bot.config import Settings
from bot.deps import Deps
from bot.slack.failsafe import handle_error
from bot.slack.scanner import scanner_of
from bot.storage.database import Store

log = logging.getLogger(__name__)

# A Web API call that hangs longer than this gives up (then retried once by the handler for
# dropped connections): a listener must not hold a worker for slack-sdk's default 30 s.
SLACK_TIMEOUT_S = 10


class InjectDeps(Middleware):
    """Puts settings and store into every request's context, so handlers stay module-level."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Any) -> BoltResponse | None:
        req.context["deps"] = self.deps
        return next()


def make_client(settings: Settings, timeout: float = SLACK_TIMEOUT_S) -> WebClient:
    """A WebClient for settings.api_url that waits out 429s and retries dropped connections."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        timeout=timeout,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_deps(settings: Settings, store: Store, now: Callable[[], datetime] | None = None) -> Deps:
    deps = Deps(settings=settings, store=store)
    return replace(deps, now=now) if now is not None else deps


def create_app(
    settings: Settings,
    store: Store,
    client: WebClient | None = None,
    *,
    now: Callable[[], datetime] | None = None,
    deps: Deps | None = None,
) -> App:
    options: dict[str, Any] = {}
    if settings.oauth:
        from bot.slack.oauth import oauth_settings

        options["oauth_settings"] = oauth_settings(settings)
    app = App(
        client=client or make_client(settings),
        signing_secret=settings.signing_secret,
        name="leerzone",
        # Requests no listener matches go to handle_error, which acks them deliberately.
        raise_error_for_unhandled_request=True,
        # Our own pool, so a shutdown can wait for listeners still at work (see drain).
        listener_executor=ThreadPoolExecutor(max_workers=10, thread_name_prefix="leerzone"),
        **options,
    )
    if settings.oauth:
        app.enable_token_revocation_listeners()  # uninstall removes that workspace's tokens
    app.use(InjectDeps(deps or build_deps(settings, store, now)))
    app.error(handle_error)
    handlers.register(app)
    return app


def drain(app: App) -> None:
    """Wait for work still running after its ack (before closing the store)."""
    message_scanner = scanner_of(app)
    if message_scanner is not None:
        message_scanner.drain()  # it may still hand messages to the pool
        message_scanner.stop()
    app.listener_runner.listener_executor.shutdown(wait=True)
