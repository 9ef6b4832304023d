"""Block Kit rendered as plain readable text, for the demo transcript (pure).

Real mentions become @Name; escaped user text is shown the way Slack shows it — literally —
so a smuggled `<!channel>` is visibly harmless text, while a real ping would read `@channel`.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|[^>]*)?>")
_SPECIAL = re.compile(r"<!(channel|here|everyone)[^>]*>")
_LINK = re.compile(r"<(https?://[^|>]+)(?:\|([^>]+))?>")


def display(mrkdwn: str, names: dict[str, str]) -> str:
    """What a reader sees in Slack, roughly: markup resolved, then entities unescaped."""
    text = _MENTION.sub(lambda m: "@" + names.get(m.group(1), m.group(1)), mrkdwn)
    text = _CHANNEL.sub(lambda m: "#" + names.get(m.group(1), m.group(1)), text)
    text = _SPECIAL.sub(lambda m: "@" + m.group(1) + " [PING]", text)
    text = _LINK.sub(lambda m: (m.group(2) or m.group(1)) + " ↗", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _element(element: dict[str, Any]) -> str:
    kind = element.get("type")
    if kind == "button":
        return f"[{element['text']['text']}]"
    if kind in ("static_select", "radio_buttons"):
        chosen = (element.get("initial_option") or {}).get("text", {}).get("text")
        options = " / ".join(o["text"]["text"] for o in element.get("options", []))
        return f"[{chosen} ▾]" if chosen and kind == "static_select" else f"( {options} )"
    return f"[{kind}]"


def render_blocks(
    blocks: list[dict[str, Any]],
    names: dict[str, str],
    width: int = 92,
    optional_label: str = "(optional)",
) -> list[str]:
    lines: list[str] = []

    def add(text: str, prefix: str = "") -> None:
        for raw in text.splitlines() or [""]:
            wrapped = textwrap.wrap(raw, width=width - len(prefix)) or [""]
            lines.extend(prefix + part for part in wrapped)

    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            add(block["text"]["text"].upper())
        elif kind == "section":
            add(display(block["text"]["text"], names))
            if block.get("accessory"):
                add(_element(block["accessory"]), "  ")
        elif kind == "context":
            add(" ".join(display(e.get("text", ""), names) for e in block["elements"]), "  ")
        elif kind == "actions":
            add(" ".join(_element(e) for e in block["elements"]))
        elif kind == "divider":
            lines.append("─" * 20)
        elif kind == "input":
            optional = f" {optional_label}" if block.get("optional") else ""
            add(f"▸ {block['label']['text']}{optional}")
            element = block["element"]
            if element["type"] != "plain_text_input":
                add(_element(element), "  ")
    return lines


def render_message(message: dict[str, Any], names: dict[str, str]) -> list[str]:
    if message.get("blocks"):
        return render_blocks(message["blocks"], names)
    return display(message.get("text", ""), names).splitlines()


def render_view(
    view: dict[str, Any], names: dict[str, str], optional_label: str = "(optional)"
) -> list[str]:
    title = view.get("title", {}).get("text", "")
    submit = view.get("submit", {}).get("text")
    blocks = render_blocks(view.get("blocks", []), names, optional_label=optional_label)
    lines = [f"« {title} »", *blocks] if title else blocks
    if submit:
        lines.append(f"[{submit}]")
    return lines


def all_text(message: dict[str, Any]) -> str:
    """Everything a message shows, as one string (top-level text plus every text in blocks)."""
    parts = [message.get("text", "")]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    parts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.get("blocks", []))
    return "\n".join(parts)
