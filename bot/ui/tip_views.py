"""A leader's private tip: the suggested reply, the reframe, and the buttons under them.

The same tip reads well wherever it lands (a DM, an ephemeral in the channel, the Home tab):
it says where, links to the message, and never quotes more than the cue. Who reported is
named only while the tip is made from the message itself (and carried in the tip's buttons,
which live in the leader's own Slack): the database never keeps the reporter's id, so a tip
made later (Home, the morning DM, after a restart) points at the message instead.
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
    ACTION_REVIEW_TIP,
    number,
)
from bot.ui.texts import USER_ID_RE, Mrkdwn, Texts, blockquote, slack_link


def suggestion_text(texts: Texts, kind: str, variant: int, author: str = "") -> str:
    names = texts.variants("suggestions", kind)
    return texts.part("suggestions", names[variant % len(names)], author=author)


def _context(texts: Texts, nudge: Nudge, cue: str, author: str) -> dict[str, Any]:
    return {
        "author": author,
        "cue": cue,
        "channel_id": nudge.channel_id,
        "link": slack_link(nudge.permalink, texts.part("nudge", "link_label"))
        if nudge.permalink
        else None,
    }


def tip_buttons(texts: Texts, nudge: Nudge, cue: str, author: str = "") -> dict[str, Any]:
    value = nudge_value(nudge.id, cue, author)
    elements = [
        button(texts.label("btn_nudge_done"), ACTION_NUDGE_DONE, value, "primary"),
        button(texts.label("btn_nudge_other"), ACTION_NUDGE_OTHER, value),
    ]
    if nudge.kind == "complex" and author:  # a look back together, if the author agrees
        elements.append(button(texts.part("review", "entry_button"), ACTION_REVIEW_TIP, value))
    elements += [
        button(texts.label("btn_nudge_false"), ACTION_NUDGE_FALSE, value),
        button(texts.label("btn_nudge_later"), ACTION_NUDGE_LATER, value),
        button(texts.label("btn_nudge_why"), ACTION_NUDGE_WHY, value),
    ]
    return {"type": "actions", "block_id": f"lz_nudge_{nudge.id}", "elements": elements}


def nudge_message(texts: Texts, nudge: Nudge, cue: str, author: str = "") -> dict[str, Any]:
    """The private tip to a leader: who, where, a suggested thank-you-first reply, buttons."""
    ctx = _context(texts, nudge, cue, author)
    kind = nudge.kind or "preventable"
    suggestion = suggestion_text(texts, kind, nudge.variant, author)
    return {
        "text": texts.part("nudge", "text", **ctx),
        "blocks": [
            mrkdwn_section(texts.part("nudge", "why", **ctx)),
            mrkdwn_section(
                texts.part("nudge", "intro", **ctx) + "\n" + blockquote(Mrkdwn(suggestion))
            ),
            tip_buttons(texts, nudge, cue, author),
            context_block(texts.part("nudge", "cue", **ctx)),
        ],
    }


def reframe_message(texts: Texts, nudge: Nudge, cue: str, author: str = "") -> dict[str, Any]:
    """To a leader whose reply in a report's thread may sound like blame: a better question."""
    ctx = _context(texts, nudge, cue, author)
    intro = texts.part("nudge", "reframe_intro", **ctx)
    better = texts.part("suggestions", f"reframe_{nudge.kind or 'why'}", **ctx)
    return {"text": intro, "blocks": [mrkdwn_section(intro + "\n" + blockquote(Mrkdwn(better)))]}


def appreciation_message(texts: Texts) -> dict[str, Any]:
    """To a leader who shares a mistake of their own."""
    return notice(texts.part("nudge", "appreciation"))


def tip_message(texts: Texts, nudge: Nudge, cue: str, author: str = "") -> dict[str, Any]:
    """What the leader sees for a tip; `cue` and `author` are "" when the message is gone or
    unknown (a tip made later, from what the database keeps)."""
    if nudge.purpose == "reframe":
        return reframe_message(texts, nudge, cue, author)
    if nudge.purpose == "appreciation":
        return appreciation_message(texts)
    return nudge_message(texts, nudge, cue, author)


def morning_summary(texts: Texts, held: list[Nudge]) -> dict[str, Any]:
    """One short DM at the start of the day for the tips held outside working hours."""
    label = texts.part("nudge", "link_label")
    moments: list[dict[str, Any]] = [
        {"channel_id": n.channel_id, "kind": n.kind, "link": slack_link(n.permalink, label)}
        for n in held
    ]
    return {
        "text": texts.part("nudge", "morning_text", count=len(moments)),
        "blocks": [mrkdwn_section(texts.part("nudge", "morning", moments=moments))],
    }


def nudge_value(nudge_id: int, cue: str, author: str = "") -> str:
    """Button value: the nudge id, plus who reported and the cue, so a new variant can show
    them again without us storing the reporter or any of the message's words. (The value
    lives in the leader's own tip message, which already shows both.)"""
    return f"{nudge_id}|{author if USER_ID_RE.match(author) else ''}|{cue[:200]}"


def parse_nudge_value(value: str) -> tuple[int, str, str]:
    """(nudge id, reporter or "", cue); anything odd reads as "unknown", never as an error."""
    raw_id, _, rest = (value or "").partition("|")
    author, _, cue = rest.partition("|")
    if not USER_ID_RE.match(author) and author:  # a tip from before the reporter left the db
        author, cue = "", rest
    return number(raw_id), author, cue
