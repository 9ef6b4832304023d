"""What a person sees of their own failure log: the answer to /fout, the form, the
lesson form, the share choice, the learning card in the channel and the lesson question."""

from __future__ import annotations

from typing import Any, TypeGuard

from bot.detection.detect import KINDS
from bot.failures.store import Failure
from bot.ui.blocks import (
    HEADER_MAX,
    button,
    context_block,
    fit,
    kind_lines,
    kind_option,
    modal,
    mrkdwn_section,
    plain,
    text_and_buttons,
    text_input,
)
from bot.ui.ids import (
    ACTION_ADD_LESSON,
    ACTION_KIND,
    ACTION_LESSON_LATER,
    ACTION_REVIEW_ENTRY,
    ACTION_SHARE,
    ACTION_SHARE_ANONYMOUS,
    ACTION_SHARE_CANCEL,
    ACTION_SHARE_NAMED,
    BLOCK_KIND,
    BLOCK_LESSON,
    BLOCK_SHARE,
    BLOCK_WHAT,
    CALLBACK_FAILURE,
    CALLBACK_LESSON,
    INPUT,
)
from bot.ui.texts import Texts


def can_share_in(channel_id: str | None) -> TypeGuard[str]:
    """Cards go to channels; a direct message (D…) or an unknown place has no audience."""
    return channel_id is not None and channel_id != "" and not channel_id.startswith("D")


def logged_message(texts: Texts, failure: Failure) -> dict[str, Any]:
    """The private answer to a logged failure: thanks, the kind, a question, and next steps."""
    ctx = {
        "failure": failure,
        "kind_name": texts.kind_name(failure.kind),
        "kind_line": texts.kind_line(failure.kind),
        "lines": kind_lines(texts),
    }
    blocks: list[dict[str, Any]] = [
        mrkdwn_section(texts.part("logged", "thanks", **ctx)),
        mrkdwn_section(texts.part("logged", "kind", **ctx)),
        mrkdwn_section(texts.part("logged", "question", **ctx)),
    ]
    shared_line = texts.part("logged", "shared", **ctx)
    if shared_line:
        blocks.append(mrkdwn_section(shared_line))
    options = [kind_option(texts, k, f"{failure.id}:{k}", False) for k in KINDS]
    lesson_label = "btn_edit_lesson" if failure.lesson else "btn_add_lesson"
    elements: list[dict[str, Any]] = [
        button(texts.label(lesson_label), ACTION_ADD_LESSON, str(failure.id), "primary"),
        {
            "type": "static_select",
            "action_id": ACTION_KIND,
            "placeholder": plain(texts.label("kind_select_placeholder"), 150),
            "options": options,
            "initial_option": options[KINDS.index(failure.kind)],
        },
    ]
    if failure.shared == "no" and can_share_in(failure.channel_id):
        elements.append(button(texts.label("btn_share"), ACTION_SHARE, str(failure.id)))
    if failure.kind == "complex" and can_share_in(failure.shared_channel_id or failure.channel_id):
        label = texts.part("review", "entry_button")  # a look back together, the author's call
        elements.append(button(label, ACTION_REVIEW_ENTRY, str(failure.id)))
    blocks.append({"type": "actions", "block_id": f"lz_logged_{failure.id}", "elements": elements})
    blocks.append(context_block(texts.part("logged", "kinds", **ctx)))
    return {"text": texts.part("logged", "text", **ctx), "blocks": blocks}


def share_choice_message(texts: Texts, failure: Failure, channel_id: str) -> dict[str, Any]:
    value = str(failure.id)
    return text_and_buttons(
        texts.part("share", "choose", failure=failure, channel_id=channel_id),
        f"lz_share_{failure.id}",
        [
            button(texts.label("btn_share_named"), ACTION_SHARE_NAMED, value, "primary"),
            button(texts.label("btn_share_anonymous"), ACTION_SHARE_ANONYMOUS, value),
            button(texts.label("btn_cancel"), ACTION_SHARE_CANCEL, value),
        ],
    )


