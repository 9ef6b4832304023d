"""Jinja2 rendering of every text the bot writes.

Escaping is on by default, Slack-style: every value printed by a template is escaped for
mrkdwn (`&`, `<`, `>`) unless it is `Mrkdwn`, the type of markup we build ourselves (mentions,
channel links). So a failure text containing `<!channel>` can never ping anyone, even where a
template forgets the explicit `slack_escape` filter. HTML autoescape stays off: Slack is not HTML.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from bot.config import LANGUAGES, USER_ID_RE

CHANNEL_ID_RE = re.compile(r"^[CGD][A-Z0-9]+$")


class Mrkdwn(str):
    """Text that is already valid, safe mrkdwn and must not be escaped again."""


def slack_escape(value: Any) -> Mrkdwn:
    if isinstance(value, Mrkdwn):
        return value
    text = "" if value is None else str(value)
    return Mrkdwn(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def mention(user_id: str) -> Mrkdwn:
    if not USER_ID_RE.match(user_id or ""):
        return slack_escape(user_id)
    return Mrkdwn(f"<@{user_id}>")


def channel_link(channel_id: str) -> Mrkdwn:
    if not CHANNEL_ID_RE.match(channel_id or ""):
        return slack_escape(channel_id)
    return Mrkdwn(f"<#{channel_id}>")


_SAFE_URL = re.compile(r"^https://[^\s|<>]+$")


def slack_link(url: str | None, label: str) -> Mrkdwn:
    """`<url|label>` for a URL Slack gave us (a permalink); anything else is just the label."""
    if not url or not _SAFE_URL.match(url):
        return slack_escape(label)
    return Mrkdwn(f"<{url}|{slack_escape(label)}>")


_MARKUP = re.compile(r"<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>")


def plain_from_slack(text: str) -> str:
    """A Slack message as a person reads it: `<@U1|anna>` → @anna, `<#C1|team>` → #team,
    `<https://x|label>` → label (https://x), escapes undone. For filling in a form."""

    def readable(match: re.Match[str]) -> str:
        sigil, target, label = match.group(1), match.group(2), match.group(3)
        if sigil in ("@", "#"):
            return sigil + (label or target)
        if sigil == "!":
            return "@" + (label or target.split("^")[0])
        return f"{label} ({target})" if label else target

    text = _MARKUP.sub(readable, text or "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def shorten(value: Any, limit: int = 200) -> str:
    """Cut long user text at a word boundary, for lists and previews."""
    text = " ".join(str(value or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut + "…"


def clip(value: Any, limit: int = 400) -> str:
    """Cut long user text at a word boundary but keep its line breaks."""
    text = str(value or "")
    if len(text) <= limit:
        return text
    return (text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]) + "…"


def blockquote(value: Any) -> Mrkdwn:
    """Quote user text line by line; escaped, since it is printed as mrkdwn."""
    escaped = slack_escape(value)
    return Mrkdwn("\n".join("> " + line for line in escaped.splitlines() or [""]))


def _finalize(value: Any) -> Any:
    if value is None or isinstance(value, (Mrkdwn, int, float)):
        return value
    return slack_escape(value)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("bot", "prompts"),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        finalize=_finalize,
    )
    env.filters.update(
        slack_escape=slack_escape,
        mention=mention,
        channel_link=channel_link,
        shorten=shorten,
        clip=clip,
        blockquote=blockquote,
        slack_link=slack_link,
    )
    return env


class Texts:
    """All texts in one language. `render` renders a whole template, `part` one named block."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}")
        self.lang = lang
        self._env = environment()

    def _context(self, ctx: dict[str, Any]) -> dict[str, Any]:
        return {"lang": self.lang, **ctx}

    def render(self, template_name: str, /, **ctx: Any) -> str:
        template = self._env.get_template(f"{self.lang}/{template_name}.j2")
        return template.render(self._context(ctx)).strip()

    def part(self, template_name: str, block: str, /, **ctx: Any) -> str:
        template = self._env.get_template(f"{self.lang}/{template_name}.j2")
        if block not in template.blocks:
            raise KeyError(f"{self.lang}/{template_name}.j2 has no block {block!r}")
        context = template.new_context(self._context(ctx))
        return "".join(template.blocks[block](context)).strip()

    def variants(self, template_name: str, prefix: str) -> list[str]:
        """Names of the blocks that are variants of one text (`preventable_0`, `_1`, …)."""
        template = self._env.get_template(f"{self.lang}/{template_name}.j2")
        start = prefix + "_" if prefix else ""
        return sorted(name for name in template.blocks if name.startswith(start))

    def label(self, block: str, /, **ctx: Any) -> str:
        """Short UI strings (buttons, field labels) live in labels.j2."""
        return self.part("labels", block, **ctx)

    def when(self, moment: datetime) -> str:
        """A local date and time the way people write it: "maandag 30 november om 09:30"."""
        return self.label(
            "date_time",
            weekday=self.label(f"weekday_{moment.weekday()}"),
            day=moment.day,
            month=self.label(f"month_{moment.month}"),
            time=moment.strftime("%H:%M"),
        )

    def kind_name(self, kind: str) -> str:
        return self.label(f"kind_{kind}")

    def kind_line(self, kind: str) -> str:
        return self.label(f"kind_{kind}_line")


def texts_for(lang: str | None, default: str = "nl") -> Texts:
    return Texts(lang if lang in LANGUAGES else default)
