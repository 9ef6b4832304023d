"""The window that "Bedank eerst" opens on a message: a thank-you-first reply to adapt.

The kind picker and "andere suggestie" redraw the window in place (views.update); everything
the window needs travels in its private_metadata, so nothing of the message is stored.
"""

from __future__ import annotations

from typing import Any

from bot.detection.detect import KINDS
from bot.ui.blocks import button, context_block, encode_metadata, kind_option, mrkdwn_section, plain
from bot.ui.ids import ACTION_THANK_KIND, ACTION_THANK_OTHER, CALLBACK_THANK_FIRST
from bot.ui.texts import Mrkdwn, Texts, blockquote, slack_link
from bot.ui.tip_views import suggestion_text


def thank_first_modal(texts: Texts, moment: dict[str, Any]) -> dict[str, Any]:
    """`moment`: author, channel_id, permalink, kind, variant (and what travels along)."""
    link = slack_link(moment.get("permalink"), texts.part("nudge", "link_label"))
    ctx = {"author": moment["author"], "channel_id": moment["channel_id"], "link": link}
    kind = moment["kind"] if moment["kind"] in KINDS else "preventable"
    suggestion = suggestion_text(texts, kind, int(moment.get("variant") or 0), moment["author"])
    options = [kind_option(texts, k, k, False) for k in KINDS]
    return {
        "type": "modal",
        "callback_id": CALLBACK_THANK_FIRST,
        "private_metadata": encode_metadata({**moment, "kind": kind, "lang": texts.lang}),
        "title": plain(texts.part("shortcuts", "thank_title"), 24),
        "close": plain(texts.label("notice_close"), 24),
        "blocks": [
            mrkdwn_section(texts.part("shortcuts", "thank_intro", **ctx)),
            mrkdwn_section(blockquote(Mrkdwn(suggestion))),
            {
                "type": "actions",
                "block_id": "lz_thank_first",
                "elements": [
                    {
                        "type": "static_select",
                        "action_id": ACTION_THANK_KIND,
                        "placeholder": plain(texts.part("shortcuts", "thank_kind")),
                        "options": options,
                        "initial_option": next(o for o in options if o["value"] == kind),
                    },
                    button(texts.label("btn_nudge_other"), ACTION_THANK_OTHER, kind),
                ],
            },
            context_block(texts.part("shortcuts", "thank_footer")),
        ],
    }
