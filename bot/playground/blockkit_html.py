"""Block Kit to HTML, for the playground: the blocks Leerzone sends, drawn the way Slack would.

Pure and small on purpose: it knows the blocks the bot uses (section with fields and an
accessory, context, header, divider, actions with buttons and selects, input blocks with text,
select, radio and time elements) and Slack's mrkdwn. Safety is the point: every piece of text
is HTML-escaped after Slack's own entities are decoded, a Slack control sequence (`<…>`)
becomes a link only for http(s) or mailto addresses, and mentions such as `<!channel>` are
shown as plain text, never as anything that acts. No user text can become HTML or script.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

CONTROL = re.compile(r"<([^<>\n]{1,2000})>")
BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
STRIKE = re.compile(r"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])")
CODE = re.compile(r"`([^`\n]+)`")
SAFE_URL = re.compile(r"^(https?://|mailto:)[^\s\"'<>]+$", re.IGNORECASE)
EMOJI = {
    "seedling": "🌱",
    "raised_hands": "🙌",
    "white_check_mark": "✅",
    "bulb": "💡",
    "thought_balloon": "💭",
    "sunrise": "🌅",
    "tada": "🎉",
    "package": "📦",
    "wastebasket": "🗑️",
    "speech_balloon": "💬",
    "sparkles": "✨",
    "mag": "🔍",
    "pause_button": "⏸️",
    "hourglass_flowing_sand": "⏳",
    "see_no_evil": "🙈",
    "wave": "👋",
}
EMOJI_RE = re.compile(r":([a-z0-9_+-]{1,40}):")

Names = Mapping[str, str]


def _slack_decode(text: str) -> str:
    """Slack's mrkdwn escapes exactly &, < and >: undo that (html.escape does it again)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _control(inner: str, names: Names) -> str:
    """One `<…>` sequence as safe HTML."""
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        person = names.get(target[1:], label or target[1:])
        return f'<span class="mention">@{html.escape(person)}</span>'
    if target.startswith("#"):
        channel = label or names.get(target[1:], target[1:])
        return f'<span class="mention">#{html.escape(channel)}</span>'
    if target.startswith("!"):
        shown = label or "@" + target[1:].split("^")[0]
        return f'<span class="mention">{html.escape(shown)}</span>'
    if SAFE_URL.match(target):
        text = html.escape(_slack_decode(label or target))
        href = html.escape(_slack_decode(target), quote=True)
        return f'<a href="{href}" rel="noopener noreferrer" target="_blank">{text}</a>'
    return html.escape(_slack_decode(label or inner))


def _inline(text: str) -> str:
    """Escaped text with mrkdwn's inline styles (applied after escaping: no < or > left)."""
    text = html.escape(_slack_decode(text), quote=True)
    text = CODE.sub(r"<code>\1</code>", text)
    text = BOLD.sub(r"<b>\1</b>", text)
    text = ITALIC.sub(r"<i>\1</i>", text)
    text = STRIKE.sub(r"<s>\1</s>", text)
    return EMOJI_RE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)


def mrkdwn(text: str, names: Names | None = None) -> str:
    """Slack mrkdwn as HTML: quotes, line breaks, inline styles, links and mentions."""
    names = names or {}
    lines = []
    quote: list[str] = []
    for line in str(text).split("\n"):
        if line.startswith(("&gt; ", "> ")) or line in ("&gt;", ">"):
            quote.append(_line(line.split(" ", 1)[1] if " " in line else "", names))
            continue
        if quote:
            lines.append("<blockquote>" + "<br>".join(quote) + "</blockquote>")
            quote = []
        lines.append(_line(line, names))
    if quote:
        lines.append("<blockquote>" + "<br>".join(quote) + "</blockquote>")
    return "<br>".join(lines).replace("</blockquote><br>", "</blockquote>")


def _line(line: str, names: Names) -> str:
    """One line: control sequences set aside as placeholders, so a style may span them
    ("*leider van <#C1>*"), then the escaped line styled, then the sequences put back."""
    controls: list[str] = []

    def hold(match: re.Match[str]) -> str:
        controls.append(_control(match.group(1), names))
        return f"\x00{len(controls) - 1}\x00"

    styled = _inline(CONTROL.sub(hold, line.replace("\x00", "")))
    return re.sub("\x00(\\d+)\x00", lambda m: controls[int(m.group(1))], styled)


def _text(obj: Any, names: Names) -> str:
    if not isinstance(obj, dict):
        return ""
    if obj.get("type") == "mrkdwn":
        return mrkdwn(str(obj.get("text", "")), names)
    return html.escape(str(obj.get("text", "")))


