"""`leerzone demo`: the real app, served over HTTP, in a scripted conversation with a local
Slack stand-in. It shows what each person would see, and needs no tokens and no network."""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import build_deps, create_app, drain, settle
from bot.config import Settings
from bot.detection import encoder
from bot.insights.digest import send_digests
from bot.nudges.delivery import send_morning_summaries
from bot.sandbox.conformance import SlackContract
from bot.sandbox.personas import (
    ADMINS,
    ANNA,
    BRAM,
    EMMA,
    INTL_CHANNEL,
    QUIET_COLLEAGUES,
    SANNE,
    TEAM_CHANNEL,
)
from bot.sandbox.simulator import SlackSimulator, find_element, message_event
from bot.sandbox.standin import BOT_USER_ID, FILE_UPLOAD, RESPONSE_URL, TEAM_ID, Call, SlackStandIn
from bot.sandbox.transcript import display, render_message, render_view
from bot.slack.server import BackgroundServer
from bot.storage.database import Storage
from bot.team_prompts.posting import post_due_prompts
from bot.team_prompts.rotation import next_slots
from bot.team_prompts.roundup import post_roundups
from bot.ui import blocks, ids
from bot.ui.texts import Texts

SECRET = "demo-signing-secret"
NAMES = {
    ANNA: "Anna",
    BRAM: "Bram",
    SANNE: "Sanne",
    EMMA: "Emma",
    TEAM_CHANNEL: "klantenservice",
    INTL_CHANNEL: "international",
}
PING = re.compile(r"<!(channel|here|everyone)")
LEADERS = {SANNE}
# The demo's clock: a Tuesday morning in Amsterdam, moved on by the script (working hours and
# the morning summary depend on it), so the transcript is the same whenever it runs.
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MISSED_REPORT = "Die 40 dubbele facturen van vanochtend: dat was mijn import van gisteren."


class DemoClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class Demo:
    """Drives the simulator step by step and prints what the bot did after each step."""

    def __init__(self, standin: SlackStandIn, sim: SlackSimulator, out: Callable[[str], None]):
        self.standin = standin
        self.sim = sim
        self.out = out
        self.say = Texts("nl")
        self.seen = 0
        self.actor = ""
        self.last_private: dict[str, dict[str, Any]] = {}
        self.last_view: dict[str, Any] = {}
        self.public_cards = 0
        self.pings = 0
        self.authors: dict[str, str] = {}
        self.deps: Any = None
        self.client: Any = None
        self.app: Any = None
        self.clock = DemoClock()
        self.where: dict[str, str] = {}  # person -> where their last private message is
        self.homes: dict[str, dict[str, Any]] = {}  # person -> their Home tab as published
        self.messages: dict[str, dict[str, Any]] = {}  # ts -> a person's channel message
        self.tips_seen = 0
        self._ts = 0

    def line(self, block: str, **ctx: Any) -> None:
        self.out(self.say.part("demo", block, **ctx))

    def _settle(self, timeout: float = 5.0, require: bool = True) -> list[Call]:
        """Wait until the app has handled everything so far (the bot answers after its ack,
        on its own threads), then take the calls it made."""
        if self.app is not None:
            settle(self.app, timeout)
        if require:
            self.standin.wait_for(lambda calls: len(calls) > self.seen, timeout)
        new = self.standin.calls[self.seen :]
        self.seen = len(self.standin.calls)
        return new

    def _show(self, header: str, lines: list[str]) -> None:
        self.out("   ┌ " + header)
        for text in lines:
            self.out("   │ " + text)
        self.out("   └")

    def _report(self, calls: list[Call]) -> None:
        name = NAMES.get(self.actor, self.actor)
        deliveries = {id(d.call): d for d in self.standin.deliveries}
        for call in calls:
            args = call.args
            text_blob = str(args.get("text", "")) + str(args.get("blocks", ""))
            self.pings += bool(PING.search(text_blob))
            delivery = deliveries.get(id(call))
            if call.method == RESPONSE_URL:
                self.last_private[self.actor] = args
                block = "private_replaces" if args.get("replace_original") else "private"
                self._show(self.say.part("demo", block, name=name), render_message(args, NAMES))
            elif call.method == "chat.postEphemeral" and delivery is not None:
                reader = NAMES.get(delivery.user, delivery.user)
                if not delivery.shown:
                    self.out("   " + self.say.part("demo", "not_shown", name=reader))
                    continue
                self.last_private[delivery.user] = args
                self.where[delivery.user] = delivery.channel
                self.tips_seen += delivery.user in LEADERS
                block = "private_thread" if args.get("thread_ts") else "private"
                self._show(self.say.part("demo", block, name=reader), render_message(args, NAMES))
            elif call.method == "chat.postMessage" and delivery is not None:
                self.last_private[delivery.user] = args
                self.where[delivery.user] = delivery.channel
                self.tips_seen += delivery.user in LEADERS
                reader = NAMES.get(delivery.user, delivery.user)
                self._show(self.say.part("demo", "dm", name=reader), render_message(args, NAMES))
            elif call.method == "chat.postMessage" and str(args.get("channel", "")).startswith("C"):
                self.public_cards += 1
                channel = NAMES.get(args["channel"], args["channel"])
                self._show(
                    self.say.part("demo", "public", channel=channel), render_message(args, NAMES)
                )
            elif call.method in ("views.open", "views.update"):
                self.last_view = args["view"]
                optional = self.say.part("demo", "optional")
                block = "modal" if call.method == "views.open" else "modal_updates"
                self._show(
                    self.say.part("demo", block, name=name),
                    render_view(args["view"], NAMES, optional),
                )
            elif call.method == FILE_UPLOAD:
                lines = call.args["content"].splitlines()
                shown = [*lines[:14], "…"] if len(lines) > 14 else lines
                self._show(self.say.part("demo", "file", name=name), shown)
            elif call.method == "files.completeUploadExternal":
                comment = display(call.args.get("initial_comment", ""), NAMES)
                self._show(self.say.part("demo", "dm", name=name), comment.splitlines())
            elif call.method == "views.publish":
                reader = str(args.get("user_id", self.actor))
                self.homes[reader] = args["view"]
                self._show(
                    self.say.part("demo", "home", name=NAMES.get(reader, reader)),
                    render_view(args["view"], NAMES),
                )
        self.out("")

    def _expect_ok(self, status: int) -> None:
        if status != 200:
            raise RuntimeError(f"the app answered HTTP {status}")

    # the steps a person can take ---------------------------------------------------------

    def types(self, user: str, channel: str, text: str) -> None:
        self.actor = user
        self.where[user] = channel  # the answer to a command appears where it was typed
        self.line("types", name=NAMES[user], channel=NAMES[channel])
        self.out(f"   /fout {text}".rstrip())
        self._expect_ok(self.sim.slash(user, channel, text).status)
        self._report(self._settle())

    def clicks(self, user: str, channel: str, action_id: str, option: str | None = None) -> None:
        """Click a button in the last private message this person saw (a DM is its own
        conversation, so the click comes from there)."""
        self.actor = user
        message = self.last_private[user]
        channel = self.where.get(user, channel)
        self._say_click(user, message, action_id, option, "")
        self._expect_ok(self.sim.click(user, channel, message, action_id, option).status)
        self._report(self._settle())

    def _say_click(
        self, user: str, where: dict[str, Any], action_id: str, option: str | None, place: str
    ) -> None:
        """ "Anna klikt op [..]" or "Anna kiest „..”", with the label as the person sees it."""
        _block, element = find_element(where.get("blocks") or [], action_id)
        if option is None:
            self.line("clicks" + place, name=NAMES[user], label=element["text"]["text"])
        else:
            label = next(o["text"]["text"] for o in element["options"] if o["value"] == option)
            self.line("picks" + place, name=NAMES[user], label=label)

    def clicks_in_home(self, user: str, action_id: str, option: str | None = None) -> None:
        """Click in the person's Home tab as last published (no response_url there)."""
        self.actor = user
        view = self.homes[user]
        self._say_click(user, view, action_id, option, "_home")
        self._expect_ok(self.sim.click_in_view(user, view, action_id, option).status)
        self._report(self._settle())

    def uses_shortcut(self, user: str, channel: str, ts: str, callback_id: str) -> None:
        """⋯ on a message, then a message shortcut."""
        self.actor = user
        message = self.messages[ts]
        label = self.say.part("demo", "shortcut_" + callback_id)  # as manifest.yml names it
        self.line("shortcut", name=NAMES[user], label=label, author=NAMES[message["user"]])
        self._expect_ok(self.sim.message_shortcut(user, channel, message, callback_id).status)
        self._report(self._settle())

    def time_passes(self, to: datetime) -> None:
        self.clock.now = to
        texts = self.deps.texts(None, None)
        self.line("time", when=texts.when(to.astimezone(self.deps.settings.tz)))
        self.out("")

    def morning_comes(self) -> None:
        """The start of the working day: the job that sends what was held overnight."""
        texts = self.deps.texts(None, None)
        self.line("morning", when=texts.when(self.deps.now().astimezone(self.deps.settings.tz)))
        send_morning_summaries(self.deps, self.client, self.deps.now())
        self._report(self._settle())

    def job_runs(self, block: str, job: Callable[[Any, Any, datetime], Any]) -> None:
        """A scheduled job's moment (the digest, the monthly round-up) at the demo's time."""
        texts = self.deps.texts(None, None)
        self.line(block, when=texts.when(self.deps.now().astimezone(self.deps.settings.tz)))
        job(self.deps, self.client, self.deps.now())
        self._report(self._settle())

    def last_post(self, channel: str) -> str:
        """The ts of the bot's latest message in a channel (not in a thread): a card."""
        posts = [
            m
            for m in self.standin.history.get(channel, [])
            if m.get("user") == BOT_USER_ID and "thread_ts" not in m
        ]
        return str(posts[-1]["ts"])

    def clicks_an_old_button(self, user: str, channel: str) -> None:
        """A button from a message an older version sent: acked, and explained privately."""
        self.actor = user
        old = blocks.text_and_buttons(
            "", "lz_v0", [blocks.button(self.say.label("btn_share"), "lz_v0_share", "1")]
        )
        self.line("old_button", name=NAMES[user])
        self._expect_ok(self.sim.click(user, channel, old, "lz_v0_share").status)
        self._report(self._settle())

    def submits(self, user: str, values: dict[str, str]) -> None:
        self.actor = user
        view = self.last_view
        label = view["submit"]["text"]
        self.line("submits" if values else "submits_empty", name=NAMES[user], label=label)
        for block_id, value in values.items():
            self.out(f"   {block_id}: {value}")
        reply = self.sim.submit(user, view, values)
        self._expect_ok(reply.status)
        answer = reply.json() or {}
        if answer.get("response_action") == "errors":
            labels = {b["block_id"]: b["label"]["text"] for b in view["blocks"] if "label" in b}
            for block_id, error in answer["errors"].items():
                self.out(
                    "   "
                    + self.say.part(
                        "demo", "field_error", field=labels.get(block_id, block_id), error=error
                    )
                )
            self.out("")
            return
        self._report(self._settle())

    def says(self, user: str, channel: str, text: str, thread_of: str | None = None) -> str:
        """A normal channel message (an Events API event); returns its ts for replies."""
        self.actor = user
        self._ts += 1
        ts = f"{int(time.time())}.{self._ts:06d}"
        event = message_event(user, channel, text, ts)
        if thread_of:
            event.update(thread_ts=thread_of, parent_user_id=self.authors.get(thread_of, ""))
        self.authors[ts] = user
        self.messages[ts] = {"user": user, "text": text, "ts": ts}
        block = "replies" if thread_of else "writes"
        self.line(block, name=NAMES[user], channel=NAMES[channel])
        self.out(f"   {text}")
        self._expect_ok(self.sim.send_event(event).status)
        calls = self._settle(require=False)
        if calls and self.public_or_private(calls):
            self._report(calls)
        else:  # nothing for anyone to see: ordinary chat, or a tip waiting for the morning
            waiting = any(
                nudge.status in ("held", "home")
                for nudge in self.deps.nudges.for_message(TEAM_ID, channel, ts)
            )
            quiet = "quiet_reply" if thread_of else "quiet"
            self.out("   " + self.say.part("demo", "waits" if waiting else quiet))
            self.out("")
        return ts

    @staticmethod
    def public_or_private(calls: list[Call]) -> bool:
        """Whether any of these calls put something in front of someone."""
        visible = ("chat.postMessage", "chat.postEphemeral", RESPONSE_URL, "views.publish")
        return any(call.method in visible for call in calls)

    def bot_joins(self, channel: str) -> None:
        """Someone invites the bot: the channel gets the default weekly question."""
        self.line("joins", channel=NAMES[channel])
        event = {
            "type": "member_joined_channel",
            "user": BOT_USER_ID,
            "channel": channel,
            "channel_type": "C",
            "team": TEAM_ID,
            "event_ts": f"{time.time():.6f}",
        }
        self._expect_ok(self.sim.send_event(event).status)
        calls = self._settle()
        if self.deps.prompts.schedule(TEAM_ID, channel) is None:
            raise RuntimeError("the bot's join was not handled")
        self.out("   " + self.say.part("demo", "joined"))
        self._report(calls)

    def scheduler_runs(self, channel: str) -> None:
        """Jump to the channel's next slot and run the job the scheduler would run."""
        schedule = self.deps.prompts.schedule(TEAM_ID, channel)
        if schedule is None:
            raise RuntimeError(f"{channel} has no schedule: the bot has not joined it")
        slot = next_slots(schedule, self.deps.now(), 1)[0]
        texts = self.deps.texts(TEAM_ID, channel)
        self.line("scheduler", when=texts.when(slot))
        post_due_prompts(self.deps, self.client, slot)
        self._report(self._settle())

    def opens_home(self, user: str) -> None:
        self.actor = user
        self.line("opens_home", name=NAMES[user])
        event = {
            "type": "app_home_opened",
            "user": user,
            "channel": "D0HOME",
            "tab": "home",
            "event_ts": f"{time.time():.6f}",
        }
        self._expect_ok(self.sim.send_event(event).status)
        self._report(self._settle())


