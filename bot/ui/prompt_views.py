"""Team prompts, the leaders-go-first invitation and the weekly digest."""

from __future__ import annotations

from typing import Any

from bot.ui.blocks import button, context_block, mrkdwn_section, plain
from bot.ui.ids import ACTION_PROMPT_SHARE
from bot.ui.texts import Texts


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
