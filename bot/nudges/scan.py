"""Reading one channel message, once: is it a report, blame, or a reply under a prompt?

Runs in the request, before the ack, for every message the bot can see, so it only reads (channel
settings from memory, one indexed lookup for threads) and runs the pure detector. Its verdict
travels on to the action, which never looks at the message again.
"""

from __future__ import annotations

from typing import Any

from bot.deps import Deps
from bot.detection.blame import detect_blame
from bot.detection.detect import detect
from bot.nudges.policy import Verdict

SCANNED_SUBTYPES = {None, "thread_broadcast", "file_share"}


def is_scannable(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """A person's new message in a channel: not a bot, an edit, a join or a DM."""
    if event.get("subtype") not in SCANNED_SUBTYPES or event.get("hidden"):
        return False
    if event.get("bot_id") or event.get("bot_profile") or not event.get("user"):
        return False
    if event.get("user") == bot_user_id:
        return False
    channel_type = event.get("channel_type")
    channel = str(event.get("channel") or "")
    if channel_type in ("im", "mpim") or channel.startswith("D"):
        return False
    return bool(str(event.get("text") or "").strip()) and bool(event.get("ts"))


def scan_message(deps: Deps, team_id: str, event: dict[str, Any]) -> Verdict | None:
    """The verdict on a scannable message, or None when it needs nothing from us."""
    channel_id, text, ts, author = event["channel"], event["text"], event["ts"], event["user"]
    thread_ts = event.get("thread_ts") or ts
    leaders, _ = deps.channels.leaders(team_id, channel_id)
    hint = deps.language(team_id, channel_id)
    prompt_thread, review_thread, blame, mistake = False, False, None, None
    if thread_ts != ts:
        prompt_thread = deps.prompts.is_prompt_thread(team_id, channel_id, thread_ts)
        review_thread = deps.reviews.is_review_thread(team_id, channel_id, thread_ts)
        # blame only in the thread of a mistake report: "why a dict here?" in a code review
        # thread is a question, not a verdict on a person
        if author in leaders and deps.nudges.is_report(team_id, channel_id, thread_ts):
            found = detect_blame(text, hint, wait=False)  # before the ack: never wait on a load
            if found.is_blame and found.reframe and found.cue:
                blame = found
    if blame is None:
        found_mistake = detect(text, hint)
        if found_mistake.is_mistake and found_mistake.kind:
            mistake = found_mistake
    if not (prompt_thread or review_thread or mistake or blame):
        return None  # most messages: no verdict built (a frozen dataclass is not free)
    return Verdict(
        team_id=team_id,
        channel_id=channel_id,
        ts=ts,
        thread_ts=thread_ts,
        author=author,
        parent_author=event.get("parent_user_id") or "",
        leaders=leaders,
        prompt_thread=prompt_thread,
        review_thread=review_thread,
        mistake=mistake,
        blame=blame,
    )
