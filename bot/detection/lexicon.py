"""A cue lexicon that is fast on chat text (pure).

One regular expression with a few hundred alternatives is slow in Python: the engine tries
every alternative at every word. A Lexicon remembers which letters each alternative can start
with, and only tries the expression at words that start that way — typically one or two words
in a message instead of all of them. Results are identical to a plain search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

HEAD = 3  # letters of a word that select candidate alternatives
_WORD_START = re.compile(r"(?<![\w'])[\w']")
_LEADING_LITERAL = re.compile(r"[a-zà-ÿ'/&-]+")
ANY = "*"


def split_top(pattern: str) -> list[str]:
    """Split a regex at its top-level `|` (outside groups and classes)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _group_end(pattern: str, start: int) -> int:
    depth, i = 0, start
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "(":
            depth += 1
        elif pattern[i] == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced group in {pattern!r}")


def heads(alternative: str) -> set[str]:
    """The possible first letters (up to HEAD) of a match; ANY when they cannot be known."""
    if alternative.startswith("(?:"):
        end = _group_end(alternative, 0)
        inner, rest = alternative[3:end], alternative[end + 1 :]
        found: set[str] = set()
        for part in split_top(inner):
            found |= heads(part + rest) if part else heads(rest)
        if rest[:1] in ("?", "*"):
            found |= heads(rest[1:])
        return found or {ANY}
    literal = _LEADING_LITERAL.match(alternative)
    if not literal:
        return {ANY}
    text = literal.group(0)
    following = alternative[len(text) : len(text) + 1]
    if following in ("?", "*", "{"):  # the last letter is optional
        text = text[:-1]
    return {text[:HEAD]} if text else {ANY}


class Lexicon:
    """Alternatives matched as whole words; `search`/`finditer` like a compiled pattern."""

    def __init__(self, alternatives: Iterable[str]) -> None:
        self.alternatives = list(alternatives)
        self.pattern = re.compile(r"\b(?:" + "|".join(self.alternatives) + r")\b")
        found: set[str] = set().union(*(heads(a) for a in self.alternatives))
        self._every_word = ANY in found
        self._heads = {h for h in found if h != ANY}  # 1, 2 or 3 letters

    def _candidates(self, text: str, starts: Iterable[Word] | None) -> Iterator[int]:
        heads = self._heads
        for pos, one, two, three in word_starts(text) if starts is None else starts:
            if self._every_word or three in heads or two in heads or one in heads:
                yield pos

    def finditer(self, text: str, starts: Iterable[Word] | None = None) -> Iterator[re.Match[str]]:
        """`starts`: the text's word starts, when the caller already has them."""
        end = -1
        for pos in self._candidates(text, starts):
            if pos < end:
                continue
            match = self.pattern.match(text, pos)
            if match:
                end = match.end()
                yield match

    def search(self, text: str, starts: Iterable[Word] | None = None) -> re.Match[str] | None:
        return next(self.finditer(text, starts), None)


Word = tuple[int, str, str, str]  # a word's position and its first one, two and three letters


def word_starts(text: str) -> list[Word]:
    """Every word's start with its first letters, computed once per text for all lexicons."""
    found = []
    for match in _WORD_START.finditer(text):
        pos = match.start()
        found.append((pos, text[pos], text[pos : pos + 2], text[pos : pos + HEAD]))
        if text[pos] == "'":  # a quoted word ("fix 'forgot to…") also starts after its quotes
            after = pos + 1
            while after < len(text) and text[after] == "'":
                after += 1
            if after < len(text) and text[after].isalnum():
                found.append(
                    (after, text[after], text[after : after + 2], text[after : after + HEAD])
                )
    return found
