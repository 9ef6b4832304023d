"""`/fout`: log a failure at once, open the form, or run a subcommand."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.commands import Command, parse
from bot.deps import Deps
from bot.detection.detect import KINDS, kind_of
from bot.failures.sharing import take_down_cards
from bot.failures.store import DeleteResult
from bot.handlers.requester import allowed_to_govern
from bot.privacy.data_rights import export_user
from bot.slack.clients import SLACK_ERRORS, open_view, send_dm, slack_error
from bot.slack.failsafe import failure_message
from bot.slack.private import tell_privately
from bot.team_prompts.rotation import Schedule, next_slots, parse_schedule
from bot.team_prompts.schedule_change import change_schedule, default_schedule
from bot.ui import blocks, failure_views, privacy_views
from bot.ui.texts import Texts

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.command("/fout")(handle_fout)


@dataclass(frozen=True)
class Invocation:
    """One /fout call: who, where, what was asked, and how to answer."""

    deps: Deps
    texts: Texts
    cmd: Command
    command: dict[str, Any]
    respond: Respond
    client: WebClient
    context: BoltContext

    @property
    def team_id(self) -> str:
        return self.command["team_id"]

    @property
    def user_id(self) -> str:
        return self.command["user_id"]

    @property
    def channel_id(self) -> str:
        return self.command.get("channel_id", "")

    def reply(self, message: dict[str, Any]) -> None:
        """Privately: through the response_url, else an ephemeral, else a DM (a response_url
        can fail; the answer to a /fout must not vanish with it)."""
        tell_privately(
            self.client,
            self.command.get("response_url"),
            self.channel_id or None,
            self.user_id,
            message,
        )

    def reply_text(self, text: str) -> None:
        self.reply(blocks.notice(text))


def handle_fout(
    ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    deps: Deps = context["deps"]
    cmd = parse(command.get("text"))
    texts = deps.texts(command["team_id"], command.get("channel_id"))
    inv = Invocation(deps, texts, cmd, command, respond, client, context)
    if cmd.name == "log":
        log_failure(inv, ack)
        return
    ack()
    SUBCOMMANDS[cmd.name](inv)


def log_failure(inv: Invocation, ack: Ack) -> None:
    """Store first, ack after (as the form does): an entry Slack was told about is on disk,
    whatever happens to the process next. If it cannot be stored, the ack itself says so,
    with the person's own text quoted back."""
    try:
        failure = inv.deps.failures.add(
            team_id=inv.team_id,
            user_id=inv.user_id,
            channel_id=inv.channel_id or None,
            text=inv.cmd.text,
            kind=kind_of(inv.cmd.text),
        )
    except Exception as err:  # noqa: BLE001 (nothing stored: the ack says so, text given back)
        log.exception("could not store a /fout entry")
        ack(**failure_message(inv.texts, err, inv.cmd.text))
        return
    ack()
    inv.reply(failure_views.logged_message(inv.texts, failure))


def open_modal(inv: Invocation) -> None:
    metadata = {
        "channel_id": inv.channel_id,
        "lang": inv.texts.lang,
        "response_url": inv.command.get("response_url"),
    }
    view = failure_views.failure_modal(inv.texts, metadata)
    if open_view(inv.client, inv.command["trigger_id"], view, "the /fout form"):
        inv.reply_text(inv.texts.part("errors", "modal_failed"))


def show_help(inv: Invocation) -> None:
    inv.reply_text(inv.texts.render("help", lines=blocks.kind_lines(inv.texts)))


def show_list(inv: Invocation) -> None:
    failures = inv.deps.failures
    inv.reply_text(
        inv.texts.render(
            "list",
            failures=failures.latest(inv.team_id, inv.user_id, limit=10),
            total=failures.count(inv.team_id, inv.user_id),
            kind_names={kind: inv.texts.kind_name(kind) for kind in KINDS},
        )
    )


def delete_entry(inv: Invocation) -> None:
    cards = inv.deps.failures.shared_cards(inv.team_id, inv.user_id, inv.cmd.failure_id)
    result = inv.deps.failures.delete(inv.team_id, inv.user_id, inv.cmd.failure_id)
    removed, left = 0, 0
    if result is DeleteResult.DELETED:
        removed, left = take_down_cards(inv.client, cards)
    block = {
        DeleteResult.DELETED: "deleted",
        DeleteResult.NOT_FOUND: "not_found",
        DeleteResult.NOT_OWNER: "not_owner",
    }[result]
    inv.reply_text(
        inv.texts.part("delete", block, failure_id=inv.cmd.failure_id, card=removed, left=left)
    )


def leaders(inv: Invocation) -> None:
    current, from_default = inv.deps.channels.leaders(inv.team_id, inv.channel_id)
    if not inv.cmd.users:
        text = inv.texts.part(
            "leaders", "show", leaders=current, from_default=from_default, channel_id=inv.channel_id
        )
    elif not allowed_to_govern(inv.context, inv.channel_id):
        # Nobody appoints themselves: a leader gets tips about colleagues' mistakes.
        text = inv.texts.part("leaders", "refused", leaders=current)
    else:
        named = inv.deps.channels.get(inv.team_id, inv.channel_id).leaders
        inv.deps.channels.set_leaders(inv.team_id, inv.channel_id, list(inv.cmd.users), inv.user_id)
        text = inv.texts.part("leaders", "set", leaders=inv.cmd.users, channel_id=inv.channel_id)
        announce_leaders(inv)
        for appointed in dict.fromkeys(inv.cmd.users):
            if appointed not in named:
                welcome_leader(inv, appointed)
    inv.reply_text(text)


