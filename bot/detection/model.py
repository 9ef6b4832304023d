"""The learned part of the detector: a linear model over character and word n-grams plus the
lexicon's own cues, trained on real people's messages (see train.py). Pure Python at run time.

Why this shape: the labelled real corpus is small (about a thousand messages), so a linear
model over TF-IDF n-grams generalises where hand-written cue lists learn only our own phrasing,
and the lexicon's grammar (subject, negation, question, quote) enters as features instead of as
the whole decision (a report the rules recognise stands: see detect.reported). The n-grams are
summed per word, so a word's share is computed once (tfidf.py).

The model file (model.json, package data) holds numbers only: n-grams with their idf and
weight, the bias, the calibration, a threshold per language chosen for precision first, and
the kind model (kind_model.py). No corpus text.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from bot.detection.kind_model import KindModel
from bot.detection.tfidf import SumBlock, WordCharBlock, dot, sigmoid, word_ngrams

FORMAT = 2  # 1: scikit-learn's exact tf-idf; 2: n-grams summed per word (tfidf.py)


@dataclass(frozen=True)
class MistakeModel:
    char: WordCharBlock
    word: SumBlock
    lexicon_weights: tuple[float, ...]
    bias: float
    thresholds: dict[str, float]
    meta: dict[str, Any]
    # Platt scaling fitted on cross-validated scores (see train.calibrate): the score a tip
    # shows then means what it says (of messages scored 0.8, about 8 in 10 are reports)
    calibration: tuple[float, float] = (1.0, 0.0)
    kinds: KindModel | None = None  # when the model was trained with kinds

    def probability(self, text: str, lexicon: tuple[float, ...]) -> float:
        """P(own-mistake report) for a message as `normalise` leaves it (Slack's markup,
        code, quoted lines and links out: what it was trained on), given the lexicon's
        features for it."""
        z = self.bias + self.char.score(text) + self.word.score(word_ngrams(text))
        z += dot(self.lexicon_weights, lexicon)
        slope, intercept = self.calibration
        return sigmoid(slope * z + intercept)

    def threshold(self, lang: str) -> float:
        return self.thresholds.get(lang, self.thresholds.get("default", 0.5))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
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
            **({"kinds": self.kinds.to_json()} if self.kinds is not None else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MistakeModel:
        if data.get("format") != FORMAT:
            raise ValueError(
                f"model format {data.get('format')!r}, this version reads format {FORMAT}: "
                "retrain it with `leerzone train` (format 2 sums the n-grams, see tfidf.py)"
            )
        return cls(
            char=WordCharBlock({g: (v[0], v[1]) for g, v in data["char"].items()}),
            word=SumBlock({g: (v[0], v[1]) for g, v in data["word"].items()}),
            lexicon_weights=tuple(data["lexicon_weights"]),
            bias=float(data["bias"]),
            thresholds={k: float(v) for k, v in data["thresholds"].items()},
            meta=dict(data.get("meta") or {}),
            calibration=_pair(data.get("calibration") or (1.0, 0.0)),
            kinds=_kinds(data.get("kinds")),
        )


def _kinds(data: dict[str, Any] | None) -> KindModel | None:
    return KindModel.from_json(data) if data else None


def _pair(values: Any) -> tuple[float, float]:
    return float(values[0]), float(values[1])


def load_model(path: str | Path | None = None) -> MistakeModel:
    """The shipped model (package data), or one trained with `leerzone train --out PATH`."""
    if path is None:
        text = resources.files("bot.detection").joinpath("model.json").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return MistakeModel.from_json(json.loads(text))


_loading = threading.Lock()


def shipped_model() -> MistakeModel | None:
    """The model that ships in the package; None when it is missing (the lexicon decides).
    Read once per process (about 0.3 s), under a lock so threads that ask at the same moment
    do not each read it; `leerzone run` reads it before it serves."""
    with _loading:
        return _shipped()


@lru_cache(maxsize=1)
def _shipped() -> MistakeModel | None:
    try:
        return load_model()
    except FileNotFoundError:
        return None
