"""The App Home tab and the schedule form a leader opens from it."""

from __future__ import annotations

from typing import Any

from bot.config import LANGUAGES
from bot.detection.detect import KINDS
from bot.storage.prefs import TIP_DELIVERIES
from bot.ui.blocks import (
    HEADER_MAX,
    button,
    context_block,
    encode_metadata,
    kind_lines,
    modal,
    mrkdwn_section,
    plain,
)
from bot.ui.ids import (
    ACTION_HOME_DELETE,
    ACTION_HOME_LANGUAGE,
    ACTION_HOME_LESSON,
    ACTION_HOME_PAGE,
    ACTION_HOME_SCHEDULE,
    ACTION_HOME_TIP_DELIVERY,
    BLOCK_CELEBRATE,
    BLOCK_DAY,
    BLOCK_EVERY,
    BLOCK_TIME,
    CALLBACK_SCHEDULE,
    INPUT,
)
from bot.ui.review_views import lesson_button
from bot.ui.texts import Texts, slack_link
from bot.ui.tip_views import suggestion_text, tip_buttons


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
        select_section(
            texts.part("home", "language"),
            "lz_home_language",
            ACTION_HOME_LANGUAGE,
            languages,
            data.language,
        )
    )
    if data.leader_channels or data.moments:
        blocks.append({"type": "divider"})
        blocks.append(
            {"type": "header", "text": plain(texts.part("home", "leader_header"), HEADER_MAX)}
        )
        blocks.extend(moment_blocks(texts, data))
    if data.reviews:
        blocks.append(mrkdwn_section(texts.part("review", "home_header")))
        for review in data.reviews[:10]:
            item = texts.part(
                "review",
                "home_item",
                channel_id=review.channel_id,
                link=None,
                replies=review.replies,
            )
            blocks.append(mrkdwn_section(item, accessory=lesson_button(texts, review)))
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


def select_section(
    text: str, block_id: str, action_id: str, options: list[dict[str, Any]], current: str
) -> dict[str, Any]:
    """A line of text with a choice beside it, the current choice selected."""
    return {
        "type": "section",
        "block_id": block_id,
        "text": {"type": "mrkdwn", "text": text},
        "accessory": {
            "type": "static_select",
            "action_id": action_id,
            "options": options,
            "initial_option": next(o for o in options if o["value"] == current),
        },
    }


def moment_blocks(texts: Texts, data: Any) -> list[dict[str, Any]]:
    """A leader's open moments to say thanks, with the tip's own buttons, and how tips come."""
    found: list[dict[str, Any]] = [
        mrkdwn_section(texts.part("home", "moments", count=len(data.moments) + data.more_moments))
    ]
    label = texts.part("nudge", "link_label")
    for moment in data.moments:
        nudge = moment["nudge"]
        ctx = {
            "nudge": nudge,
            "when": moment["when"],
            "kind_name": texts.kind_name(nudge.kind) if nudge.kind in KINDS else "",
            "link": slack_link(nudge.permalink, label) if nudge.permalink else None,
        }
        found.append(mrkdwn_section(texts.part("home", "moment", **ctx)))
        if nudge.purpose == "suggestion":
            suggestion = suggestion_text(texts, nudge.kind or "preventable", nudge.variant)
            found.append(context_block(suggestion))
            found.append(tip_buttons(texts, nudge, ""))
    if data.more_moments:
        found.append(context_block(texts.part("home", "more_moments", count=data.more_moments)))
    choices = [
        {"text": plain(texts.part("home", f"delivery_{way}")), "value": way}
        for way in TIP_DELIVERIES
    ]
    found.append(
        select_section(
            texts.part("home", "delivery"),
            "lz_home_tip_delivery",
            ACTION_HOME_TIP_DELIVERY,
            choices,
            data.tip_delivery,
        )
    )
    return found


def schedule_modal(
    texts: Texts, channel_id: str, schedule: Any, celebrations: bool = True
) -> dict[str, Any]:
    """Change a channel's question of the week (`schedule`: rotation.Schedule) and its monthly
    celebration from the Home tab."""
    switch = [
        {"text": plain(texts.part("celebrations", f"home_{way}")), "value": way}
        for way in ("on", "off")
    ]
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
        {
            "type": "input",
            "block_id": BLOCK_CELEBRATE,
            "label": plain(texts.part("celebrations", "home_label"), 2000),
            "element": {
                "type": "radio_buttons",
                "action_id": INPUT,
                "options": switch,
                "initial_option": switch[0 if celebrations else 1],
            },
        },
    ]
    metadata = {"channel_id": channel_id, "lang": texts.lang}
    view = modal(texts, CALLBACK_SCHEDULE, metadata, "schedule_title_label", "modal_submit", blocks)
    return view
