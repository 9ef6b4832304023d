"""Block Kit building blocks shared by every view: sections, buttons, modals, metadata.

Pure: texts and plain data in, dicts for the Web API out; every text is kept within
Block Kit's limits without cutting an escape like `&amp;` in half.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.detection.detect import KINDS
from bot.ui.ids import INPUT
from bot.ui.texts import Texts

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


def kind_option(texts: Texts, kind: str, value: str, with_description: bool) -> dict[str, Any]:
    option: dict[str, Any] = {"text": plain(texts.kind_name(kind)), "value": value}
    if with_description:
        option["description"] = plain(texts.label(f"kind_{kind}_short"))
    return option


def text_input(
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


def modal(
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