def script(demo: Demo) -> None:
    """The conversation. Grows as features land."""
    demo.bot_joins(TEAM_CHANNEL)
    demo.types(SANNE, TEAM_CHANNEL, "leiders <@U0SANNE|sanne>")
    demo.types(
        ANNA,
        TEAM_CHANNEL,
        "ik heb de offerte met de prijzen van vorig jaar naar de klant gestuurd, "
        "vergeten de nieuwe prijslijst te pakken :see_no_evil:",
    )
    demo.clicks(ANNA, TEAM_CHANNEL, ids.ACTION_ADD_LESSON)
    demo.submits(
        ANNA,
        {
            ids.BLOCK_LESSON: "Voor ik een offerte verstuur, check ik de datum in "
            "de bestandsnaam van de prijslijst."
        },
    )
    demo.clicks(ANNA, TEAM_CHANNEL, ids.ACTION_SHARE)
    demo.clicks(ANNA, TEAM_CHANNEL, ids.ACTION_SHARE_NAMED)
    demo.types(BRAM, TEAM_CHANNEL, "")
    demo.submits(BRAM, {})
    demo.submits(
        BRAM,
        {
            ids.BLOCK_WHAT: "We hebben als experiment de nieuwe welkomstmail naar de helft van "
            "de nieuwe klanten gestuurd. Er kwamen juist meer vragen binnen in plaats van minder.",
            ids.BLOCK_KIND: "intelligent",
            ids.BLOCK_LESSON: "Korter is niet altijd duidelijker: de stap-voor-stap uitleg "
            "bleek onmisbaar.",
            ids.BLOCK_SHARE: "anonymous",
        },
    )
    demo.types(
        BRAM,
        TEAM_CHANNEL,
        "<!here> ik heb per ongeluk de testmail naar alle klanten "
        "gestuurd & niet naar de testlijst",
    )
    demo.types(ANNA, TEAM_CHANNEL, "lijst")
    demo.types(BRAM, TEAM_CHANNEL, "wis 1")
    demo.types(ANNA, TEAM_CHANNEL, "help")
    # Reply suggestions: Sanne leads #klantenservice (set above).
    report = demo.says(
        BRAM,
        TEAM_CHANNEL,
        "Sorry allemaal, ik ben vergeten de klant van order "
        "4471 terug te bellen. Ik doe het nu meteen.",
    )
    demo.clicks(SANNE, TEAM_CHANNEL, ids.ACTION_NUDGE_OTHER)
    demo.says(SANNE, TEAM_CHANNEL, "waarom heb je dat niet gisteren al gedaan?", thread_of=report)
    demo.says(
        ANNA,
        TEAM_CHANNEL,
        "Wie heeft er nog een fout gevonden in de nieuwe huisstijl? Graag voor vrijdag melden.",
    )
    demo.says(ANNA, TEAM_CHANNEL, "Geen fouten gevonden in de audit, goed werk allemaal 🎉")
    demo.says(ANNA, TEAM_CHANNEL, "foutje bedankt, de link in de nieuwsbrief werkt wel gewoon")
    demo.clicks(SANNE, TEAM_CHANNEL, ids.ACTION_NUDGE_FALSE)
    # Owning a mistake without a verb of doing: "there was still an error in my roster".
    demo.says(
        BRAM,
        TEAM_CHANNEL,
        "Er zat nog een fout in mijn rooster voor volgende week, "
        "de goede versie staat nu in de map.",
    )
    # A report the detector misses: Sanne's own judgement, through the message shortcut.
    missed = demo.says(BRAM, TEAM_CHANNEL, MISSED_REPORT)
    demo.uses_shortcut(SANNE, TEAM_CHANNEL, missed, ids.SHORTCUT_THANK_FIRST)
    # After working hours tips wait; the next morning they come as one short DM, and the
    # Home tab keeps them with their buttons.
    demo.time_passes(START + timedelta(hours=9, minutes=40))
    late = demo.says(
        ANNA,
        TEAM_CHANNEL,
        "Balen, ik heb per ongeluk de retourlabels van vandaag niet verstuurd. "
        "Morgenvroeg als eerste.",
    )
    demo.time_passes(START + timedelta(days=1, hours=-1, minutes=-30))
    demo.morning_comes()
    demo.opens_home(SANNE)
    demo.clicks_in_home(SANNE, ids.ACTION_NUDGE_DONE)
    # Reassurance is what the tips are for: it is never read as blame.
    demo.says(
        SANNE,
        TEAM_CHANNEL,
        "Geen zorgen, dat overkomt iedereen. Fijn dat je het meteen meldde!",
        thread_of=late,
    )
    # A leader who judges herself owns her share: that is no reproach, so no coaching tip.
    demo.says(
        SANNE,
        TEAM_CHANNEL,
        "Slordig van mij trouwens: de checklist voor de retourlabels had ik nog niet gedeeld.",
        thread_of=late,
    )
    # Scheduled prompts: Sanne moves the weekly question, then the scheduler's moment comes.
    demo.types(SANNE, TEAM_CHANNEL, "schema di 10:00")
    demo.scheduler_runs(TEAM_CHANNEL)
    demo.types(SANNE, INTL_CHANNEL, "taal en")
    demo.types(SANNE, INTL_CHANNEL, "leaders <@U0SANNE|sanne>")
    # No rule matches Sanne's reply here; the learned blame model reads it as a reproach.
    quote = demo.says(
        EMMA,
        INTL_CHANNEL,
        "Oops, I sent the customer the old version of the quote. The right one is on its way.",
    )
    encoder.warm_up().join()  # in real time she replies minutes later: the encoder has loaded
    demo.says(
        SANNE, INTL_CHANNEL, "You never check anything before you send it, do you?", thread_of=quote
    )
    demo.types(
        EMMA,
        INTL_CHANNEL,
        "we piloted the new on-call rota and two alerts fell between the cracks when the "
        "handover and a deploy happened at the same time",
    )
    demo.clicks(EMMA, INTL_CHANNEL, ids.ACTION_KIND, option=_last_id(demo, EMMA) + ":complex")
    # A complex failure: Emma asks the team to look back together, without blame.
    demo.clicks(EMMA, INTL_CHANNEL, ids.ACTION_REVIEW_ENTRY)
    demo.submits(EMMA, {ids.BLOCK_REVIEW_SHARE: "named"})
    card = demo.last_post(INTL_CHANNEL)
    demo.says(
        SANNE,
        INTL_CHANNEL,
        "Nobody owned the handover checklist during a deploy. I didn't know that either.",
        thread_of=card,
    )
    demo.clicks(SANNE, INTL_CHANNEL, ids.ACTION_REVIEW_LESSON)
    demo.submits(
        SANNE,
        {
            ids.BLOCK_REVIEW_LESSON: "During a deploy, the person on call does the handover "
            "checklist out loud in the channel; deploys wait until it's done."
        },
    )
    demo.says(
        EMMA,
        INTL_CHANNEL,
        "my bad, I sent the invoice to the wrong client this morning. "
        "Already called them to fix it.",
    )
    # Friday afternoon: the leaders' weekly digest, ending with Sanne's private reflection.
    demo.time_passes(datetime(2026, 12, 4, 15, 0, tzinfo=UTC))
    demo.job_runs("digest", send_digests)
    # The first working day of January (New Year's Day is a holiday): last month's brave
    # attempts, celebrated in the channel exactly as they were shared.
    demo.time_passes(datetime(2027, 1, 4, 9, 15, tzinfo=UTC))
    demo.job_runs("roundup", post_roundups)
    demo.opens_home(ANNA)
    demo.clicks_an_old_button(BRAM, TEAM_CHANNEL)
    demo.types(ANNA, TEAM_CHANNEL, "export")


