"""Team prompts, the leaders-go-first invitation and the weekly digest."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.failures.store import Failure
from bot.ui.blocks import button, context_block, mrkdwn_section, plain
from bot.ui.ids import ACTION_PROMPT_SHARE
from bot.ui.texts import Texts, shorten

# Prompts that invite sharing a failure get the "Deel een fout" button; the others ask for a
# thought, an example or a conversation, where that button would only be noise.
SHARING_THEMES = ("share_own", "celebrate_intelligent")
# Prompts that are instructions to leaders: they go to the channel's leaders by DM.
LEADER_THEMES = ("modelling",)


def prompt_theme(prompt_id: str) -> str:
    return prompt_id.split("__")[0]


def for_leaders(prompt_id: str) -> bool:
    return prompt_theme(prompt_id) in LEADER_THEMES


def prompt_catalogue(texts: Texts) -> list[str]:
    """The ids of the team prompts (block names `theme__nn` in team_prompts.j2)."""
    return [name for name in texts.variants("team_prompts", "") if "__" in name]


def team_prompt_message(texts: Texts, prompt_id: str) -> dict[str, Any]:
    """The weekly question: the prompt, a one-line why, and (where the prompt invites it) a
    button to share a mistake."""
    prompt = texts.part("team_prompts", prompt_id)
    why = texts.part("team_prompt_frame", f"why__{prompt_theme(prompt_id)}")
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": plain(texts.part("team_prompt_frame", "header"), 150)},
        mrkdwn_section(prompt),
        context_block(why),
    ]
    if prompt_theme(prompt_id) in SHARING_THEMES:
        label = texts.part("team_prompt_frame", "share_button")
        blocks.append(
            {
                "type": "actions",
                "block_id": f"lz_prompt_{prompt_id}",
                "elements": [button(label, ACTION_PROMPT_SHARE, prompt_id, "primary")],
            }
        )
    blocks.append(context_block(texts.part("team_prompt_frame", "footer")))
    return {"text": prompt, "blocks": blocks}


def leader_prompt_message(texts: Texts, prompt_id: str, channel_id: str) -> dict[str, Any]:
    """A prompt that is an instruction to leaders, in a DM to each leader of the channel."""
    prompt = texts.part("team_prompts", prompt_id)
    intro = texts.part("team_prompt_frame", "leader_intro", channel_id=channel_id)
    why = texts.part("team_prompt_frame", f"why__{prompt_theme(prompt_id)}")
    return {
        "text": prompt,
        "blocks": [
            {
                "type": "header",
                "text": plain(texts.part("team_prompt_frame", "leader_header"), 150),
            },
            mrkdwn_section(intro + "\n" + prompt),
            context_block(why),
        ],
    }


def leader_first_message(
    texts: Texts, channel_id: str, day: str, prompt_id: str, tomorrow: bool = True
) -> dict[str, Any]:
    """The day before a share-your-own prompt: "would you go first?" (with the right day:
    "tomorrow" only when it is)."""
    invite = texts.part(
        "team_prompt_frame", "leader_first", channel_id=channel_id, day=day, tomorrow=tomorrow
    )
    prompt = texts.part("team_prompts", prompt_id)
    question = texts.part("team_prompt_frame", "leader_first_prompt", prompt=prompt)
    return {"text": invite, "blocks": [mrkdwn_section(invite), context_block(question)]}


def roundup_message(
    texts: Texts, month_start: date, shared: list[Failure], total: int
) -> dict[str, Any]:
    """The monthly celebration: each shared intelligent failure with its lesson, named or
    anonymous exactly as it was shared."""
    month = f"{texts.label(f'month_{month_start.month}')} {month_start.year}"
    header = texts.part("roundup", "header", month=month)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": plain(header, 150)},
        mrkdwn_section(texts.part("roundup", "intro")),
    ]
    for failure in shared:
        item = texts.part(
            "roundup",
            "item",
            text=shorten(failure.text, 600),
            lesson=shorten(failure.lesson, 400) if failure.lesson else "",
            anonymous=failure.shared == "anonymous",
            user_id=failure.user_id,
        )
        blocks.extend([{"type": "divider"}, mrkdwn_section(item)])
    if total > len(shared):
        blocks.append(context_block(texts.part("roundup", "more", count=total - len(shared))))
    blocks.append(context_block(texts.part("roundup", "footer")))
    return {"text": header, "blocks": blocks}


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
