"""The confirmation of `/fout vergeet-mij`."""

from __future__ import annotations

from typing import Any

from bot.ui.blocks import button, plain, text_and_buttons
from bot.ui.ids import ACTION_FORGET_NO, ACTION_FORGET_YES
from bot.ui.texts import Texts


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
