"""One playground workspace: the real app served over HTTP, the Slack stand-in, four people.

Each step a visitor takes (a message, a /fout, a click, a form) goes to the app exactly as
Slack would send it, signed, through the simulator; afterwards the calls the app made to the
stand-in are sorted into what each person sees under Slack's delivery rules: the channel for
everyone in it, an ephemeral only for its person and only if Slack would show it, a DM only
for its person, a window only for whoever opened it. Steps run one at a time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from bot.app import build_deps, create_app, drain, settle
from bot.config import Settings
from bot.detection.detect import detect
from bot.nudges.policy import Verdict
from bot.nudges.scan import is_scannable, scan_message
from bot.sandbox.conformance import SlackContract
from bot.sandbox.personas import ANNA, BRAM, QUIET_COLLEAGUES, SANNE, TEAM_CHANNEL
from bot.sandbox.simulator import SlackSimulator, message_event
from bot.sandbox.standin import BOT_USER_ID, FILE_UPLOAD, RESPONSE_URL, TEAM_ID, SlackStandIn
from bot.slack.server import BackgroundServer
from bot.storage.database import Storage, read_only_snapshot

FEMKE = "U0FEMKE"  # the workspace admin
PERSONAS = (ANNA, BRAM, SANNE, FEMKE)
NAMES = {
    ANNA: "Anna",
    BRAM: "Bram",
    SANNE: "Sanne",
    FEMKE: "Femke",
    BOT_USER_ID: "Leerzone",
    TEAM_CHANNEL: "klantenservice",
}
ROLES = {ANNA: "member", BRAM: "member", SANNE: "leader", FEMKE: "admin"}
SECRET = "playground-signing-secret"
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday, 10:00 in Amsterdam


class Clock:
    """The playground's time: a working morning that moves a minute per step."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Private:
    """Something only one person sees: an ephemeral, an answer to their command, a DM."""

    ref: str
    kind: str  # ephemeral | answer | dm | file
    message: dict[str, Any]
    channel: str  # where a click on it comes from


@dataclass
class Decision:
    """What the bot made of one channel message (for the panel "Wat Leerzone besliste")."""

    author: str
    ts: str
    mistake: bool
    kind: str | None
    score: float
    cue: str | None
    tips: list[dict[str, str]] = field(default_factory=list)
    blame: bool = False  # a leader's reply in a report's thread that may sound like blame
    reason: str = ""  # why no tip went out, as a template block name


