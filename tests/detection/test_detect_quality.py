"""The quality bar, measured on the held-out split that was never looked at while tuning."""

import pytest

from bot.detection.detect import detect
from tests.detection.corpus import held_out, load


def score(examples):
    tp = fp = fn = kind_ok = 0
    for ex in examples:
        got = detect(ex.text)
        if got.is_mistake and ex.is_mistake:
            tp += 1
            kind_ok += got.kind == ex.kind
        elif got.is_mistake:
            fp += 1
        elif ex.is_mistake:
            fn += 1
    return tp / (tp + fp), tp / (tp + fn), kind_ok / tp


def test_corpus_is_big_enough_and_balanced_as_promised():
    everything = load()
    dutch = [e for e in everything if e.lang == "nl"]
    negatives = [e for e in everything if not e.is_mistake]
    assert len(everything) >= 600
    assert len(dutch) / len(everything) >= 0.40
    assert sum(e.hard for e in negatives) / len(negatives) >= 1 / 3
    assert 100 <= len(held_out()) <= 200  # about a quarter, fixed by hash


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_held_out_quality_per_language(lang):
    precision, recall, kind_accuracy = score(held_out(lang))
    assert precision >= 0.92, f"{lang} precision {precision:.3f}"
    assert recall >= 0.88, f"{lang} recall {recall:.3f}"
    assert kind_accuracy >= 0.75, f"{lang} kind accuracy {kind_accuracy:.3f}"
