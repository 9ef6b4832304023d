"""The labelled detection corpus in tests/data/ and its fixed tuning / held-out split."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
KIND_CODES = {"p": "preventable", "c": "complex", "i": "intelligent"}


@dataclass(frozen=True)
class Example:
    text: str
    is_mistake: bool
    kind: str | None
    hard: bool
    lang: str

    @property
    def held_out(self) -> bool:
        """Fixed once: the first hex digit of sha1(text) is 0-3 (about a quarter)."""
        return int(hashlib.sha1(self.text.encode()).hexdigest()[0], 16) < 4


def load(lang: str | None = None) -> list[Example]:
    examples = []
    for path in sorted(DATA.glob("corpus_*.txt")):
        file_lang = path.stem.split("_")[1]
        if lang and file_lang != lang:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line or line[0] not in "+-":
                continue
            label, code, text = line[0], line[1], line[3:].replace("\\n", "\n")
            examples.append(
                Example(
                    text=text,
                    is_mistake=label == "+",
                    kind=KIND_CODES.get(code) if label == "+" else None,
                    hard=label == "-" and code == "h",
                    lang=file_lang,
                )
            )
    return examples


def tuning(lang: str | None = None) -> list[Example]:
    return [e for e in load(lang) if not e.held_out]


def held_out(lang: str | None = None) -> list[Example]:
    return [e for e in load(lang) if e.held_out]
