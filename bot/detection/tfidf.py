"""TF-IDF over character and word n-grams, scored in pure Python exactly as scikit-learn's
TfidfVectorizer computes it (`char_wb` 3–4 and words 1–2, lowercase, sublinear tf, smoothed
idf, l2 norm per block), so a model trained there scores the same here; a test checks that
parity. Shared by the report model (model.py) and the kind model (kind_model.py).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

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
        return self.score_counts(Counter(grams))

    def score_counts(self, counts: Counter[str]) -> float:
        """The same, from n-gram counts (blocks over the same n-grams count them once)."""
        total = norm = 0.0
        terms = self.terms
        for gram, count in counts.items():
            known = terms.get(gram)
            if known is None:
                continue
            idf, weight = known
            value = idf if count == 1 else (1.0 + math.log(count)) * idf
            total += weight * value
            norm += value * value
        return total / math.sqrt(norm) if norm else 0.0
