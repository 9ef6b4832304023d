"""A leader's private tip: the suggested reply, the reframe, and the buttons under them.

The same tip reads well wherever it lands (a DM, an ephemeral in the channel, the Home tab):
it names who reported where, links to the message, and never quotes more than the cue.
"""

from __future__ import annotations

from typing import Any

from bot.nudges.store import Nudge
from bot.ui.blocks import button, context_block, mrkdwn_section, notice
from bot.ui.ids import (
    ACTION_NUDGE_DONE,
    ACTION_NUDGE_FALSE,
    ACTION_NUDGE_LATER,
    ACTION_NUDGE_OTHER,
    ACTION_NUDGE_WHY,
)
from bot.ui.texts import Mrkdwn, Texts, blockquote, slack_link


def suggestion_text(texts: Texts, kind: str, variant: int, author_id: str) -> str:
    names = texts.variants("suggestions", kind)
    return texts.part("suggestions", names[variant % len(names)], author=author_id)


def _context(texts: Texts, nudge: Nudge, cue: str) -> dict[str, Any]:
    return {
        "author": nudge.author_id,
        "cue": cue,
        "channel_id": nudge.channel_id,
        "link": slack_link(nudge.permalink, texts.part("nudge", "link_label"))
        if nudge.permalink
        else None,
    }


def tip_buttons(texts: Texts, nudge: Nudge, cue: str) -> dict[str, Any]:
    value = nudge_value(nudge.id, cue)
    return {
        "type": "actions",
        "block_id": f"lz_nudge_{nudge.id}",
        "elements": [
            button(texts.label("btn_nudge_done"), ACTION_NUDGE_DONE, value, "primary"),
            button(texts.label("btn_nudge_other"), ACTION_NUDGE_OTHER, value),
            button(texts.label("btn_nudge_false"), ACTION_NUDGE_FALSE, value),
            button(texts.label("btn_nudge_later"), ACTION_NUDGE_LATER, value),
            button(texts.label("btn_nudge_why"), ACTION_NUDGE_WHY, value),
        ],
    }


def nudge_message(texts: Texts, nudge: Nudge, cue: str) -> dict[str, Any]:
    """The private tip to a leader: who, where, a suggested thank-you-first reply, buttons."""
    ctx = _context(texts, nudge, cue)
    kind = nudge.kind or "preventable"
    suggestion = suggestion_text(texts, kind, nudge.variant, nudge.author_id)
    return {
        "text": texts.part("nudge", "text", **ctx),
        "blocks": [
            mrkdwn_section(texts.part("nudge", "why", **ctx)),
            mrkdwn_section(
                texts.part("nudge", "intro", **ctx) + "\n" + blockquote(Mrkdwn(suggestion))
            ),
            tip_buttons(texts, nudge, cue),
            context_block(texts.part("nudge", "cue", **ctx)),
        ],
    }


def reframe_message(texts: Texts, nudge: Nudge, cue: str) -> dict[str, Any]:
    """To a leader whose reply in a report's thread may sound like blame: a better question."""
    ctx = _context(texts, nudge, cue)
    intro = texts.part("nudge", "reframe_intro", **ctx)
    better = texts.part("suggestions", f"reframe_{nudge.kind or 'why'}", **ctx)
    return {"text": intro, "blocks": [mrkdwn_section(intro + "\n" + blockquote(Mrkdwn(better)))]}


def appreciation_message(texts: Texts) -> dict[str, Any]:
    """To a leader who shares a mistake of their own."""
    return notice(texts.part("nudge", "appreciation"))


def tip_message(texts: Texts, nudge: Nudge, cue: str) -> dict[str, Any]:
    """What the leader sees for a tip; `cue` is "" when the message is gone or unknown."""
    if nudge.purpose == "reframe":
        return reframe_message(texts, nudge, cue)
    if nudge.purpose == "appreciation":
        return appreciation_message(texts)
    return nudge_message(texts, nudge, cue)


def morning_summary(texts: Texts, held: list[Nudge]) -> dict[str, Any]:
    """One short DM at the start of the day for the tips held outside working hours."""
    label = texts.part("nudge", "link_label")
    moments: list[dict[str, Any]] = [
        {"author": n.author_id, "channel_id": n.channel_id, "link": slack_link(n.permalink, label)}
        for n in held
    ]
    return {
        "text": texts.part("nudge", "morning_text", count=len(moments)),
        "blocks": [mrkdwn_section(texts.part("nudge", "morning", moments=moments))],
    }


def nudge_value(nudge_id: int, cue: str) -> str:
    """Button value: the nudge id, plus the cue so a new variant can show it again without us
    storing any of the message's words."""
    return f"{nudge_id}|{cue[:200]}"


def parse_nudge_value(value: str) -> tuple[int, str]:
    raw_id, _, cue = (value or "").partition("|")
    return (int(raw_id) if raw_id.isdigit() else 0), cue
