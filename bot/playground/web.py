"""The playground's web side: one page and a small JSON API, on the existing WSGI stack.

No web framework: a handful of routes over waitress are plain WSGI. The page is static HTML
and vanilla JavaScript (no build step); everything it shows that came from Slack's world is
rendered to HTML here, by the safe Block Kit renderer, and the stored rows travel as JSON that
the page puts into the document as text. Served on 127.0.0.1 only.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

from bot.playground import blockkit_html
from bot.playground.scenario import DEMO_STEPS, play_step
from bot.playground.session import NAMES, PERSONAS, ROLES, Playground
from bot.sandbox.personas import TEAM_CHANNEL
from bot.sandbox.standin import BOT_USER_ID, TEAM_ID
from bot.ui.texts import Texts, slack_escape

BODY_MAX = 64 * 1024
STATIC = {"/app.js": "application/javascript", "/style.css": "text/css"}
Start = Callable[..., Any]


def _json(start: Start, status: str, data: Any) -> list[bytes]:
    body = json.dumps(data, ensure_ascii=False, default=str).encode()
    start(status, [("Content-Type", "application/json; charset=utf-8"), *_SAFE_HEADERS])
    return [body]


# The page loads nothing from elsewhere and runs only its own script.
_SAFE_HEADERS = [
    (
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
]


def _asset(name: str) -> bytes:
    return resources.files("bot.playground").joinpath("static", name).read_bytes()


class PlaygroundWeb:
    def __init__(self, playground: Playground) -> None:
        self.playground = playground
        self.demo_position = 0

    # rendering ---------------------------------------------------------------------------

    def texts(self) -> Texts:
        return Texts(self._lang())

    def _lang(self) -> str:
        return self.playground.deps.language(TEAM_ID, TEAM_CHANNEL)

    def _person_message(self, message: dict[str, Any]) -> str:
        if message.get("user") == BOT_USER_ID:
            return blockkit_html.message(message, NAMES)
        # people's text reaches an app Slack-escaped: draw it the same way
        return blockkit_html.mrkdwn(slack_escape(str(message.get("text", ""))), NAMES)

    def state(self, persona: str) -> dict[str, Any]:
        pg, texts = self.playground, self.texts()
        history = pg.standin.history.get(TEAM_CHANNEL, [])
        top = [m for m in history if not m.get("thread_ts") or m.get("thread_ts") == m.get("ts")]
        channel = []
        for message in top:
            replies = [
                m
                for m in history
                if m.get("thread_ts") == message.get("ts") and m.get("ts") != message.get("ts")
            ]
            channel.append(
                {
                    "ref": f"c:{message.get('ts')}",
                    "ts": message.get("ts"),
                    "who": NAMES.get(str(message.get("user")), str(message.get("user"))),
                    "bot": message.get("user") == BOT_USER_ID,
                    "html": self._person_message(message),
                    "replies": [
                        {
                            "ref": f"c:{r.get('ts')}",
                            "who": NAMES.get(str(r.get("user")), str(r.get("user"))),
                            "bot": r.get("user") == BOT_USER_ID,
                            "html": self._person_message(r),
                        }
                        for r in replies
                    ],
                }
            )
        private = [
            {
                "ref": item.ref,
                "kind": texts.part("playground", f"kind_{item.kind}"),
                "html": blockkit_html.message(item.message, NAMES)
                if item.kind != "file"
                else f"<pre>{html.escape(str(item.message.get('text', '')))}</pre>",
            }
            for item in pg.private.get(persona, [])
        ]
        home = pg.homes.get(persona)
        modal = pg.modals.get(persona)
        return {
            "persona": persona,
            "lang": texts.lang,
            "personas": [
                {
                    "id": p,
                    "name": NAMES[p],
                    "role": texts.part("playground", f"role_{ROLES[p]}"),
                }
                for p in PERSONAS
            ],
            "active": pg.is_active(persona),
            "channel": channel,
            "channel_name": NAMES[TEAM_CHANNEL],
            "private": private,
            "home": blockkit_html.view(home, NAMES) if home else None,
            "modal": blockkit_html.view(modal, NAMES) if modal else None,
            "modal_errors": pg.modal_errors.get(persona, {}),
            "decisions": [self._decision(texts, d) for d in reversed(pg.decisions)],
            "stored": pg.stored(),
            "demo": {
                "position": self.demo_position,
                "total": len(DEMO_STEPS),
                "next": texts.part("playground", DEMO_STEPS[self.demo_position].narration)
                if self.demo_position < len(DEMO_STEPS)
                else None,
            },
        }

    def _decision(self, texts: Texts, decision: Any) -> str:
        tips = [{**tip, "leader": NAMES.get(tip["leader"], tip["leader"])} for tip in decision.tips]
        text = texts.part(
            "playground",
            "decision",
            who=NAMES.get(decision.author, decision.author),
            mistake=decision.mistake,
            kind=texts.kind_name(decision.kind) if decision.kind else "",
            score=f"{decision.score:.2f}",
            cue=decision.cue or "",
            given=tips,
            reason=decision.reason,
            blame=decision.blame,
        )
        return blockkit_html.mrkdwn(text, NAMES)

    # WSGI ----------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start: Start) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", "/"), environ.get("REQUEST_METHOD", "GET")
        if method == "GET" and path == "/":
            page = _asset("index.html").decode().replace("{{lang}}", self._lang())
            start("200 OK", [("Content-Type", "text/html; charset=utf-8"), *_SAFE_HEADERS])
            return [page.encode()]
        if method == "GET" and path in STATIC:
            start("200 OK", [("Content-Type", STATIC[path]), *_SAFE_HEADERS])
            return [_asset(path.lstrip("/"))]
        if method == "GET" and path == "/api/labels":
            texts = self.texts()
            names = texts.variants("playground", "ui")
            return _json(start, "200 OK", {n[3:]: texts.part("playground", n) for n in names})
        if method == "GET" and path == "/api/state":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            persona = (query.get("persona") or [PERSONAS[0]])[0]
            if persona not in PERSONAS:
                return _json(start, "400 Bad Request", {"error": "unknown persona"})
            return _json(start, "200 OK", self.state(persona))
        if method == "POST" and path.startswith("/api/"):
            return self._post(path.removeprefix("/api/"), environ, start)
        return _json(start, "404 Not Found", {"error": "not found"})

    def _post(self, action: str, environ: dict[str, Any], start: Start) -> Iterable[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= BODY_MAX:
            return _json(start, "413 Content Too Large", {"error": "body too large"})
        try:
            data = json.loads(environ["wsgi.input"].read(length) or b"{}")
        except (ValueError, RecursionError):
            data = None
        if not isinstance(data, dict):
            return _json(start, "400 Bad Request", {"error": "a JSON object is expected"})
        persona = str(data.get("persona") or "")
        if action != "lang" and persona not in PERSONAS:
            return _json(start, "400 Bad Request", {"error": "unknown persona"})
        pg = self.playground
        text = str(data.get("text") or "")[:4000]
        if action == "say" and text.strip():
            pg.say(persona, text, str(data.get("thread_ts") or "") or None)
        elif action == "click":
            option = data.get("option")
            pg.click(
                persona,
                str(data.get("ref") or ""),
                str(data.get("action_id") or ""),
                str(option) if option is not None else None,
            )
        elif action == "submit":
            values = data.get("values")
            if not isinstance(values, dict):
                return _json(start, "400 Bad Request", {"error": "values must be an object"})
            pg.submit(persona, {str(k): str(v)[:4000] for k, v in values.items()})
        elif action == "close":
            pg.close_modal(persona)
        elif action == "home":
            pg.open_home(persona)
        elif action == "presence":
            pg.set_active(persona, bool(data.get("active")))
        elif action == "lang" and data.get("lang") in ("nl", "en"):
            pg.set_language(str(data["lang"]))
        elif action == "demo":
            if self.demo_position < len(DEMO_STEPS):
                persona = play_step(pg, DEMO_STEPS[self.demo_position])
                self.demo_position += 1
        elif action != "say":
            return _json(start, "404 Not Found", {"error": "unknown action"})
        return _json(start, "200 OK", {"ok": True, "persona": persona})
