"""`leerzone classify`: the detector on the command line, for one text or a JSONL stream."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from bot.detection.blame import detect_blame
from bot.detection.detect import detect


def classify(text: str, explain: bool = False) -> dict[str, Any]:
    """The detector's verdict on a message, and on the same text read as a leader's reply in
    a report's thread (`blame`, and which `reframe` the tip would suggest)."""
    result = detect(text)
    blame = detect_blame(text, result.lang)
    answer: dict[str, Any] = {
        "is_mistake": result.is_mistake,
        "kind": result.kind,
        "lang": result.lang,
        "score": result.score,
        "blame": blame.is_blame,
        "reframe": blame.reframe,
    }
    if explain:
        answer.update(cue=result.cue, cue_category=result.cue_category, blame_cue=blame.cue)
    return answer


def classify_lines(lines: Iterable[str], explain: bool = False) -> Iterator[str]:
    """One output line per input line, in order; a bad line gets an error, never a gap."""
    for line in lines:
        try:
            record = json.loads(line)
            text = record["text"]
            if not isinstance(text, str):
                raise TypeError("text is not a string")
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            problem = {
                "is_mistake": False,
                "kind": None,
                "lang": None,
                "score": 0.0,
                "blame": False,
                "reframe": None,
            }
            yield json.dumps({**problem, "error": f"{type(err).__name__}: {err}"})
            continue
        yield json.dumps(classify(text, explain), ensure_ascii=False)
