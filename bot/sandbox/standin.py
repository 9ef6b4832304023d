"""A local stand-in for Slack's Web API and response_url hooks, on 127.0.0.1.

The demo and the tests point the app's real slack-sdk client at it (base URL), so every call
crosses real HTTP. It records each call and answers with responses shaped like Slack's
(see ../shared/slack-fixtures/api-responses/; a conformance test compares the shapes).
Errors can be injected per method, including 429 with Retry-After.

It also plays what a person *sees*, by Slack's documented delivery rules, because "ok: true"
is not "seen": an ephemeral with a `thread_ts` whose thread has no replies is not shown
("Ephemeral messages in threads are only shown if there is already an active thread"), an
ephemeral reaches only a user who is active at that moment, and ephemerals never appear in a
channel's history. A DM is shown to its person whenever they look. Every message meant for a
person is recorded as a `Delivery`, shown or not and why; tests assert on `seen_by`.
"""

from __future__ import annotations

import base64
import itertools
import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from bot.sandbox.conformance import SlackContract, Violation

TEAM_ID = "T0LEERZONE"
BOT_USER_ID = "U0LEERBOT"
BOT_ID = "B0LEERBOT"
APP_ID = "A0LEERZONE"
RESPONSE_URL = "response_url"  # the `method` recorded for a post to a response_url
FILE_UPLOAD = "file_upload"  # the `method` recorded for the bytes of a files_upload_v2


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    path: str = ""
    token: str | None = None
    basic: tuple[str, str] | None = None  # client id and secret from HTTP Basic auth (OAuth)
    at: float = field(default_factory=time.time)


@dataclass
class Delivery:
    """A message meant for one person, and whether Slack would show it to them."""

    call: Call
    user: str
    channel: str  # the channel it appears in, or the DM
    shown: bool
    reason: str = ""  # why it was not shown

    @property
    def args(self) -> dict[str, Any]:
        return self.call.args

    @property
    def method(self) -> str:
        return self.call.method


@dataclass
class Failure:
    error: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1


