"""Tuning aid: scores the detector on the TUNING split only and lists its mistakes there.

It never reads or prints the held-out split; tests/test_detect_quality.py scores that.
Run: .venv/bin/python bench/tune_detect.py [--errors]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.detection.detect import detect  # noqa: E402
from tests.detection.corpus import tuning  # noqa: E402


def main() -> None:
    show = "--errors" in sys.argv
    for lang in ("nl", "en"):
        examples = tuning(lang)
        tp = fp = fn = kind_ok = 0
        for ex in examples:
            got = detect(ex.text, lang_hint=None)
            if got.is_mistake and ex.is_mistake:
                tp += 1
                kind_ok += got.kind == ex.kind
                if show and got.kind != ex.kind:
                    print(f"  KIND {got.kind} != {ex.kind}: {ex.text[:110]!r}")
            elif got.is_mistake:
                fp += 1
                if show:
                    print(f"  FP [{got.cue}]: {ex.text[:120]!r}")
            elif ex.is_mistake:
                fn += 1
                if show:
                    print(f"  FN: {ex.text[:130]!r}")
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        print(
            f"{lang}: n={len(examples)} precision={precision:.3f} recall={recall:.3f} "
            f"kind={kind_ok / tp if tp else 0:.3f} (tp={tp} fp={fp} fn={fn})"
        )


if __name__ == "__main__":
    main()
