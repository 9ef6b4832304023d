"""The app factory: one Bolt App with its dependencies (settings, stores, clock) injected."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient

from bot import handlers
from bot.config import Settings
from bot.deps import Deps
from bot.handlers import channel_events
from bot.slack.clients import make_client
from bot.slack.failsafe import handle_error
from bot.slack.scanner import scanner_of
from bot.storage.database import Storage

log = logging.getLogger(__name__)


class InjectDeps(Middleware):
    """Puts settings and stores into every request's context, so handlers stay module-level."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Any) -> BoltResponse | None:
        req.context["deps"] = self.deps
        return next()


class ListenerPool(ThreadPoolExecutor):
    """Bolt's listener pool, counting the work in flight so one can wait for quiet: a
    shutdown before closing the storage, a test before saying "no tip came".

    It never makes a listener queue. Bolt answers Slack's HTTP request only once the
    listener has called ack(), and the listener runs on this pool: when every worker is stuck
    on a slow Slack call, a queued listener would ack late and Slack would show the person
    an error after 3 s. So work that finds every worker busy gets a thread of its own.
    (Only signed requests from Slack get this far, so the extra threads follow real use.)
    """

    def __init__(self, max_workers: int) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="leerzone")
        self.workers = max_workers
        self._busy = 0
        self._quiet = threading.Condition()
        self._warned_at = 0.0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._quiet:
            self._busy += 1
            overflow = self._busy > self.workers
        try:
            future = (
                self._beside(fn, args, kwargs) if overflow else super().submit(fn, *args, **kwargs)
            )
        except BaseException:
            self._finished(None)
            raise
        future.add_done_callback(self._finished)
        return future

    def _beside(self, fn: Callable[..., Any], args: Any, kwargs: Any) -> Future[Any]:
        """Run `fn` on a thread of its own, as a Future like the pool's."""
        if self._shutdown:
            raise RuntimeError("cannot schedule new futures after shutdown")
        if time.monotonic() - self._warned_at > 60:
            self._warned_at = time.monotonic()
            log.warning(
                "all %d listener threads are busy (is Slack slow?): adding threads", self.workers
            )
        future: Future[Any] = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as err:  # noqa: BLE001 (handed to the Future, as the pool does)
                future.set_exception(err)

        threading.Thread(target=run, name="leerzone-extra", daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=wait, cancel_futures=cancel_futures)
        if wait:
            self.wait_quiet(timeout=60)  # the extra threads, too

    def _finished(self, _future: Future[Any] | None) -> None:
        with self._quiet:
            self._busy -= 1
            self._quiet.notify_all()

    def wait_quiet(self, timeout: float) -> bool:
        with self._quiet:
            return self._quiet.wait_for(lambda: self._busy == 0, timeout)


def build_deps(
    settings: Settings, storage: Storage, now: Callable[[], datetime] | None = None
) -> Deps:
    """Every store built once, over one storage; `now` injected for tests that move time."""
    if now is None:
        return Deps(settings=settings, storage=storage)
    return Deps(settings=settings, storage=storage, now=now)


def create_app(deps: Deps, client: WebClient | None = None) -> App:
    settings = deps.settings
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
        listener_executor=ListenerPool(max_workers=10),
        **options,
    )
    if settings.oauth:
        app.enable_token_revocation_listeners()  # uninstall removes that workspace's tokens
    else:
        channel_events.register_uninstall_notice(app)
    app.use(InjectDeps(deps))
    app.error(handle_error)
    handlers.register(app)
    return app


def drain(app: App) -> None:
    """Wait for work still running after its ack (before closing the storage)."""
    message_scanner = scanner_of(app)
    if message_scanner is not None:
        message_scanner.drain()  # it may still hand messages to the pool
        message_scanner.stop()
    app.listener_runner.listener_executor.shutdown(wait=True)


def settle(app: App, timeout: float = 5.0) -> None:
    """Wait until every request acked so far has been handled: scanned messages acted on and
    listeners finished (TimeoutError if that takes longer than `timeout`)."""
    deadline = time.monotonic() + timeout
    message_scanner = scanner_of(app)
    pool = app.listener_runner.listener_executor
    while True:
        scanned = message_scanner is None or message_scanner.drain(deadline - time.monotonic())
        remaining = max(0.0, deadline - time.monotonic())
        if not (scanned and isinstance(pool, ListenerPool) and pool.wait_quiet(remaining)):
            raise TimeoutError(f"the app was still busy after {timeout}s")
        if message_scanner is None or message_scanner.idle():
            return
