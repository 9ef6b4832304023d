"""Block Kit builders (pure) and the ids that tie buttons and modals to handlers.

Builders take a `Texts` and plain data and return dicts ready for the Web API; they never call
Slack or the database, so they are tested directly and validated against Block Kit's limits.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.config import LANGUAGES
from bot.detection.detect import KINDS
from bot.failures.store import Failure
from bot.ui.texts import Mrkdwn, Texts, blockquote

# Action ids (buttons and selects in messages)
ACTION_ADD_LESSON = "lz_add_lesson"
ACTION_KIND = "lz_kind"
ACTION_SHARE = "lz_share"
ACTION_SHARE_NAMED = "lz_share_named"
ACTION_SHARE_ANONYMOUS = "lz_share_anonymous"
ACTION_SHARE_CANCEL = "lz_share_cancel"

ACTION_NUDGE_DONE = "lz_nudge_done"
ACTION_NUDGE_OTHER = "lz_nudge_other"
ACTION_NUDGE_FALSE = "lz_nudge_false_positive"
ACTION_NUDGE_LATER = "lz_nudge_later"
ACTION_NUDGE_WHY = "lz_nudge_why"

# Modal callback ids, block ids and the action id used inside every input block
CALLBACK_FOUT = "lz_fout_modal"
CALLBACK_LESSON = "lz_lesson_modal"
BLOCK_WHAT = "what"
BLOCK_KIND = "kind"
BLOCK_LESSON = "lesson"
BLOCK_SHARE = "share"
INPUT = "value"

TEXT_MAX = 3000  # modal inputs: what happened, what I learned
SECTION_MAX = 3000
HEADER_MAX = 150
_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,4}$")


def fit(text: str, limit: int = SECTION_MAX) -> str:
    """Keep mrkdwn within a Block Kit limit without cutting an escape like `&amp;` in half."""
    if len(text) <= limit:
        return text
    cut = _PARTIAL_ENTITY.sub("", text[: limit - 1])
    return cut + "…"


def mrkdwn_section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": fit(text)}, **extra}


def context_block(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": fit(text)}]}


def plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": fit(text, limit), "emoji": True}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    element = {"type": "button", "text": plain(text), "action_id": action_id, "value": value}
    if style:
        element["style"] = style
    return element


def notice(text: str) -> dict[str, Any]:
    """A simple one-section message (answers to subcommands, confirmations)."""
    return {"text": fit(text, 3000), "blocks": [mrkdwn_section(text)]}


def can_share_in(channel_id: str | None) -> bool:
    """Cards go to channels; a direct message (D…) or an unknown place has no audience."""
    return bool(channel_id) and not channel_id.startswith("D")


def text_and_buttons(text: str, block_id: str, elements: list[dict[str, Any]]) -> dict[str, Any]:
    """A short message with a row of buttons under it."""
    return {
        "text": fit(text, 3000),
        "blocks": [
            mrkdwn_section(text),
            {"type": "actions", "block_id": block_id, "elements": elements},
        ],
    }


def kind_lines(texts: Texts) -> dict[str, str]:
    return {kind: texts.kind_line(kind) for kind in KINDS}


def _kind_option(texts: Texts, kind: str, value: str, with_description: bool) -> dict[str, Any]:
    option: dict[str, Any] = {"text": plain(texts.kind_name(kind)), "value": value}
    if with_description:
        option["description"] = plain(texts.label(f"kind_{kind}_short"))
    return option


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
    options = [_kind_option(texts, k, f"{failure.id}:{k}", False) for k in KINDS]
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


def _text_input(
    texts: Texts,
    block_id: str,
    label: str,
    *,
    optional: bool,
    placeholder: str | None = None,
    hint: str | None = None,
    initial: str | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": INPUT,
        "multiline": True,
        "max_length": TEXT_MAX,
    }
    if placeholder:
        element["placeholder"] = plain(texts.label(placeholder), 150)
    if initial:
        element["initial_value"] = initial[:TEXT_MAX]
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": plain(texts.label(label), 2000),
        "element": element,
    }
    if hint:
        block["hint"] = plain(texts.label(hint), 2000)
    return block


def _modal(
    texts: Texts,
    callback_id: str,
    metadata: dict[str, Any],
    title: str,
    submit: str,
    blocks: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": encode_metadata(metadata),
        "title": plain(texts.label(title), 24),
        "submit": plain(texts.label(submit), 24),
        "close": plain(texts.label("modal_close"), 24),
        "blocks": blocks,
    }


def notice_modal(texts: Texts, text: str) -> dict[str, Any]:
    """A modal that only tells something (it replaces a form that can't be processed)."""
    return {
        "type": "modal",
        "title": plain(texts.label("notice_title"), 24),
        "close": plain(texts.label("notice_close"), 24),
        "blocks": [mrkdwn_section(text)],
    }


def fout_modal(texts: Texts, metadata: dict[str, Any], share: str = "no") -> dict[str, Any]:
    """The /fout form. `metadata` (channel, language, response_url) travels in private_metadata."""
    share_options = [
        {"text": plain(texts.label(f"share_{choice}")), "value": choice}
        for choice in ("no", "named", "anonymous")
    ]
    initial_share = next(o for o in share_options if o["value"] == share)
    return _modal(
        texts,
        CALLBACK_FOUT,
        metadata,
        "modal_title",
        "modal_submit",
        [
            context_block(texts.label("modal_intro")),
            _text_input(
                texts,
                BLOCK_WHAT,
                "field_what",
                optional=False,
                placeholder="field_what_placeholder",
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
                    "options": [_kind_option(texts, k, k, True) for k in KINDS],
                },
            },
            _text_input(
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
    return _modal(
        texts,
        CALLBACK_LESSON,
        metadata,
        "lesson_modal_title",
        "lesson_modal_submit",
        [
            mrkdwn_section(texts.part("home", "entry", **ctx)),
            _text_input(
                texts,
                BLOCK_LESSON,
                "field_lesson",
                optional=False,
                placeholder="field_lesson_placeholder",
                initial=failure.lesson,
            ),
        ],
    )


ACTION_HOME_LESSON = "lz_home_lesson"
ACTION_HOME_DELETE = "lz_home_delete"
ACTION_HOME_PAGE = "lz_home_page"
ACTION_HOME_LANGUAGE = "lz_home_language"
ACTION_HOME_SCHEDULE = "lz_home_schedule"
CALLBACK_SCHEDULE = "lz_schedule_modal"
BLOCK_DAY, BLOCK_TIME, BLOCK_EVERY = "sched_day", "sched_time", "sched_every"


def home_view(texts: Texts, data: Any) -> dict[str, Any]:
    """The Home tab: my entries (paged), the three kinds, what the bot does, my language, and
    for leaders their channels — aggregates only. `data` is a home_data.HomeData."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": plain(texts.part("home", "header"), HEADER_MAX)},
        mrkdwn_section(texts.part("home", "intro")),
        {"type": "divider"},
        mrkdwn_section(
            texts.part("home", "mine", total=data.total, page=data.page, pages=data.pages)
        ),
    ]
    if not data.failures:
        blocks.append(mrkdwn_section(texts.part("home", "empty")))
    for failure in data.failures:
        ctx = {"failure": failure, "kind_name": texts.kind_name(failure.kind)}
        lesson_label = "btn_edit_lesson" if failure.lesson else "btn_add_lesson"
        delete = button(texts.part("home", "delete"), ACTION_HOME_DELETE, str(failure.id))
        delete["confirm"] = {
            "title": plain(texts.part("home", "delete_title"), 100),
            "text": plain(texts.part("home", "delete_text", failure_id=failure.id), 300),
            "confirm": plain(texts.part("home", "delete"), 30),
            "deny": plain(texts.label("btn_cancel"), 30),
            "style": "danger",
        }
        blocks.append(mrkdwn_section(texts.part("home", "entry", **ctx)))
        blocks.append(
            {
                "type": "actions",
                "block_id": f"lz_home_entry_{failure.id}",
                "elements": [
                    button(texts.label(lesson_label), ACTION_HOME_LESSON, str(failure.id)),
                    delete,
                ],
            }
        )
    paging = []
    if data.page > 1:
        paging.append(button(texts.part("home", "newer"), ACTION_HOME_PAGE, str(data.page - 1)))
    if data.page < data.pages:
        paging.append(button(texts.part("home", "older"), ACTION_HOME_PAGE, str(data.page + 1)))
    if paging:
        blocks.append({"type": "actions", "block_id": "lz_home_paging", "elements": paging})
    blocks.append({"type": "divider"})
    blocks.append(mrkdwn_section(texts.part("home", "kinds", lines=kind_lines(texts))))
    blocks.append(mrkdwn_section(texts.part("home", "what_we_do", minimum=data.minimum)))
    languages = [
        {"text": plain(texts.label(f"language_{code}")), "value": code} for code in LANGUAGES
    ]
    blocks.append(
        {
            "type": "section",
            "block_id": "lz_home_language",
            "text": {"type": "mrkdwn", "text": texts.part("home", "language")},
            "accessory": {
                "type": "static_select",
                "action_id": ACTION_HOME_LANGUAGE,
                "options": languages,
                "initial_option": next(o for o in languages if o["value"] == data.language),
            },
        }
    )
    if data.leader_channels:
        blocks.append({"type": "divider"})
        blocks.append(
            {"type": "header", "text": plain(texts.part("home", "leader_header"), HEADER_MAX)}
        )
    for channel in data.leader_channels:
        blocks.append(
            mrkdwn_section(
                texts.part("home", "leader_channel", **channel),
                accessory=button(
                    texts.part("home", "change_schedule"),
                    ACTION_HOME_SCHEDULE,
                    channel["channel_id"],
                ),
            )
        )
        blocks.append(context_block(texts.part("home", "leader_tips", **channel)))
        blocks.append(context_block(texts.part("home", "leader_team", **channel)))
    if data.more_channels:
        blocks.append(context_block(texts.part("home", "more_channels", count=data.more_channels)))
    blocks.append({"type": "divider"})
    blocks.append(context_block(texts.part("home", "privacy")))
    return {
        "type": "home",
        "private_metadata": encode_metadata({"page": data.page}),
        "blocks": blocks[:100],
    }


def schedule_modal(texts: Texts, channel_id: str, schedule: Any) -> dict[str, Any]:
    """Change a channel's question of the week from the Home tab. `schedule`: rotation.Schedule."""
    days = [{"text": plain(texts.label(f"weekday_{day}")), "value": str(day)} for day in range(5)]
    every = [{"text": plain(texts.part("home", f"every_{n}")), "value": str(n)} for n in (1, 2, 0)]
    current = "0" if not schedule.enabled else str(schedule.every_weeks)
    blocks = [
        {
            "type": "input",
            "block_id": BLOCK_DAY,
            "label": plain(texts.part("home", "schedule_day"), 2000),
            "element": {
                "type": "static_select",
                "action_id": INPUT,
                "options": days,
                "initial_option": days[min(schedule.weekday, 4)],
            },
        },
        {
            "type": "input",
            "block_id": BLOCK_TIME,
            "label": plain(texts.part("home", "schedule_time"), 2000),
            "element": {
                "type": "timepicker",
                "action_id": INPUT,
                "initial_time": schedule.at.strftime("%H:%M"),
            },
        },
        {
            "type": "input",
            "block_id": BLOCK_EVERY,
            "label": plain(texts.part("home", "schedule_every"), 2000),
            "element": {
                "type": "radio_buttons",
                "action_id": INPUT,
                "options": every,
                "initial_option": next(o for o in every if o["value"] == current),
            },
        },
    ]
    metadata = {"channel_id": channel_id, "lang": texts.lang}
    view = _modal(
        texts, CALLBACK_SCHEDULE, metadata, "schedule_title_label", "modal_submit", blocks
    )
    return view


def encode_metadata(metadata: dict[str, Any]) -> str:
    encoded = json.dumps(metadata, separators=(",", ":"))
    if len(encoded) > 3000:
        raise ValueError("private_metadata over 3000 characters")
    return encoded


def decode_metadata(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def input_value(view: dict[str, Any], block_id: str) -> Any:
    """The submitted value of an input block: text for text inputs, value for radio buttons."""
    state = view.get("state", {}).get("values", {}).get(block_id, {}).get(INPUT) or {}
    if state.get("type") in ("radio_buttons", "static_select"):
        selected = state.get("selected_option") or {}
        return selected.get("value")
    if state.get("type") == "timepicker":
        return state.get("selected_time")
    return state.get("value")


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


ACTION_PROMPT_SHARE = "lz_prompt_share"


def prompt_theme(prompt_id: str) -> str:
    return prompt_id.split("__")[0]


def prompt_catalogue(texts: Texts) -> list[str]:
    """The ids of the team prompts (block names `theme__nn` in team_prompts.j2)."""
    return [name for name in texts.variants("team_prompts", "") if "__" in name]


def team_prompt_message(texts: Texts, prompt_id: str) -> dict[str, Any]:
    """The weekly question: the prompt, a one-line why, and a button to share a mistake."""
    prompt = texts.part("team_prompts", prompt_id)
    why = texts.part("team_prompt_frame", f"why__{prompt_theme(prompt_id)}")
    return {
        "text": prompt,
        "blocks": [
            {"type": "header", "text": plain(texts.part("team_prompt_frame", "header"), 150)},
            mrkdwn_section(prompt),
            context_block(why),
            {
                "type": "actions",
                "block_id": f"lz_prompt_{prompt_id}",
                "elements": [
                    button(
                        texts.part("team_prompt_frame", "share_button"),
                        ACTION_PROMPT_SHARE,
                        prompt_id,
                        "primary",
                    )
                ],
            },
            context_block(texts.part("team_prompt_frame", "footer")),
        ],
    }


def leader_first_message(texts: Texts, channel_id: str, day: str, prompt_id: str) -> dict[str, Any]:
    invite = texts.part("team_prompt_frame", "leader_first", channel_id=channel_id, day=day)
    prompt = texts.part("team_prompts", prompt_id)
    question = texts.part("team_prompt_frame", "leader_first_prompt", prompt=prompt)
    return {"text": invite, "blocks": [mrkdwn_section(invite), context_block(question)]}


def digest_message(texts: Texts, channels: list[dict[str, Any]], minimum: int) -> dict[str, Any]:
    intro = texts.part("digest", "intro", minimum=minimum)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": plain(texts.part("digest", "header"), 150)},
        context_block(intro),
    ]
    for figures in channels[:40]:
        blocks.append(mrkdwn_section(texts.part("digest", "channel", **figures)))
    if not channels:
        blocks.append(mrkdwn_section(texts.part("digest", "none")))
    return {"text": texts.part("digest", "header"), "blocks": blocks}


ACTION_FORGET_YES = "lz_forget_yes"
ACTION_FORGET_NO = "lz_forget_no"


def forget_confirmation(texts: Texts) -> dict[str, Any]:
    """Deleting everything needs an explicit click, and then Slack's own confirm dialog."""
    text = texts.part("privacy", "forget_confirm")
    yes = button(texts.part("privacy", "forget_yes"), ACTION_FORGET_YES, "yes", "danger")
    yes["confirm"] = {
        "title": plain(texts.part("privacy", "forget_dialog_title"), 100),
        "text": plain(texts.part("privacy", "forget_dialog_text"), 300),
        "confirm": plain(texts.part("privacy", "forget_yes"), 30),
        "deny": plain(texts.part("privacy", "forget_no"), 30),
        "style": "danger",
    }
    no = button(texts.part("privacy", "forget_no"), ACTION_FORGET_NO, "no")
    return text_and_buttons(text, "lz_forget", [yes, no])


ACTION_LESSON_LATER = "lz_lesson_later"


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