def announce_leaders(inv: Invocation) -> None:
    """One line in the channel: everyone there knows who receives the tips about them."""
    leaders = tuple(dict.fromkeys(inv.cmd.users))
    message = blocks.notice(inv.texts.part("leaders", "announce", leaders=leaders, by=inv.user_id))
    try:
        inv.client.chat_postMessage(channel=inv.channel_id, unfurl_links=False, **message)
    except SLACK_ERRORS as err:  # not invited there: the leaders still get their DM
        log.warning("announcing leaders in %s failed: %s", inv.channel_id, slack_error(err))


def welcome_leader(inv: Invocation, leader: str) -> None:
    """Tell someone who now leads a channel what that means and how to choose delivery."""
    texts = inv.deps.user_texts(inv.team_id, leader)
    by = inv.user_id if inv.user_id != leader else ""
    message = blocks.notice(
        texts.part("welcome", "leader_welcome", channel_id=inv.channel_id, by=by)
    )
    message["text"] = texts.part("welcome", "leader_welcome_text")
    send_dm(inv.client, inv.team_id, leader, message, "leader welcome")


def language(inv: Invocation) -> None:
    if not allowed_to_govern(inv.context, inv.channel_id):
        inv.reply_text(inv.texts.part("language", "refused"))
        return
    inv.deps.channels.set_language(inv.team_id, inv.channel_id, inv.cmd.language, inv.user_id)
    texts = inv.deps.texts(inv.team_id, inv.channel_id)
    inv.reply_text(texts.part("language", "set", channel_id=inv.channel_id))


def celebrations(inv: Invocation) -> None:
    """The monthly round-up of intelligent failures in this channel: show, or switch it."""
    if inv.cmd.switch is None:
        on = inv.deps.channels.get(inv.team_id, inv.channel_id).celebrations
        inv.reply_text(inv.texts.part("celebrations", "show", on=on, channel_id=inv.channel_id))
        return
    if not allowed_to_govern(inv.context, inv.channel_id):
        inv.reply_text(inv.texts.part("celebrations", "refused"))
        return
    inv.deps.channels.set_celebrations(inv.team_id, inv.channel_id, inv.cmd.switch, inv.user_id)
    text = inv.texts.part("celebrations", "set", on=inv.cmd.switch, channel_id=inv.channel_id)
    inv.reply_text(text)


def schedule(inv: Invocation) -> None:
    current = inv.deps.prompts.schedule(inv.team_id, inv.channel_id)
    if inv.cmd.words:
        parsed = parse_schedule(inv.cmd.words)
        if parsed is None:
            inv.reply_text(inv.texts.part("schedule", "usage"))
            return
        wanted = parsed if isinstance(parsed, Schedule) else None  # else "off"
        allowed = allowed_to_govern(inv.context, inv.channel_id)
        change = change_schedule(
            inv.deps, inv.team_id, inv.channel_id, inv.user_id, wanted, allowed=allowed
        )
        if change.refused:
            inv.reply_text(inv.texts.part("schedule", "refused", leaders=change.leaders))
            return
        if wanted is None:
            inv.reply_text(inv.texts.part("schedule", "off", channel_id=inv.channel_id))
            return
        current = change.schedule
    inv.reply_text(describe_schedule(inv.deps, inv.texts, inv.channel_id, current))


def describe_schedule(deps: Deps, texts: Texts, channel_id: str, schedule: Schedule | None) -> str:
    schedule = schedule or default_schedule(deps)
    slots = next_slots(schedule, deps.now(), 3) if schedule.enabled else []
    return texts.part(
        "schedule",
        "show",
        channel_id=channel_id,
        slots=[texts.when(slot) for slot in slots],
        every_weeks=schedule.every_weeks,
        weekday=texts.label(f"weekday_{schedule.weekday}"),
        at=schedule.at.strftime("%H:%M"),
        timezone=schedule.timezone,
    )


def export(inv: Invocation) -> None:
    data = export_user(inv.deps, inv.team_id, inv.user_id)
    summary = inv.texts.part(
        "privacy",
        "export_comment",
        failures=len(data["failures"]),
        lessons=sum(1 for f in data["failures"] if f["lesson"]),
        tips=sum(1 for tip in data["nudges"] if tip["leader_id"] == inv.user_id),
    )
    try:
        dm = inv.client.conversations_open(users=inv.user_id)["channel"]["id"]
        inv.client.files_upload_v2(
            channel=dm,
            content=json.dumps(data, ensure_ascii=False, indent=2),
            filename=f"leerzone-export-{data['exported_at'][:10]}.json",
            title=inv.texts.part("privacy", "export_title"),
            initial_comment=summary,
        )
    except SLACK_ERRORS as err:
        log.warning("export for %s failed: %s", inv.user_id, slack_error(err))
        error = slack_error(err)
        inv.reply_text(inv.texts.part("privacy", "export_failed", error=error))
        return
    inv.reply_text(inv.texts.part("privacy", "export_sent"))


def forget(inv: Invocation) -> None:
    inv.reply(privacy_views.forget_confirmation(inv.texts))


def usage(inv: Invocation) -> None:
    inv.reply_text(inv.texts.part("usage", inv.cmd.usage_of))


SUBCOMMANDS: dict[str, Callable[[Invocation], None]] = {
    "modal": open_modal,
    "help": show_help,
    "list": show_list,
    "delete": delete_entry,
    "leaders": leaders,
    "language": language,
    "schedule": schedule,
    "celebrations": celebrations,
    "export": export,
    "forget": forget,
    "usage": usage,
}
