"""Parsing the text after `/fout` (pure).

A subcommand counts only when the text is the keyword alone or the keyword with exactly the
arguments it takes. Anything longer is a story about a failure ("lijst met klanten vergeten"
must be logged, not answered with a list). A keyword with a single malformed argument
("wis abc", "taal fr") gets a usage hint, because that is almost surely a command typo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ALIASES = {
    "help": "help",
    "hulp": "help",
    "lijst": "list",
    "list": "list",
    "wis": "delete",
    "delete": "delete",
    "leiders": "leaders",
    "leaders": "leaders",
    "taal": "language",
    "language": "language",
    "schema": "schedule",
    "schedule": "schedule",
    "viering": "celebrations",
    "celebrate": "celebrations",
    "export": "export",
    "vergeet-mij": "forget",
    "vergeetmij": "forget",
    "forget-me": "forget",
    "forgetme": "forget",
}
SWITCHES = {"aan": True, "on": True, "uit": False, "off": False}
MENTION_RE = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")
ID_RE = re.compile(r"^#?(\d{1,12})$")


@dataclass(frozen=True)
class Command:
    """name is one of: log, modal, help, list, delete, leaders, language, schedule,
    celebrations, export, forget, usage."""

    name: str
    text: str = ""
    failure_id: int = 0  # delete: the entry's number
    users: tuple[str, ...] = field(default_factory=tuple)  # leaders: the mentioned people
    words: tuple[str, ...] = field(default_factory=tuple)  # schedule: its words
    language: str = ""  # language: nl or en
    switch: bool | None = None  # celebrations: on (True), off (False), or show (None)
    usage_of: str = ""  # usage: the subcommand that was typed wrong


def parse(text: str | None) -> Command:
    text = (text or "").strip()
    if not text:
        return Command("modal")
    keyword, _, rest = text.partition(" ")
    name = ALIASES.get(keyword.lower())
    rest = rest.strip()
    if name is None:
        return Command("log", text=text)
    words = rest.split()
    if name in ("help", "list", "export", "forget"):
        return Command(name) if not words else Command("log", text=text)
    if name == "delete":
        if not words:
            return Command("usage", usage_of=name)
        if len(words) > 1:
            return Command("log", text=text)
        match = ID_RE.match(words[0])
        if not match:
            return Command("usage", usage_of=name)
        return Command(name, failure_id=int(match.group(1)))
    if name == "language":
        if not words:
            return Command("usage", usage_of=name)
        if len(words) > 1:
            return Command("log", text=text)
        language = words[0].lower()
        if language not in ("nl", "en"):
            return Command("usage", usage_of=name)
        return Command(name, language=language)
    if name == "celebrations":
        if not words:
            return Command(name)
        if len(words) > 1:
            return Command("log", text=text)  # "viering van de release liep mis"
        switch = SWITCHES.get(words[0].lower())
        if switch is None:
            return Command("usage", usage_of=name)
        return Command(name, switch=switch)
    if name == "schedule":
        # "schema" alone shows; with up to three short words it sets (checked by the handler);
        # anything longer is a story ("schema van de klant klopte niet, sorry").
        if len(words) > 3:
            return Command("log", text=text)
        return Command(name, words=tuple(words))
    # leaders: alone shows, with only mentions sets
    if not words:
        return Command(name)
    users = [MENTION_RE.fullmatch(word) for word in words]
    if all(users):
        return Command(name, users=tuple(dict.fromkeys(m.group(1) for m in users if m)))
    if all(word.startswith(("@", "<@")) for word in words):
        return Command("usage", usage_of=name)  # "@anna" typed without picking the person
    return Command("log", text=text)
