"""Measurement aid: the detector trained without one *kind* of source and measured on it.

Cross-validation grouped by source (`leerzone evaluate --cv`) keeps a repository or site out
of its own training, but the other folds still hold sources of the same kind: issue threads,
files in repositories (Dutch student reflections and logbooks) and web pages (columns, blogs).
Acceptance measures on other sources, which may be of another kind. This script holds out each
kind in turn (derived from the corpus's `source` field), trains on the rest plus our own
sentences, and scores the held-out kind at the shipped model's calibration and thresholds: a
pessimistic estimate of what a new kind of text does to the figures. It reads
../shared/detect-corpus and prints numbers only.
Run: .venv/bin/python bench/cross_platform.py [--json]   (about a minute)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.detection import train  # noqa: E402
from bot.detection.detect import lexicon_features, normalise, reported  # noqa: E402
from bot.detection.model import shipped_model  # noqa: E402

CORPUS = ROOT.parent / "shared" / "detect-corpus"
OWN = [ROOT / "tests" / "detection" / "data" / f"corpus_{lang}.txt" for lang in ("nl", "en")]
KINDS = ("issue thread", "repository file", "web page")


def kind_of_source(source: str) -> str:
    """`owner/repo#12` is an issue or pull-request thread; a github.com/…/blob/… address a file
    in a repository; any other address a web page."""
    if re.fullmatch(r"[\w.-]+/[\w.-]+#\d+", source):
        return "issue thread"
    if "github.com/" in source and "/blob/" in source:
        return "repository file"
    return "web page" if source.startswith("http") else "other"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    files = [CORPUS / "train_nl.jsonl", CORPUS / "train_en.jsonl"]
    if not all(f.exists() for f in files):
        sys.exit(f"needs the labelled corpus in {CORPUS}")
    real = train.read_corpus(files)
    sources = [json.loads(line)["source"] for f in files for line in f.open() if line.strip()]
    kinds = [kind_of_source(s) for s in sources]
    own = train.read_corpus(OWN)
    shipped = shipped_model()
    assert shipped is not None, "no shipped model"
    results: dict[str, Any] = {}
    for held in KINDS:
        model = train.fit([e for e, k in zip(real, kinds, strict=True) if k != held] + own)
        model = replace(model, calibration=shipped.calibration)
        for lang in ("nl", "en"):
            test = [e for e, k in zip(real, kinds, strict=True) if k == held and e.lang == lang]
            if sum(e.label for e in test) < 10:
                continue  # too few reports of this kind in this language to say anything
            guess = [
                reported(
                    model.probability(normalise(e.text), lexicon_features(e.text, e.lang)),
                    shipped.threshold(lang),
                    found,
                )
                for e, found in zip(test, train.rules_found(test), strict=True)
            ]
            precision, recall = train.precision_recall([e.label for e in test], guess)
            results[f"{held} / {lang}"] = {
                "messages": len(test),
                "reports": sum(e.label for e in test),
                "precision": round(precision, 3),
                "recall": round(recall, 3),
                "trained_on_same_language": sum(
                    1 for e, k in zip(real, kinds, strict=True) if k != held and e.lang == lang
                ),
            }
    if args.json:
        print(json.dumps(results))
    else:
        for name, row in results.items():
            print(
                f"held out {name:24s} {row['messages']:4d} messages, {row['reports']:3d} reports:"
                f" P {row['precision']:.3f} R {row['recall']:.3f}"
                f" (trained on {row['trained_on_same_language']} real in this language)"
            )
    return results


if __name__ == "__main__":
    main()
