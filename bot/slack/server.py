"""Serving the app over HTTP with waitress (a production WSGI server) via Bolt's WSGI adapter."""

from __future__ import annotations

import io
import logging
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier
from waitress.server import TcpWSGIServer, create_server

from bot.slack.request_shape import body_problem

EVENTS_PATH = "/slack/events"
# Waitress's limits, set for what Slack sends: its requests are small (a modal's state is the
# largest, well under 1 MB), it never holds a connection idle for minutes, and it does not
# open hundreds at once. The defaults (no body limit, 120 s idle, 100 connections) let a few
# idle sockets or large bodies take the bot down; in production a reverse proxy goes in front.
SERVER_LIMITS: dict[str, Any] = {
    "max_request_body_size": 1024 * 1024,
    "channel_timeout": 20,
    "connection_limit": 500,
    "cleanup_interval": 10,
}
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")

log = logging.getLogger(__name__)


Health = Callable[[], str]  # the database's state: "ok", "busy" or "read-only"


def _healthy() -> str:
    return "ok"


def wsgi_app(app: App, health: Health = _healthy) -> Callable[..., Iterable[bytes]]:
    """Bolt at /slack/events plus a /healthz for load balancers and uptime checks: 200 "ok"
    while the database can be written, 503 "degraded" while it cannot (the app still answers
    Slack then, saying it cannot save)."""
    bolt = SlackRequestHandler(app, path=EVENTS_PATH)
    verifier = SignatureVerifier(app._signing_secret)  # Bolt keeps it, without a public name

    def application(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            state = health()
            if state == "read-only":
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                return [b"degraded: the database cannot be written (read-only file or disk)"]
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok" if state == "ok" else f"ok (database {state})".encode()]
        if environ.get("PATH_INFO") == EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST":
            stamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
            if not _TIMESTAMP.match(stamp):  # unsigned, whatever else it is: before any parsing
                log.warning("refused a request without a valid Slack timestamp")
                start_response("401 Unauthorized", [("Content-Type", "text/plain")])
                return [b"invalid request"]
            body = _read_body(environ)
            if _malformed(body, environ, stamp, verifier):
                start_response("400 Bad Request", [("Content-Type", "text/plain")])
                return [b"malformed body"]
        try:
            return bolt(environ, start_response)
        except (ValueError, RecursionError):  # Bolt parses first; bad or absurdly deep JSON
            log.warning("refused a request whose body is not valid JSON or form data")
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"malformed body"]

    return application


def _malformed(
    body: bytes, environ: dict[str, Any], stamp: str, verifier: SignatureVerifier
) -> bool:
    """A signed body of a shape Slack never sends. Only a signed request hears "malformed"
    (an unsigned one gets Bolt's 401), and nothing unsigned is parsed: an event's JSON is only
    looked at (its first character), a form is parsed after its signature checks out."""
    content_type = str(environ.get("CONTENT_TYPE") or "")
    signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
    if "application/json" in content_type:  # every event: keep it cheap
        problem = body_problem(body, content_type)
        signed = problem is not None and verifier.is_valid(body, stamp, signature)
    else:
        signed = verifier.is_valid(body, stamp, signature)
        problem = body_problem(body, content_type) if signed else None
    if problem and signed:
        log.warning("refused a signed request of a shape Slack never sends: %s", problem)
        return True
    return False


def _read_body(environ: dict[str, Any]) -> bytes:
    """Read the body once and put it back for Bolt (waitress already capped its size)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def serve(app: App, port: int, host: str = "0.0.0.0", health: Health = _healthy) -> None:
    """Blocks until interrupted."""
    create_server(wsgi_app(app, health), host=host, port=port, threads=8, **SERVER_LIMITS).run()


class BackgroundServer:
    """The same server on a thread and a free port, for the demo and tests. `wsgi` serves
    another WSGI application (the playground's page) instead of the app's."""

    def __init__(
        self,
        app: App | None,
        host: str = "127.0.0.1",
        health: Health = _healthy,
        wsgi: Callable[..., Iterable[bytes]] | None = None,
        port: int = 0,
    ) -> None:
        application = wsgi or wsgi_app(app, health)  # type: ignore[arg-type]
        server = create_server(application, host=host, port=port, threads=4, **SERVER_LIMITS)
        # one host and port: waitress made a single TCP server, which knows its port
        assert isinstance(server, TcpWSGIServer)
        self._server = server
        port = int(server.getsockname()[1])
        self.base_url = f"http://{host}:{port}"
        self.url = f"{self.base_url}{EVENTS_PATH}"
        self._stopping = False
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        try:
            self._server.run()
        except OSError:
            # waitress's loop trips over its own closed socket when stopped from another
            # thread; that is the stop we asked for, anything else is a real error.
            if not self._stopping:
                raise

    def start(self) -> BackgroundServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping = True
        self._server.close()
        self._server.task_dispatcher.shutdown()

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
