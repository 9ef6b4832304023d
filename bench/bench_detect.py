"""Detector speed on one core, and how it compares with a naive keyword baseline.

A realistic mix: the whole labelled corpus plus everyday chatter (most channel messages are
not about mistakes), repeated. Run: .venv/bin/python bench/bench_detect.py
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.detection.detect import detect  # noqa: E402
from tests.detection.corpus import held_out, load  # noqa: E402

BASELINE = re.compile(
    r"\b(?:fout\w*|mistake\w*|error\w*|sorry|vergeten|forgot|oops|oeps|mislukt|failed|fail|"
    r"my bad|excuses|broke|wrong|verkeerd\w*)\b",
    re.I,
)


def baseline(text: str) -> bool:
    return bool(BASELINE.search(text))


def rate(fn, texts: list[str], rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            fn(text)
    return len(texts) * rounds / (time.perf_counter() - start)


def quality(fn, examples) -> tuple[float, float]:
    tp = sum(1 for e in examples if fn(e.text) and e.is_mistake)
    fp = sum(1 for e in examples if fn(e.text) and not e.is_mistake)
    fn_ = sum(1 for e in examples if not fn(e.text) and e.is_mistake)
    return tp / (tp + fp), tp / (tp + fn_)


def main() -> None:
    corpus = load()
    easy = [e.text for e in corpus if not e.is_mistake and not e.hard]
    mix = [e.text for e in corpus] + easy * 4  # about 3 in 4 messages are ordinary chatter
    ours = rate(detect, mix, 10)
    naive = rate(baseline, mix, 10)
    print(f"mix of {len(mix)} messages, {sum(map(len, mix)) / len(mix):.0f} characters on average")
    print(f"leerzone detect: {ours:,.0f} messages/s on one core")
    print(f"keyword baseline: {naive:,.0f} messages/s")
    for name, fn in (("leerzone detect", lambda t: detect(t).is_mistake), ("baseline", baseline)):
        for lang in ("nl", "en"):
            p, r = quality(fn, held_out(lang))
            print(f"{name:16} held-out {lang}: precision {p:.3f} recall {r:.3f}")


if __name__ == "__main__":
    main()