def _last_id(demo: Demo, user: str) -> str:
    text = demo.last_private[user].get("text", "")
    match = re.search(r"#(\d+)", text)
    return match.group(1) if match else "0"


def run_demo(out: Callable[[str], None] = print, db_path: str | None = None) -> int:
    with tempfile.TemporaryDirectory(prefix="leerzone-demo-") as tmp:
        path = db_path or str(Path(tmp) / "demo.db")
        members = {
            TEAM_CHANNEL: [ANNA, BRAM, SANNE, *QUIET_COLLEAGUES, BOT_USER_ID],
            INTL_CHANNEL: [EMMA, SANNE, BOT_USER_ID],
        }
        # Where ../shared/slack-fixtures is beside the project, every call is also checked
        # against Slack's spec; a violation is printed at the end (and fails the tests).
        contract = SlackContract.load()
        with SlackStandIn(members=members, contract=contract, admins=ADMINS) as standin:
            settings = Settings(
                bot_token="xoxb-demo-token",
                signing_secret=SECRET,
                api_url=standin.base_url,
                db_path=path,
            )
            storage = Storage(path)
            clock = DemoClock()
            deps = build_deps(settings, storage, now=clock)
            app = create_app(deps)
            with BackgroundServer(app) as server:
                sim = SlackSimulator(server.url, SECRET, standin)
                demo = Demo(standin, sim, out)
                demo.clock = clock
                demo.deps, demo.client, demo.app = deps, app.client, app
                demo.seen = len(standin.calls)
                demo.line("title", channel=NAMES[TEAM_CHANNEL])
                demo.line("intro", app_url=server.url, standin_url=standin.url, db=path)
                demo.out("")
                script(demo)
                demo.line(
                    "summary",
                    calls=len(standin.calls),
                    rows=deps.failures.count(TEAM_ID),
                    public=demo.public_cards,
                    tips=demo.tips_seen,
                    pings=demo.pings,
                )
            drain(app)
            storage.close()
        for violation in standin.violations:
            print(f"Slack would refuse: {violation}", file=sys.stderr)
    return 1 if standin.violations else 0
