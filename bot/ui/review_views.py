"""Samen terugkijken: the questions in the thread, the consent, the lesson and its card."""

from __future__ import annotations

from typing import Any

from bot.failures.store import Failure
from bot.reviews.store import Review
from bot.ui.blocks import (
    button,
    context_block,
    modal,
    mrkdwn_section,
    notice,
    plain,
    text_and_buttons,
    text_input,
)
from bot.ui.ids import (
    ACTION_REVIEW_LESSON,
    ACTION_REVIEW_NO,
    ACTION_REVIEW_STOP,
    ACTION_REVIEW_YES_ANONYMOUS,
    ACTION_REVIEW_YES_NAMED,
    BLOCK_REVIEW_LESSON,
    BLOCK_REVIEW_SHARE,
    CALLBACK_REVIEW_CONSENT,
    CALLBACK_REVIEW_LESSON,
    INPUT,
)
from bot.ui.texts import Texts, slack_link


def _named(review: Review) -> bool:
    return review.share != "anonymous"


def review_post(texts: Texts, review: Review) -> dict[str, Any]:
    """The questions, in the report's thread, with the author's stop button."""
    ctx = {"author": review.author_id, "named": _named(review)}
    text = texts.part("review", "post", **ctx)
    return {
        "text": text,
        "blocks": [
            mrkdwn_section(text),
            context_block(texts.part("review", "post_context")),
            {
                "type": "actions",
                "block_id": f"lz_review_{review.id}",
                "elements": [
                    button(texts.part("review", "stop_button"), ACTION_REVIEW_STOP, str(review.id))
                ],
            },
        ],
    }


def stopped_post(texts: Texts) -> dict[str, Any]:
    return notice(texts.part("review", "stopped"))


def consent_modal(texts: Texts, failure: Failure, metadata: dict[str, Any]) -> dict[str, Any]:
    """The author's consent to a review of their own entry (and, if it is not shared yet,
    how to share it). Submitting is the consent; closing the window is a no."""
    shared = failure.shared != "no"
    channel = failure.shared_channel_id or failure.channel_id
    blocks: list[dict[str, Any]] = [
        mrkdwn_section(texts.part("review", "consent", channel_id=channel, shared=shared))
    ]
    if not shared:
        options = [
            {"text": plain(texts.label("share_named")), "value": "named"},
            {"text": plain(texts.label("share_anonymous")), "value": "anonymous"},
        ]
        blocks.append(
            {
                "type": "input",
                "block_id": BLOCK_REVIEW_SHARE,
                "label": plain(texts.part("review", "consent_share"), 2000),
                "element": {
                    "type": "radio_buttons",
                    "action_id": INPUT,
                    "options": options,
                    "initial_option": options[0],
                },
            }
        )
    return modal(texts, CALLBACK_REVIEW_CONSENT, metadata, "review_title", "review_submit", blocks)


def consent_request(texts: Texts, review: Review, leader: str, link: str | None) -> dict[str, Any]:
    """To the author, when a leader proposes a review of their report: yes (named or not), no."""
    value = str(review.id)
    label = texts.part("nudge", "link_label")
    text = texts.part(
        "review",
        "request",
        leader=leader,
        channel_id=review.channel_id,
        link=slack_link(link, label) if link else None,
    )
    return text_and_buttons(
        text,
        f"lz_review_ask_{review.id}",
        [
            button(texts.part("review", "yes_named"), ACTION_REVIEW_YES_NAMED, value, "primary"),
            button(texts.part("review", "yes_anonymous"), ACTION_REVIEW_YES_ANONYMOUS, value),
            button(texts.part("review", "no"), ACTION_REVIEW_NO, value),
        ],
    )


def lesson_button(texts: Texts, review: Review) -> dict[str, Any]:
    return button(
        texts.part("review", "lesson_button"), ACTION_REVIEW_LESSON, str(review.id), "primary"
    )


def leader_invite(texts: Texts, review: Review, link: str | None) -> dict[str, Any]:
    """To each leader of the channel once a review is open: a button for the team's lesson."""
    label = texts.part("nudge", "link_label")
    text = texts.part(
        "review",
        "leader_invite",
        channel_id=review.channel_id,
        link=slack_link(link, label) if link else None,
        named=_named(review),
    )
    return text_and_buttons(text, f"lz_review_lead_{review.id}", [lesson_button(texts, review)])


def lesson_modal(texts: Texts, review: Review, metadata: dict[str, Any]) -> dict[str, Any]:
    return modal(
        texts,
        CALLBACK_REVIEW_LESSON,
        metadata,
        "review_lesson_title",
        "lesson_modal_submit",
        [
            mrkdwn_section(texts.part("review", "lesson_intro", channel_id=review.channel_id)),
            text_input(
                texts,
                BLOCK_REVIEW_LESSON,
                "field_review_lesson",
                optional=False,
                placeholder="field_review_lesson_placeholder",
            ),
        ],
    )


def lesson_card(texts: Texts, review: Review, lesson: str) -> dict[str, Any]:
    """What the team learned, in the thread, credited exactly as the author chose."""
    text = texts.part("review", "lesson_card", lesson=lesson)
    ctx = {"named": _named(review), "author": review.author_id, "replies": review.replies}
    return {
        "text": text,
        "blocks": [
            mrkdwn_section(text),
            context_block(texts.part("review", "lesson_card_context", **ctx)),
        ],
    }