class Playground:
    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        members = {TEAM_CHANNEL: [ANNA, BRAM, SANNE, FEMKE, *QUIET_COLLEAGUES, BOT_USER_ID]}
        self.standin = SlackStandIn(
            members=members, contract=SlackContract.load(), admins={FEMKE}
        ).start()
        settings = Settings(
            bot_token="xoxb-playground-token",
            signing_secret=SECRET,
            api_url=self.standin.base_url,
            db_path=db_path,
        )
        self.clock = Clock()
        self.storage = Storage(db_path)
        self.deps = build_deps(settings, self.storage, now=self.clock)
        self.app = create_app(self.deps)
        self.server = BackgroundServer(self.app).start()
        self.sim = SlackSimulator(self.server.url, SECRET, self.standin)
        self.lock = threading.Lock()
        self.private: dict[str, list[Private]] = {p: [] for p in PERSONAS}
        self.homes: dict[str, dict[str, Any]] = {}
        self.modals: dict[str, dict[str, Any]] = {}
        self.modal_errors: dict[str, dict[str, str]] = {}
        self.decisions: list[Decision] = []
        self.seen = 0
        self._refs = count(1)
        self._ts = count(1)
        self._setup()

    # the first steps: the bot is invited, the admin names the leader -------------------------

    def _setup(self) -> None:
        event = {
            "type": "member_joined_channel",
            "user": BOT_USER_ID,
            "channel": TEAM_CHANNEL,
            "channel_type": "C",
            "team": TEAM_ID,
            "event_ts": "1.0",
        }
        with self.lock:
            self.sim.send_event(event)
            self._collect(FEMKE)
        self.say(FEMKE, "/fout leiders <@U0SANNE|sanne>")

    def close(self) -> None:
        self.server.stop()
        drain(self.app)
        self.storage.close()
        self.standin.stop()

    # steps ---------------------------------------------------------------------------------

    def say(self, persona: str, text: str, thread_ts: str | None = None) -> None:
        """A message in the channel (or in a thread), or a /fout command."""
        text = text.strip()
        with self.lock:
            self._tick()
            if text.split(" ", 1)[0] == "/fout":
                self.sim.slash(persona, TEAM_CHANNEL, text[len("/fout") :].strip())
                self._collect(persona)
                return
            ts = f"{int(self.clock.now.timestamp())}.{next(self._ts):06d}"
            event = message_event(persona, TEAM_CHANNEL, text, ts, thread_ts)
            if thread_ts:
                parent = self._message(thread_ts) or {}
                event["parent_user_id"] = parent.get("user", "")
            # the bot's own verdict, taken as it reads the message (it depends on the thread),
            # and the detector's score for the panel when nothing was recognised
            verdict = scan_message(self.deps, TEAM_ID, event) if is_scannable(event, None) else None
            found = detect(text, self.deps.language(TEAM_ID, TEAM_CHANNEL))
            self.sim.send_event(event)
            self._collect(persona)
            self.decisions.append(self._decide(persona, ts, verdict, found))

    def click(self, persona: str, ref: str, action_id: str, option: str | None = None) -> None:
        with self.lock:
            self._tick()
            if ref in ("home", "modal"):
                view = self.homes.get(persona) if ref == "home" else self.modals.get(persona)
                if view is None:
                    return
                self.sim.click_in_view(persona, view, action_id, option)
                self._collect(persona)
                return
            found = self._find(persona, ref)
            if found is None:
                return
            message, channel, ephemeral = found
            self.sim.click(persona, channel, message, action_id, option, is_ephemeral=ephemeral)
            self._collect(persona, clicked=ref)

    def submit(self, persona: str, values: dict[str, str]) -> None:
        with self.lock:
            view = self.modals.get(persona)
            if view is None:
                return
            self._tick()
            reply = self.sim.submit(persona, view, values)
            answer = reply.json() if reply.status == 200 else None
            if isinstance(answer, dict) and answer.get("response_action") == "errors":
                self.modal_errors[persona] = answer.get("errors") or {}
                return
            self.modals.pop(persona, None)
            self.modal_errors.pop(persona, None)
            self._collect(persona)

    def close_modal(self, persona: str) -> None:
        with self.lock:
            self.modals.pop(persona, None)
            self.modal_errors.pop(persona, None)

    def open_home(self, persona: str) -> None:
        with self.lock:
            event = {"type": "app_home_opened", "user": persona, "tab": "home", "event_ts": "1.1"}
            self.sim.send_event(event)
            self._collect(persona)

    def set_active(self, persona: str, active: bool) -> None:
        """Whether the person is active in Slack now: Slack shows an ephemeral only then."""
        with self.lock:
            self.standin.presence[persona] = "active" if active else "away"

    def is_active(self, persona: str) -> bool:
        return self.standin.presence.get(persona, "active") == "active"

    def set_language(self, lang: str) -> None:
        """The whole playground in one language: the channel and every persona."""
        with self.lock:
            self.deps.channels.set_language(TEAM_ID, TEAM_CHANNEL, lang, FEMKE)
            for persona in PERSONAS:
                self.deps.prefs.set(TEAM_ID, persona, language=lang)

    # what the app did ---------------------------------------------------------------------

    def _tick(self) -> None:
        self.clock.now += timedelta(minutes=1)

    def _collect(self, actor: str, clicked: str | None = None) -> None:
        """Wait until the app is done, then sort its new calls into what each person sees."""
        settle(self.app, 10.0)
        calls = self.standin.calls[self.seen :]
        self.seen = len(self.standin.calls)
        deliveries = {id(d.call): d for d in self.standin.deliveries}
        for call in calls:
            args = call.args
            delivery = deliveries.get(id(call))
            if call.method == RESPONSE_URL:
                self._answer(actor, args, clicked)
            elif call.method == "chat.postEphemeral" and delivery is not None and delivery.shown:
                self._add(delivery.user, "ephemeral", args, delivery.channel)
            elif call.method == "chat.postMessage" and delivery is not None:
                self._add(delivery.user, "dm", args, delivery.channel)
            elif call.method == "views.publish":
                self.homes[str(args.get("user_id"))] = args.get("view") or {}
            elif call.method in ("views.open", "views.push"):
                self.modals[actor] = {**(args.get("view") or {}), "id": f"V{next(self._refs)}"}
            elif call.method == "views.update" and actor in self.modals:
                self.modals[actor] = {**(args.get("view") or {}), "id": self.modals[actor]["id"]}
            elif call.method == FILE_UPLOAD:
                content = str(args.get("content", ""))
                self._add(actor, "file", {"text": content[:4000]}, "")

    def _answer(self, actor: str, args: dict[str, Any], clicked: str | None) -> None:
        """A response_url post: it replaces the clicked message, or adds a new private one."""
        mine = self.private.get(actor, [])
        if args.get("delete_original") and clicked:
            self.private[actor] = [p for p in mine if p.ref != clicked]
            return
        if args.get("replace_original") and clicked:
            for item in mine:
                if item.ref == clicked:
                    item.message = args
                    return
        self._add(actor, "answer", args, TEAM_CHANNEL)

    def _add(self, persona: str, kind: str, message: dict[str, Any], channel: str) -> None:
        if persona in self.private:
            ref = f"p{next(self._refs)}"
            self.private[persona].append(Private(ref, kind, message, channel))

    def _find(self, persona: str, ref: str) -> tuple[dict[str, Any], str, bool] | None:
        """The message a click came from: one of the person's own, or one in the channel."""
        for item in self.private.get(persona, []):
            if item.ref == ref:
                return item.message, item.channel, item.kind in ("ephemeral", "answer")
        message = self._message(ref.removeprefix("c:"))
        return (message, TEAM_CHANNEL, False) if message else None

    def last_card(self) -> str | None:
        """The ts of the bot's newest top-level post in the channel (a learning card)."""
        posts = [
            m
            for m in self.standin.history.get(TEAM_CHANNEL, [])
            if m.get("user") == BOT_USER_ID and not m.get("thread_ts")
        ]
        return str(posts[-1]["ts"]) if posts else None

    def _message(self, ts: str) -> dict[str, Any] | None:
        for message in self.standin.history.get(TEAM_CHANNEL, []):
            if message.get("ts") == ts:
                return message
        return None

    def _decide(self, persona: str, ts: str, verdict: Verdict | None, found: Any) -> Decision:
        """What the panel says of one message: the bot's verdict, the tips it led to, or the
        reason there was none."""
        tips = [
            {"leader": n.leader_id, "status": n.status, "via": n.delivered_via or ""}
            for n in self.deps.nudges.for_message(TEAM_ID, TEAM_CHANNEL, ts)
        ]
        mistake = verdict.mistake if verdict else None
        blame = verdict.blame if verdict else None
        decision = Decision(
            author=persona,
            ts=ts,
            mistake=mistake is not None,
            kind=mistake.kind if mistake else None,
            score=round(float((mistake or found).score), 2),
            cue=mistake.cue if mistake else (blame.cue if blame else None),
            tips=tips,
            blame=blame is not None,
        )
        leaders, _ = self.deps.channels.leaders(TEAM_ID, TEAM_CHANNEL)
        now = self.deps.now()
        muted = [
            leader
            for leader in leaders
            if self.deps.nudges.is_muted(TEAM_ID, TEAM_CHANNEL, leader, now)
        ]
        if tips:
            return decision
        if decision.blame:
            decision.reason = "blame"
        elif mistake is None:
            decision.reason = "no_mistake"
        elif not leaders:
            decision.reason = "no_leaders"
        elif persona in leaders:
            decision.reason = "by_leader"
        elif muted and set(muted) >= set(leaders) - {persona}:
            decision.reason = "muted"
        else:
            decision.reason = "no_tip"
        return decision

    # what is stored --------------------------------------------------------------------------

    def stored(self) -> dict[str, list[dict[str, Any]]]:
        """Every row the database holds now, read through a read-only connection."""
        return read_only_snapshot(self.db_path)