def _decode_args(content_type: str, raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    if "application/json" in content_type:
        return json.loads(raw)
    parsed = {k: v[0] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
    for key in ("blocks", "view", "attachments", "metadata"):
        if isinstance(parsed.get(key), str) and parsed[key][:1] in "[{":
            parsed[key] = json.loads(parsed[key])
    return parsed


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up before its answer (its own timeout, a process killed with
        -9) is what Slack sees every day: the call counts as made, and nothing is printed.
        Anything else is a fault in the stand-in, reported as usual."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def _page_cursor(start: int) -> str:
    """An opaque cursor as Slack hands them out (base64 of where the next page starts)."""
    return base64.b64encode(f"member_offset:{start}".encode()).decode()


def _page_start(cursor: str) -> int | None:
    """Where a page starts: 0 for no cursor, None for a cursor this stand-in never gave."""
    if not cursor:
        return 0
    try:
        name, _, start = base64.b64decode(cursor, validate=True).decode().partition(":")
        offset = int(start)
        return offset if name == "member_offset" and offset >= 0 else None
    except ValueError:  # not base64, not text, not a number (binascii.Error is a ValueError)
        return None


class SlackStandIn:
    """Start with `start()` (or as a context manager); `base_url` goes to WebClient."""

    def __init__(
        self,
        team_id: str = TEAM_ID,
        members: dict[str, list[str]] | None = None,
        contract: SlackContract | None = None,
        admins: set[str] | None = None,
    ):
        self.team_id = team_id
        self.contract = contract  # when set, every call is checked against Slack's spec
        self.violations: list[Violation] = []
        self.calls: list[Call] = []
        self.members = members or {}
        self.admins = set(admins or ())  # workspace admins (users.info says is_admin)
        self.channels_without_bot: set[str] = set()
        self.delays: dict[str, float] = {}  # method (or RESPONSE_URL) -> seconds: a slow Slack
        self.uploads: dict[str, bytes] = {}
        self.oauth_apps: dict[str, str] = {}
        self.tokens: dict[str, tuple[str, str]] = {}  # bot token -> (team id, bot user id)
        self.revoked: set[str] = set()
        self.history: dict[str, list[dict[str, Any]]] = {}  # channel -> messages posted
        self.deleted: set[tuple[str, str]] = set()  # (channel, ts) its author deleted
        # who is active in Slack right now (users.getPresence); anyone not listed is active
        self.presence: dict[str, str] = {}
        self.deliveries: list[Delivery] = []
        self._dm_users: dict[str, str] = {}  # DM channel id -> its person
        # Slack's posting limits, when set: (seconds between posts in one channel, posts per
        # rolling minute in the workspace). A post over either gets a 429 with Retry-After.
        self.post_limits: tuple[float, int] | None = None
        # Slack may answer a page with "fewer than the requested number of items … even if
        # the end of the users list hasn't been reached" (conversations.members): the most a
        # page holds here, whatever the caller's limit; lower it to make Slack page
        self.page_max = 1000
        self._posted_at: list[tuple[float, str]] = []
        self._files = itertools.count(1)
        self._failures: dict[str, list[Failure]] = {}
        self._cond = threading.Condition()
        self._ts = itertools.count(1)
        self._views = itertools.count(1)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # life cycle ---------------------------------------------------------------------------

    def start(self) -> SlackStandIn:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                standin._handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server, "stand-in not started"
        host, port = self._server.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/hooks/{name}"

    # test controls ------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        error: str,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls of `method` answer with this error."""
        with self._cond:
            self._failures.setdefault(method, []).append(
                Failure(error, status, headers or {}, times)
            )

    def seen_by(self, user: str | None = None) -> list[Delivery]:
        """What people were shown (one person's, with `user`), in order."""
        with self._cond:
            return [d for d in self.deliveries if d.shown and user in (None, d.user)]

    def wait_seen(self, count: int = 1, user: str | None = None, timeout: float = 5.0) -> list:
        """Block until `count` messages were shown (to `user`), and return them."""
        return self.wait_for(
            lambda _calls: self.seen_by(user)[count - 1 :] and self.seen_by(user), timeout
        )

    def user_message(self, event: dict[str, Any]) -> None:
        """A person's message in a channel, as the simulator sends it to the app: it is in
        the channel's history, and a reply makes its thread one with replies."""
        channel = str(event.get("channel") or "")
        with self._cond:
            self.history.setdefault(channel, []).append(
                {k: event[k] for k in ("type", "user", "text", "ts", "thread_ts") if k in event}
            )

    def delete_user_message(self, channel: str, ts: str) -> None:
        """Its author deletes a message: gone from the history; chat.getPermalink then answers
        message_not_found, as Slack does."""
        with self._cond:
            self.history[channel] = [m for m in self.history.get(channel, []) if m["ts"] != ts]
            self.deleted.add((channel, ts))

    def has_replies(self, channel: str, thread_ts: str) -> bool:
        with self._cond:
            return any(
                m.get("thread_ts") == thread_ts and m.get("ts") != thread_ts
                for m in self.history.get(channel, [])
            )

    def calls_to(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, predicate: Callable[[list[Call]], Any], timeout: float = 5.0) -> Any:
        """Block until predicate(calls) is truthy (Bolt answers after the ack, on a thread)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                result = predicate(list(self.calls))
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no matching Slack call within {timeout}s")
                self._cond.wait(remaining)

    def wait_calls(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        return self.wait_for(
            lambda calls: (
                (found := [c for c in calls if c.method == method])[count - 1 :] and found
            ),
            timeout,
        )

    def reset(self) -> None:
        with self._cond:
            self.calls.clear()
            self._failures.clear()

    # request handling ---------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length)
        if len(raw) < length:
            # the client died mid-request (a `kill -9` in the restart tests): like any HTTP
            # server, Slack never sees a call in half a body, so neither does the stand-in
            request.close_connection = True
            return
        content_type = request.headers.get("Content-Type", "")
        path = request.path
        auth = request.headers.get("Authorization", "")
        token = None
        if auth.startswith("Bearer "):
            token = auth.removeprefix("Bearer ").strip() or None
        basic = None
        if auth.startswith("Basic "):
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            basic = (user, password)
        if path.startswith("/upload/"):
            file_id = path.removeprefix("/upload/")
            self._record(Call(FILE_UPLOAD, {"file_id": file_id, "content": raw.decode()}, path))
            self.uploads[file_id] = raw
            request.send_response(200)
            request.send_header("Content-Length", "2")
            request.end_headers()
            request.wfile.write(b"OK")
            return
        if path.startswith("/hooks/"):
            if RESPONSE_URL in self.delays:  # a slow Slack: the post hangs, then lands
                time.sleep(self.delays[RESPONSE_URL])
            call = Call(RESPONSE_URL, _decode_args("application/json", raw), path, token)
            problems = self.contract.message_problems(call.args) if self.contract else []
            self._record(call, [Violation(RESPONSE_URL, p) for p in problems])
            if problems:  # Slack answers a bad response_url post with 400 and a plain reason
                request.send_response(400)
                request.send_header("Content-Length", "14")
                request.end_headers()
                request.wfile.write(b"invalid_blocks")
                return
            self._send(request, 200, {"ok": True})
            return
        if not path.startswith("/api/"):
            self._send(request, 404, {"ok": False, "error": "unknown_path"})
            return
        method, _, query = path.removeprefix("/api/").partition("?")
        args = {k: v[0] for k, v in parse_qs(query).items()} | _decode_args(content_type, raw)
        token = token or args.get("token")
        call = Call(method, args, path, token, basic)
        violations = self.contract.check(method, args, token) if self.contract else []
        status: int
        body: dict[str, Any]
        headers: dict[str, str]
        if violations and self.contract:
            if any("Block Kit" in v.problem for v in violations):
                error = "invalid_blocks"
            elif method not in self.contract.methods:
                error = "unknown_method"
            else:
                error = "invalid_arguments"
            status, body, headers = 200, {"ok": False, "error": error}, {}
        else:
            status, body, headers = self._answer(call)
        if body.get("ok"):
            self._deliver(call)
        self._record(call, violations)
        self._send(request, status, body, headers)

    def _deliver(self, call: Call) -> None:
        """Record who sees a message that was accepted, by Slack's delivery rules."""
        args = call.args
        channel = str(args.get("channel") or "")
        if call.method == "chat.postEphemeral":
            user = str(args.get("user") or "")
            thread_ts = args.get("thread_ts")
            if thread_ts and not self.has_replies(channel, str(thread_ts)):
                delivery = Delivery(call, user, channel, False, "thread without replies")
            elif self.presence.get(user, "active") != "active":
                delivery = Delivery(call, user, channel, False, "user not active")
            else:
                delivery = Delivery(call, user, channel, True)
        elif call.method == "chat.postMessage" and (person := self.dm_person(channel)):
            delivery = Delivery(call, person, channel, True)
        else:
            return
        with self._cond:
            self.deliveries.append(delivery)

    def dm_person(self, channel: str) -> str | None:
        """The person a DM is with: a DM channel we opened, or a user id used as channel."""
        if channel in self._dm_users:
            return self._dm_users[channel]
        return channel if channel[:1] in ("U", "W") else None

    def _record(self, call: Call, violations: list[Violation] | None = None) -> None:
        with self._cond:
            self.calls.append(call)
            self.violations.extend(violations or [])
            self._cond.notify_all()

    @staticmethod
    def _send(
        request: BaseHTTPRequestHandler,
        status: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=utf-8")
        request.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            request.send_header(key, value)
        request.end_headers()
        request.wfile.write(data)

    def _injected(self, method: str) -> Failure | None:
        with self._cond:
            queue = self._failures.get(method) or []
            if not queue:
                return None
            failure = queue[0]
            failure.times -= 1
            if failure.times <= 0:
                queue.pop(0)
            return failure

    def _answer(self, call: Call) -> tuple[int, dict[str, Any], dict[str, str]]:
        if call.method == "oauth.v2.access":
            return 200, self._oauth_v2_access(call), {}
        if not call.token:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if call.token in self.revoked:
            return 200, {"ok": False, "error": "token_revoked"}, {}
        if call.method == "auth.test":
            return 200, self._auth_test(call.token), {}
        if call.method in self.delays:
            time.sleep(self.delays[call.method])
        injected = self._injected(call.method)
        if injected:
            return injected.status, {"ok": False, "error": injected.error}, injected.headers
        if call.method == "chat.postMessage" and (wait := self._over_post_limits(call)):
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)}
        answer = getattr(self, "_m_" + call.method.replace(".", "_"), None)
        if answer is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        body = answer(call.args)
        return 200, body, {}

    def _over_post_limits(self, call: Call) -> int:
        """Seconds to wait if this post breaks post_limits (0: it may go)."""
        if self.post_limits is None:
            return 0
        gap, per_minute = self.post_limits
        channel = str(call.args.get("channel"))
        with self._cond:
            now = time.monotonic()
            self._posted_at = [(t, c) for t, c in self._posted_at if now - t < 60]
            last = max((t for t, c in self._posted_at if c == channel), default=None)
            if last is not None and now - last < gap:
                return 1
            if len(self._posted_at) >= per_minute:
                return int(60 - (now - self._posted_at[0][0])) + 1
            self._posted_at.append((now, channel))
        return 0

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def _channel_error(self, channel: str | None) -> dict[str, Any] | None:
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if channel in self.channels_without_bot:
            return {"ok": False, "error": "not_in_channel"}
        return None

    # Web API methods (only what Leerzone uses) ---------------------------------------------

    def _auth_test(self, token: str) -> dict[str, Any]:
        team_id, bot_user_id = self.tokens.get(token, (self.team_id, BOT_USER_ID))
        return {
            "ok": True,
            "url": f"https://{team_id.lower()}.slack.com/",
            "team": f"Workspace {team_id}",
            "user": "leerzone",
            "team_id": team_id,
            "user_id": bot_user_id,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def register_oauth_app(self, client_id: str, client_secret: str) -> None:
        self.oauth_apps[client_id] = client_secret

    def _oauth_v2_access(self, call: Call) -> dict[str, Any]:
        """Exchange a code "code-<TEAM>" for that workspace's bot token, as Slack does."""
        client_id, secret = call.basic or (
            call.args.get("client_id"),
            call.args.get("client_secret"),
        )
        if self.oauth_apps.get(str(client_id)) != secret:
            return {"ok": False, "error": "invalid_client_id"}
        code = str(call.args.get("code") or "")
        if not code.startswith("code-"):
            return {"ok": False, "error": "invalid_code"}
        team_id = code.removeprefix("code-")
        token = f"xoxb-{team_id}-{next(self._ts)}"
        bot_user_id = f"U0BOT{team_id[-3:]}"
        self.tokens[token] = (team_id, bot_user_id)
        return {
            "ok": True,
            "app_id": APP_ID,
            "authed_user": {"id": f"U0ADMIN{team_id[-3:]}"},
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": bot_user_id,
            "team": {"id": team_id, "name": f"Workspace {team_id}"},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel")
        if error := self._channel_error(channel):
            return error
        ts = self._next_ts()
        message = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "text": args.get("text", ""),
            "ts": ts,
            "team": self.team_id,
        }
        if args.get("blocks"):
            message["blocks"] = args["blocks"]
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        stored = dict(message, metadata=args["metadata"]) if args.get("metadata") else message
        with self._cond:
            self.history.setdefault(str(channel), []).append(stored)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _own_message(self, args: dict[str, Any], refused: str) -> tuple[dict[str, Any], str]:
        """The bot's own message at (channel, ts), or the error Slack answers (call with the
        lock held): message_not_found, or `refused` for someone else's message."""
        channel, ts = str(args.get("channel") or ""), str(args.get("ts") or "")
        found = [m for m in self.history.get(channel, []) if m["ts"] == ts]
        if not found:
            return {}, "message_not_found"
        if found[0].get("user") != BOT_USER_ID:
            return {}, refused
        return found[0], ""

    def _m_chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        """Slack: a bot token deletes only the bot's own messages (cant_delete_message);
        a message that is gone answers message_not_found."""
        if error := self._channel_error(args.get("channel")):
            return error
        with self._cond:
            message, refused = self._own_message(args, "cant_delete_message")
            if refused:
                return {"ok": False, "error": refused}
            self.history[str(args["channel"])].remove(message)
        return {"ok": True, "channel": args["channel"], "ts": args["ts"]}

    def _m_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel") or "")
        if error := self._channel_error(channel):
            return error
        oldest = float(args.get("oldest") or 0)
        with_metadata = str(args.get("include_all_metadata")).lower() in ("1", "true")
        with self._cond:
            found = [m for m in self.history.get(channel, []) if float(m["ts"]) >= oldest]
        limit = int(args.get("limit") or 100)
        messages = [
            m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
            for m in reversed(found)  # newest first, as Slack answers
        ][:limit]
        return {"ok": True, "messages": messages, "has_more": len(found) > limit}

    def _m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        if error := self._channel_error(args.get("channel")):
            return error
        if not args.get("user"):
            return {"ok": False, "error": "user_not_found"}
        members = self.members.get(str(args.get("channel")))
        if members is not None and args["user"] not in members:
            # "The user should be in the channel specified": else Slack refuses the ephemeral
            return {"ok": False, "error": "user_not_in_channel"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        """Slack: the message is changed in place; only the bot's own (cant_update_message),
        one that exists (message_not_found), and not to nothing (no_text)."""
        if error := self._channel_error(args.get("channel")):
            return error
        if not args.get("text") and not args.get("blocks"):
            return {"ok": False, "error": "no_text"}
        with self._cond:
            message, refused = self._own_message(args, "cant_update_message")
            if refused:
                return {"ok": False, "error": refused}
            message["text"] = args.get("text", "")
            if "blocks" in args:
                message["blocks"] = args["blocks"]
            shown = {k: v for k, v in message.items() if k != "metadata"}
        return {
            "ok": True,
            "channel": args["channel"],
            "ts": args["ts"],
            "text": shown["text"],
            "message": shown,
        }

    def _view(self, view: dict[str, Any]) -> dict[str, Any]:
        number = next(self._views)
        return {
            "id": f"V{number:08d}",
            "team_id": self.team_id,
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{number:08d}",
            "private_metadata": "",
            "callback_id": "",
            "clear_on_close": False,
            "notify_on_close": False,
            "external_id": "",
            "previous_view_id": None,
            "root_view_id": f"V{number:08d}",
            "app_id": APP_ID,
            "app_installed_team_id": self.team_id,
            "bot_id": BOT_ID,
            **view,
        }

    def _m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        if not isinstance(args.get("view"), dict):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": self._view(args["view"])}

    def _m_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("view_id") and not args.get("external_id"):
            return {"ok": False, "error": "not_found"}
        if not isinstance(args.get("view"), dict):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {**self._view(args["view"]), "id": args.get("view_id")}}

    def _m_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("user_id"):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": self._view(args.get("view") or {})}

    def _m_conversations_members(self, args: dict[str, Any]) -> dict[str, Any]:
        """Slack: one page at a time, `limit` (default 100) at most, and a page may hold fewer
        (`page_max`); `response_metadata.next_cursor` names the next page, empty after the
        last; a cursor Slack did not hand out is invalid_cursor, a limit that is no positive
        number invalid_limit."""
        members = self.members.get(args.get("channel", ""))
        if members is None:
            return {"ok": False, "error": "channel_not_found"}
        try:
            limit = int(args.get("limit") or 100)
        except (TypeError, ValueError):
            limit = 0
        if limit < 1:
            return {"ok": False, "error": "invalid_limit"}
        start = _page_start(str(args.get("cursor") or ""))
        if start is None or start > len(members):
            return {"ok": False, "error": "invalid_cursor"}
        end = start + min(limit, self.page_max)
        following = _page_cursor(end) if end < len(members) else ""
        return {
            "ok": True,
            "members": members[start:end],
            "response_metadata": {"next_cursor": following},
        }

    def _m_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = args.get("user", "")
        return {
            "ok": True,
            "user": {
                "id": user,
                "team_id": self.team_id,
                "name": user.lower(),
                "deleted": False,
                "is_bot": user == BOT_USER_ID,
                "is_admin": user in self.admins,
                "is_owner": False,
                "tz": "Europe/Amsterdam",
                "profile": {"real_name": user, "display_name": user},
            },
        }

    def _m_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = str(args.get("users") or "")
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        user = users.split(",")[0]
        dm = "D" + user.lstrip("UW")
        with self._cond:
            self._dm_users[dm] = user
        return {"ok": True, "channel": {"id": dm}}

    def _m_users_getPresence(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("user") or "")
        return {"ok": True, "presence": self.presence.get(user, "active")}

    def _m_chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(args.get("channel") or ""), str(args.get("message_ts") or "")
        if error := self._channel_error(channel):
            return error
        if not ts or (channel, ts) in self.deleted:
            return {"ok": False, "error": "message_not_found"}
        link = f"https://{self.team_id.lower()}.slack.com/archives/{channel}/p" + ts.replace(
            ".", ""
        )
        # a reply in a thread gets its thread and channel in the link (chat.getPermalink docs)
        reply = next((m for m in self.history.get(channel, []) if m["ts"] == ts), {})
        if reply.get("thread_ts") not in (None, ts):
            link += f"?thread_ts={reply['thread_ts']}&cid={channel}"
        return {"ok": True, "channel": channel, "permalink": link}

    def _m_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._files):08d}"
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = json.loads(args.get("files") or "[]")
        missing = [f["id"] for f in files if f["id"] not in self.uploads]
        if not files or missing:
            return {"ok": False, "error": "file_not_found"}
        return {
            "ok": True,
            "files": [
                {"id": f["id"], "title": f.get("title", ""), "name": f.get("title", "")}
                for f in files
            ],
        }
