"""A leader's private tip: the suggested reply, the reframe, and the buttons under them."""

from __future__ import annotations

from typing import Any

from bot.ui.blocks import button, context_block, mrkdwn_section
from bot.ui.ids import (
    ACTION_NUDGE_DONE,
    ACTION_NUDGE_FALSE,
    ACTION_NUDGE_LATER,
    ACTION_NUDGE_OTHER,
    ACTION_NUDGE_WHY,
)
from bot.ui.texts import Mrkdwn, Texts, blockquote


def suggestion_text(texts: Texts, kind: str, variant: int, author_id: str) -> str:
    names = texts.variants("suggestions", kind)
    return texts.part("suggestions", names[variant % len(names)], author=author_id)


def nudge_message(
    texts: Texts, nudge_id: int, author_id: str, kind: str, variant: int, cue: str
) -> dict[str, Any]:
    """The private tip to a leader: why, a suggested thank-you-first reply, and buttons."""
    ctx = {"author": author_id, "cue": cue}
    value = nudge_value(nudge_id, cue)
    suggestion = suggestion_text(texts, kind, variant, author_id)
    return {
        "text": texts.part("nudge", "text", **ctx),
        "blocks": [
            mrkdwn_section(texts.part("nudge", "why", **ctx)),
            mrkdwn_section(
                texts.part("nudge", "intro", **ctx) + "\n" + blockquote(Mrkdwn(suggestion))
            ),
            {
                "type": "actions",
                "block_id": f"lz_nudge_{nudge_id}",
                "elements": [
                    button(texts.label("btn_nudge_done"), ACTION_NUDGE_DONE, value, "primary"),
                    button(texts.label("btn_nudge_other"), ACTION_NUDGE_OTHER, value),
                    button(texts.label("btn_nudge_false"), ACTION_NUDGE_FALSE, value),
                    button(texts.label("btn_nudge_later"), ACTION_NUDGE_LATER, value),
                    button(texts.label("btn_nudge_why"), ACTION_NUDGE_WHY, value),
                ],
            },
            context_block(texts.part("nudge", "cue", **ctx)),
        ],
    }


def reframe_message(texts: Texts, author_id: str, reframe: str, cue: str) -> dict[str, Any]:
    ctx = {"author": author_id, "cue": cue}
    intro = texts.part("nudge", "reframe_intro", **ctx)
    better = texts.part("suggestions", f"reframe_{reframe}", **ctx)
    return {"text": intro, "blocks": [mrkdwn_section(intro + "\n" + blockquote(Mrkdwn(better)))]}


def nudge_value(nudge_id: int, cue: str) -> str:
    """Button value: the nudge id, plus the cue so a new variant can show it again without us
    storing any of the message's words."""
    return f"{nudge_id}|{cue[:200]}"


def parse_nudge_value(value: str) -> tuple[int, str]:
    raw_id, _, cue = (value or "").partition("|")
    return (int(raw_id) if raw_id.isdigit() else 0), cue
