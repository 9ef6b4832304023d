"""The learned part of the detector: a linear model over character and word n-grams plus the
lexicon's own cues, trained on real people's messages (see train.py). Pure Python at run time.

Why this shape: the labelled real corpus is small (about a thousand messages), so a linear
model over TF-IDF n-grams generalises where hand-written cue lists learn only our own phrasing,
and the lexicon's grammar (subject, negation, question, quote) enters as features instead of as
the whole decision. The n-gram analysis below reproduces scikit-learn's TfidfVectorizer
(`char_wb` 3–4 and words 1–2, lowercase, sublinear tf, smoothed idf, l2 norm per block) exactly,
so a model trained there scores the same here; a test checks that parity.

The model file (model.json, package data) holds numbers only: n-grams with their idf and
weight, the bias, and a threshold per language chosen for precision first. No corpus text.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

_WHITE_SPACES = re.compile(r"\s\s+")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
CHAR_RANGE = (3, 4)
WORD_RANGE = (1, 2)


def char_wb_ngrams(text: str, low: int = CHAR_RANGE[0], high: int = CHAR_RANGE[1]) -> list[str]:
    """scikit-learn's `char_wb` analyzer: n-grams inside space-padded words."""
    found: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text.lower()).split():
        found.extend(_word_char_ngrams(word, low, high))
    return found


@lru_cache(maxsize=50_000)
def _word_char_ngrams(word: str, low: int, high: int) -> tuple[str, ...]:
    """One word's n-grams (chat repeats its words: computed once per word)."""
    padded = " " + word + " "
    length = len(padded)
    found: list[str] = []
    for n in range(low, high + 1):
        if length <= n:  # a word shorter than n is counted once, whole
            found.append(padded)
            break
        found.extend([padded[i : i + n] for i in range(length - n + 1)])
    return tuple(found)


def word_ngrams(text: str, low: int = WORD_RANGE[0], high: int = WORD_RANGE[1]) -> list[str]:
    """scikit-learn's `word` analyzer: tokens of two or more word characters, then n-grams."""
    tokens = _TOKEN.findall(text.lower())
    found = list(tokens) if low == 1 else []
    for n in range(max(low, 2), high + 1):
        found.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return found


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class Block:
    """One TF-IDF block of the model: n-gram -> (idf, weight)."""

    terms: dict[str, tuple[float, float]]

    def score(self, grams: Iterable[str]) -> float:
        """Σ weight · tfidf over the block, with tfidf l2-normalised as scikit-learn does."""
        total = norm = 0.0
        terms = self.terms
        for gram, count in Counter(grams).items():
            known = terms.get(gram)
            if known is None:
                continue
            idf, weight = known
            value = idf if count == 1 else (1.0 + math.log(count)) * idf
            total += weight * value
            norm += value * value
        return total / math.sqrt(norm) if norm else 0.0


@dataclass(frozen=True)
class MistakeModel:
    char: Block
    word: Block
    lexicon_weights: tuple[float, ...]
    bias: float
    thresholds: dict[str, float]
    meta: dict[str, Any]
    # Platt scaling fitted on cross-validated scores (see train.calibrate): the score a tip
    # shows then means what it says (of messages scored 0.8, about 8 in 10 are reports)
    calibration: tuple[float, float] = (1.0, 0.0)

    def probability(self, text: str, lexicon: tuple[float, ...]) -> float:
        """P(own-mistake report) for a message, given the lexicon's features for it."""
        z = self.bias + self.char.score(char_wb_ngrams(text)) + self.word.score(word_ngrams(text))
        z += sum(w * x for w, x in zip(self.lexicon_weights, lexicon, strict=True))
        slope, intercept = self.calibration
        return sigmoid(slope * z + intercept)

    def threshold(self, lang: str) -> float:
        return self.thresholds.get(lang, self.thresholds.get("default", 0.5))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": 1,
            "char": {
                g: [round(i, 6), round(w, 6)] for g, (i, w) in sorted(self.char.terms.items())
            },
            "word": {
                g: [round(i, 6), round(w, 6)] for g, (i, w) in sorted(self.word.terms.items())
            },
            "lexicon_weights": [round(w, 6) for w in self.lexicon_weights],
            "bias": round(self.bias, 6),
            "calibration": [round(v, 6) for v in self.calibration],
            "thresholds": self.thresholds,
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MistakeModel:
        if data.get("format") != 1:
            raise ValueError(f"unknown model format {data.get('format')!r}")
        return cls(
            char=Block({g: (v[0], v[1]) for g, v in data["char"].items()}),
            word=Block({g: (v[0], v[1]) for g, v in data["word"].items()}),
            lexicon_weights=tuple(data["lexicon_weights"]),
            bias=float(data["bias"]),
            thresholds={k: float(v) for k, v in data["thresholds"].items()},
            meta=dict(data.get("meta") or {}),
            calibration=_pair(data.get("calibration") or (1.0, 0.0)),
        )


def _pair(values: Any) -> tuple[float, float]:
    return float(values[0]), float(values[1])


def load_model(path: str | Path | None = None) -> MistakeModel:
    """The shipped model (package data), or one trained with `leerzone train --out PATH`."""
    if path is None:
        text = resources.files("bot.detection").joinpath("model.json").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return MistakeModel.from_json(json.loads(text))


@lru_cache(maxsize=1)
def shipped_model() -> MistakeModel | None:
    """The model that ships in the package; None when it is missing (the lexicon decides)."""
    try:
        return load_model()
    except FileNotFoundError:
        return None