def _attrs(**values: Any) -> str:
    return "".join(
        f' data-{key.replace("_", "-")}="{html.escape(str(value), quote=True)}"'
        for key, value in values.items()
        if value is not None
    )


def element(el: dict[str, Any], block_id: str, names: Names) -> str:
    """An interactive element: it carries its ids as data-attributes for the page's script."""
    kind = el.get("type")
    ids = {"block_id": block_id, "action_id": el.get("action_id", "")}
    if kind == "button":
        style = f" {el['style']}" if el.get("style") in ("primary", "danger") else ""
        return (
            f'<button class="btn{style}"{_attrs(**ids, value=el.get("value", ""))}>'
            f"{_text(el.get('text'), names)}</button>"
        )
    if kind in ("static_select", "radio_buttons"):
        initial = (el.get("initial_option") or {}).get("value")
        options = []
        for option in el.get("options") or []:
            value = str(option.get("value", ""))
            chosen = " selected" if value == initial else ""
            label = _text(option.get("text"), names)
            options.append(
                f'<option value="{html.escape(value, quote=True)}"{chosen}>{label}</option>'
            )
        placeholder = _text(el.get("placeholder"), names)
        empty = "" if initial else f'<option value="" selected disabled>{placeholder}</option>'
        return (
            f'<select class="select"{_attrs(**ids, kind=kind)}>{empty}{"".join(options)}</select>'
        )
    if kind == "plain_text_input":
        initial = html.escape(str(el.get("initial_value", "")))
        hint = html.escape(str((el.get("placeholder") or {}).get("text", "")), quote=True)
        limit = int(el.get("max_length") or 3000)
        return (
            f'<textarea class="input" maxlength="{limit}" placeholder="{hint}"'
            f"{_attrs(**ids, kind=kind)}>{initial}</textarea>"
        )
    if kind == "timepicker":
        initial = html.escape(str(el.get("initial_time", "")), quote=True)
        return f'<input class="input" type="time" value="{initial}"{_attrs(**ids, kind=kind)}>'
    return ""


def block(b: dict[str, Any], names: Names) -> str:
    kind, block_id = b.get("type"), str(b.get("block_id", ""))
    if kind == "header":
        return f'<h3 class="header">{_text(b.get("text"), names)}</h3>'
    if kind == "divider":
        return "<hr>"
    if kind == "section":
        body = _text(b.get("text"), names)
        fields = "".join(f"<div>{_text(f, names)}</div>" for f in b.get("fields") or [])
        extra = element(b["accessory"], block_id, names) if b.get("accessory") else ""
        fields_html = f'<div class="fields">{fields}</div>' if fields else ""
        return f'<div class="section"><div>{body}{fields_html}</div>{extra}</div>'
    if kind == "context":
        parts = [_text(e, names) for e in b.get("elements") or [] if e.get("type") != "image"]
        return f'<div class="context">{" ".join(parts)}</div>'
    if kind == "actions":
        parts = [element(e, block_id, names) for e in b.get("elements") or []]
        return f'<div class="actions">{"".join(parts)}</div>'
    if kind == "input":
        optional = ' <span class="optional">(optioneel)</span>' if b.get("optional") else ""
        label = _text(b.get("label"), names)
        field = element(b.get("element") or {}, block_id, names)
        hint = f'<div class="hint">{_text(b.get("hint"), names)}</div>' if b.get("hint") else ""
        return f'<label class="field"><span>{label}{optional}</span>{field}{hint}</label>'
    return ""


def message(msg: Mapping[str, Any], names: Names | None = None) -> str:
    """A message: its blocks, or its text when it has none."""
    names = names or {}
    blocks = msg.get("blocks")
    if isinstance(blocks, list) and blocks:
        return "".join(block(b, names) for b in blocks if isinstance(b, dict))
    return f'<div class="section"><div>{mrkdwn(str(msg.get("text", "")), names)}</div></div>'


def view(v: Mapping[str, Any], names: Names | None = None) -> str:
    """A modal or the Home tab: title, blocks, and the submit button of a modal."""
    names = names or {}
    title = _text(v.get("title"), names)
    body = "".join(block(b, names) for b in v.get("blocks") or [] if isinstance(b, dict))
    head = f'<h2 class="title">{title}</h2>' if title else ""
    submit = ""
    if v.get("submit"):
        submit = f'<button class="btn primary submit">{_text(v.get("submit"), names)}</button>'
    return head + body + submit
