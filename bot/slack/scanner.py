"""Channel messages are scanned in the request, acked once scanned, and acted on in the pool.

Nineteen in twenty messages need nothing from Leerzone, but each has to be read by the
detector. The request thread reads its own message (a fraction of a millisecond) before the
ack: the scan records what is still to be done, so a message Slack was told we have is not
only in memory (but see `Busy` below). Only the few that need Slack (a tip to send, or a
channel's member list to ask for) go on to the worker pool, where the Slack calls happen. At
most IN_FLIGHT_MAX messages are at work there; beyond that a message waits in a bounded
queue that one thread hands on as places free up, so a flood is acked at once and held back
instead of piling up in the pool's unbounded queue (and when even that queue is full, the
request waits instead of a message being dropped). A scan that cannot finish in time in the
request (another process holds the database's write lock) says `Busy`: the message is acked,
and the same thread scans it again without the time limit; until then, and only then, it is
in memory alone. A failure in the scan or the action goes to the app's error handler
(`app.error`) with its traceback, as a listener's would.

Why in the request thread: an earlier version handed every message to one scanning thread
and waited for it. On the event benchmark that hand-over (a thread woken and the GIL passed
twice per message) cost more CPU than the scan itself: against bare Bolt ×1.53–1.60 per event
on a realistic chat mix, ×1.25–1.33 with the scan in the request thread.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any, Generic, TypeVar

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

log = logging.getLogger(__name__)

QUEUE_MAX = 10_000  # messages waiting for a place in the pool; then the request waits
IN_FLIGHT_MAX = 500
_SCANNERS: weakref.WeakKeyDictionary[App, MessageScanner[Any]] = weakref.WeakKeyDictionary()

V = TypeVar("V")  # the verdict the scan hands to the action
OnError = Callable[[Exception, BoltRequest], None]
Decide = Callable[[dict[str, Any], BoltContext], V | None]


class Busy(Exception):
    """Raised by a scan that cannot finish before the ack without waiting long (the database
    is locked by another process): the message is scanned again off the request."""


class _Rescan:
    """The mark of a message in the queue that still has to be scanned."""


_RESCAN = _Rescan()


def _log_error(error: Exception, request: BoltRequest) -> None:
    log.error("handling a message failed", exc_info=error)


class MessageScanner(Generic[V]):
    def __init__(
        self,
        decide: Decide[V],
        act: Callable[[dict[str, Any], BoltContext, V], None],
        executor: Executor,
        on_error: OnError = _log_error,
        rescan: Decide[V] | None = None,
    ) -> None:
        self.decide = decide  # cheap, in the request before the ack: a verdict when needed
        self.rescan = rescan or decide  # off the request, after `decide` said Busy
        self.act = act  # the rest, on the worker pool, with that verdict
        self.executor = executor
        self.on_error = on_error
        # Messages handed to the pool and not finished. Bounded: the pool's own queue is not,
        # so under a flood messages wait in our bounded queue, and when that is full too the
        # request waits.
        self._in_flight = threading.BoundedSemaphore(IN_FLIGHT_MAX)
        self._busy = 0
        self._idle = threading.Condition()
        self._queue: queue.Queue[tuple[BoltRequest, V | _Rescan] | None] = queue.Queue(QUEUE_MAX)
        self._thread = threading.Thread(target=self._run, name="leerzone-scanner", daemon=True)
        self._thread.start()

    def middleware(self, req: BoltRequest, next: Callable[[], Any]) -> Any:
        """Bolt global middleware: a message event is scanned here, then acked."""
        body = req.body
        event = body.get("event") if body.get("type") == "event_callback" else None
        if not (isinstance(event, dict) and event.get("type") == "message"):
            return next()
        try:
            verdict = self.decide(body, req.context)
        except Busy:
            req.raw_body = ""
            self._queue.put((req, _RESCAN))  # acked now, scanned when the database lets us
            return BoltResponse(status=200, body="")
        except Exception as error:
            self._report(error, req)
            return BoltResponse(status=200, body="")
        if verdict is not None:
            req.raw_body = ""  # verified and parsed: only the parsed body waits for the pool
            if not self._in_flight.acquire(blocking=False):
                self._queue.put((req, verdict))  # the pool is full: wait in line, acked now
                return BoltResponse(status=200, body="")
            try:
                self._submit(req, verdict)
            except Exception as error:  # recorded by the scan: the next start finishes it
                self._report(error, req)
        return BoltResponse(status=200, body="")

    def _submit(self, req: BoltRequest, verdict: V) -> None:
        """Hand a message to the pool; the caller holds one of its in-flight places."""
        with self._idle:
            self._busy += 1
        try:
            self.executor.submit(self._act, req, verdict)
        except Exception:  # the pool is shut down (the app is stopping)
            self._done()
            raise

    def _run(self) -> None:
        """Messages that waited for the pool, handed on as places free up, and messages whose
        scan could not finish in the request, scanned here."""
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                req, waiting = item
                try:
                    if isinstance(waiting, _Rescan):
                        verdict = self.rescan(req.body, req.context)
                    else:
                        verdict = waiting
                    if verdict is None:
                        continue
                    self._in_flight.acquire()
                    self._submit(req, verdict)
                except Exception as error:
                    self._report(error, req)
            finally:
                self._queue.task_done()

    def _report(self, error: Exception, req: BoltRequest | None) -> None:
        try:
            if req is None:
                raise error
            self.on_error(error, req)
        except Exception:  # the error handler itself failed: the log is all that is left
            log.exception("handling a message failed")

    def _act(self, req: BoltRequest, verdict: V) -> None:
        try:
            self.act(req.body, req.context, verdict)
        except Exception as error:
            self._report(error, req)
        finally:
            self._done()

    def _done(self) -> None:
        self._in_flight.release()
        with self._idle:
            self._busy -= 1
            self._idle.notify_all()

    def drain(self, timeout: float | None = None) -> bool:
        """Wait until every queued message has been scanned and handled (False on timeout)."""
        deadline = None if timeout is None else time.monotonic() + timeout

        def remaining() -> float | None:
            return None if deadline is None else max(0.0, deadline - time.monotonic())

        waiting = self._queue.all_tasks_done
        with waiting:
            if not waiting.wait_for(lambda: self._queue.unfinished_tasks == 0, remaining()):
                return False
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, remaining())

    def idle(self) -> bool:
        """Nothing queued and nothing at work."""
        with self._idle:
            return self._queue.unfinished_tasks == 0 and self._busy == 0

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)


class _ScanMiddleware(Middleware):
    """The scanner as a Bolt Middleware object: Bolt calls it directly, where a plain
    function middleware has its arguments built by inspection on every request (a few per
    cent of the server's CPU per event on the benchmark)."""

    def __init__(self, scanner: MessageScanner[Any]) -> None:
        self.scanner = scanner

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        return self.scanner.middleware(req, next)


def attach(
    app: App,
    decide: Decide[V],
    act: Callable[[dict[str, Any], BoltContext, V], None],
    rescan: Decide[V] | None = None,
) -> MessageScanner[V]:
    """Scan the app's message events before their ack; failures go to the app's error
    handler."""

    def on_error(error: Exception, req: BoltRequest) -> None:
        app.listener_runner.listener_error_handler.handle(error=error, request=req, response=None)

    executor = app.listener_runner.listener_executor
    scanner = MessageScanner(decide, act, executor, on_error, rescan)
    app.use(_ScanMiddleware(scanner))
    _SCANNERS[app] = scanner
    return scanner


def scanner_of(app: App) -> MessageScanner[Any] | None:
    return _SCANNERS.get(app)
