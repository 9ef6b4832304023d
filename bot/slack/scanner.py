"""Channel messages are acked at once and scanned afterwards on one dedicated thread.

Nineteen in twenty messages need nothing from Leerzone, but each has to be read by the
detector. Doing that inside the request threads (or handing every message to Bolt's worker
pool) made the threads fight over the GIL: on the bench it doubled the server's CPU per
event. One scanning thread reads them in turn; only the few that need a tip, a reframe or a
reply count are handed to the worker pool, where the Slack calls happen. The queue is
bounded: when it is full the request waits (Slack gets a slower ack) instead of a message
being dropped.
"""

from __future__ import annotations

import logging
import queue
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

log = logging.getLogger(__name__)

QUEUE_MAX = 10_000
BATCH_MAX = 200
IN_FLIGHT_MAX = 500
_SCANNERS: weakref.WeakKeyDictionary[App, MessageScanner] = weakref.WeakKeyDictionary()

Decide = Callable[[dict[str, Any], BoltContext], bool]
Act = Callable[[dict[str, Any], BoltContext], None]


class MessageScanner:
    def __init__(self, decide: Decide, act: Act, executor: Executor) -> None:
        self.decide = decide  # cheap, on the scanning thread: does this message need us?
        self.act = act  # the rest, on the worker pool
        self.executor = executor
        # Messages handed to the pool and not finished. Bounded: the pool's own queue is not,
        # so under a flood the scanner waits here, its queue fills, and the request waits.
        self._in_flight = threading.BoundedSemaphore(IN_FLIGHT_MAX)
        self._busy = 0
        self._idle = threading.Condition()
        self._queue: queue.Queue[tuple[dict[str, Any], BoltContext] | None] = queue.Queue(QUEUE_MAX)
        self._thread = threading.Thread(target=self._run, name="leerzone-scanner", daemon=True)
        self._thread.start()

    def middleware(self, body: dict, context: BoltContext, next: Callable[[], Any]) -> Any:
        """Bolt global middleware: message events are acked here and queued."""
        event = body.get("event") if body.get("type") == "event_callback" else None
        if isinstance(event, dict) and event.get("type") == "message":
            self._queue.put((body, context))
            return BoltResponse(status=200, body="")
        return next()

    def _run(self) -> None:
        while True:
            # Take what is waiting in one go: fewer hand-overs of the GIL per message.
            batch = [self._queue.get()]
            while len(batch) < BATCH_MAX:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            for item in batch:
                try:
                    if item is None:
                        return
                    body, context = item
                    if self.decide(body, context):
                        self._in_flight.acquire()
                        with self._idle:
                            self._busy += 1
                        self.executor.submit(self._act, body, context)
                except Exception:
                    log.exception("scanning a message failed")
                finally:
                    self._queue.task_done()

    def _act(self, body: dict[str, Any], context: BoltContext) -> None:
        try:
            self.act(body, context)
        except Exception:
            log.exception("handling a message failed")
        finally:
            self._in_flight.release()
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def drain(self) -> None:
        """Wait until every queued message has been scanned and handled."""
        self._queue.join()
        with self._idle:
            self._idle.wait_for(lambda: self._busy == 0)

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)


def attach(app: App, decide: Decide, act: Act) -> MessageScanner:
    scanner = MessageScanner(decide, act, app.listener_runner.listener_executor)
    app.use(scanner.middleware)
    _SCANNERS[app] = scanner
    return scanner


def scanner_of(app: App) -> MessageScanner | None:
    return _SCANNERS.get(app)