def learning_card(texts: Texts, failure: Failure, user_id: str, anonymous: bool) -> dict[str, Any]:
    """The public card. `user_id` is only shown when the author chose to share with their name."""
    ctx = {
        "failure": failure,
        "kind_name": texts.kind_name(failure.kind),
        "kind_line": texts.kind_line(failure.kind),
        "anonymous": anonymous,
        "user_id": user_id,
    }
    return {
        "text": fit(texts.part("card", "text", **ctx), 3000),
        "blocks": [
            {"type": "header", "text": plain(texts.part("card", "header"), HEADER_MAX)},
            mrkdwn_section(texts.part("card", "body", **ctx)),
            mrkdwn_section(texts.part("card", "lesson", **ctx)),
            context_block(texts.part("card", "footer", **ctx)),
        ],
    }


def failure_modal(
    texts: Texts, metadata: dict[str, Any], share: str = "no", what: str = ""
) -> dict[str, Any]:
    """The /fout form. `metadata` (channel, language, response_url) travels in private_metadata;
    `what` fills in what happened (the message a person logs with the shortcut)."""
    share_options = [
        {"text": plain(texts.label(f"share_{choice}")), "value": choice}
        for choice in ("no", "named", "anonymous")
    ]
    initial_share = next(o for o in share_options if o["value"] == share)
    return modal(
        texts,
        CALLBACK_FAILURE,
        metadata,
        "modal_title",
        "modal_submit",
        [
            context_block(texts.label("modal_intro")),
            text_input(
                texts,
                BLOCK_WHAT,
                "field_what",
                optional=False,
                placeholder="field_what_placeholder",
                initial=what or None,
            ),
            {
                "type": "input",
                "block_id": BLOCK_KIND,
                "optional": True,
                "label": plain(texts.label("field_kind"), 2000),
                "hint": plain(texts.label("field_kind_hint"), 2000),
                "element": {
                    "type": "radio_buttons",
                    "action_id": INPUT,
                    "options": [kind_option(texts, k, k, True) for k in KINDS],
                },
            },
            text_input(
                texts,
                BLOCK_LESSON,
                "field_lesson",
                optional=True,
                placeholder="field_lesson_placeholder",
                hint="field_lesson_hint",
            ),
            {
                "type": "input",
                "block_id": BLOCK_SHARE,
                "optional": False,
                "label": plain(texts.label("field_share"), 2000),
                "element": {
                    "type": "radio_buttons",
                    "action_id": INPUT,
                    "options": share_options,
                    "initial_option": initial_share,
                },
            },
        ],
    )


def lesson_modal(texts: Texts, failure: Failure, metadata: dict[str, Any]) -> dict[str, Any]:
    ctx = {"failure": failure, "kind_name": texts.kind_name(failure.kind)}
    return modal(
        texts,
        CALLBACK_LESSON,
        metadata,
        "lesson_modal_title",
        "lesson_modal_submit",
        [
            mrkdwn_section(texts.part("home", "entry", **ctx)),
            text_input(
                texts,
                BLOCK_LESSON,
                "field_lesson",
                optional=False,
                placeholder="field_lesson_placeholder",
                initial=failure.lesson,
            ),
        ],
    )


def lesson_reminder(texts: Texts, failure: Failure, when: str) -> dict[str, Any]:
    """The learning loop's one DM: what did you learn? Add it, or not now (and never again)."""
    value = str(failure.id)
    return text_and_buttons(
        texts.part("learning", "ask", failure=failure, when=when),
        f"lz_learning_{failure.id}",
        [
            button(texts.label("btn_add_lesson"), ACTION_ADD_LESSON, value, "primary"),
            button(texts.part("learning", "not_now"), ACTION_LESSON_LATER, value),
        ],
    )
