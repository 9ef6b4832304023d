"""Detector speed on one core, and what reading blame costs.

Mistake reports: `detect()` end to end over a realistic chat mix — everyday chatter (most
channel messages are not about mistakes), our labelled sentences, and the real corpus's
messages when ../shared is there (read at run time, never copied) — repeated. Also how many
messages the cheap gate sends on to the learned model, and a naive keyword baseline.

Blame: the sentence encoder's one-time load (seconds, MB of resident memory) and the time to
read one leader's reply (rules, embedding, model).
Run: .venv/bin/python bench/bench_detect.py [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_events import EVERYDAY  # noqa: E402
from bench.bench_memory import rss_mb  # noqa: E402
from bot.detection import encoder  # noqa: E402
from bot.detection.blame import detect_blame  # noqa: E402
from bot.detection.detect import detect, passes_gate, rule_detect  # noqa: E402
from bot.sandbox.shared import DETECT_CORPUS  # noqa: E402
from tests.detection.corpus import load  # noqa: E402

BASELINE = re.compile(
    r"\b(?:fout\w*|mistake\w*|error\w*|sorry|vergeten|forgot|oops|oeps|mislukt|failed|fail|"
    r"my bad|excuses|broke|wrong|verkeerd\w*)\b",
    re.I,
)
REPLIES = [
    "Dank je dat je het meldt! Wat heb je nodig?",
    "did you even test this?",
    "You never check anything before you push, do you?",
    "Thanks for the heads up, can you share the logs?",
    "Hoe vaak moeten we dit nog bespreken? Je leert het echt nooit.",
]


SLACK_MAX = 40_000  # characters: Slack cuts a message's text there
# Odd messages of Slack's longest size, built to make a regular expression rescan the text:
# unclosed markup, unclosed code, one long line of cue words, thousands of lines or clauses.
ODD_SHAPES = {
    "unclosed links": "<https://x.example|",
    "unclosed mentions": "<@U0ANNA|",
    "unclosed code": "```a\n",
    "backticks": "`a",
    "lines": "a\n",
    "clauses": "ik, ",
    "'ik heb' without end": "ik heb ",
    "'hadden we het' without end": "hadden we het ",
    "'beter' without end": "beter ",  # every word may open a look back with its verbs last
    "'please, stop' without end": "please, stop ",
    "'i assumed' without end": "i assumed ",
    "sentences": "ik heb de fout gemaakt. ",
    "reply": "thanks for the report, could you share the logs from the nightly run. ",
}


def odd_messages() -> dict[str, str]:
    return {name: (piece * SLACK_MAX)[:SLACK_MAX] for name, piece in ODD_SHAPES.items()}


def slowest(fn: Any, texts: dict[str, str]) -> tuple[str, float]:
    """The shape that takes longest, and its time in ms (CPU of this thread)."""
    times = {}
    for name, text in texts.items():
        start = time.process_time()
        fn(text)
        times[name] = (time.process_time() - start) * 1000
    name = max(times, key=times.__getitem__)
    return name, times[name]


def rate(fn: Any, texts: list[str], rounds: int) -> float:
    start = time.process_time()  # CPU of this one thread: "on one core"
    for _ in range(rounds):
        for text in texts:
            fn(text)
    return len(texts) * rounds / (time.process_time() - start)


def real_texts() -> list[str]:
    texts = []
    for name in ("train_nl.jsonl", "train_en.jsonl"):
        path = DETECT_CORPUS / name
        if path.exists():
            texts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()]
    return texts


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    labelled = [e.text for e in load()] + real_texts()
    # about nine in ten messages are everyday chat; the labelled ones (half of them reports,
    # most of the rest with a mistake word) are the tenth
    mix = EVERYDAY * max(1, (9 * len(labelled)) // len(EVERYDAY)) + labelled
    detect(mix[0])  # the model file is read once, on first use
    ours = rate(detect, mix, 3)
    naive = rate(lambda t: bool(BASELINE.search(t)), mix, 3)
    gate_everyday = sum(passes_gate(t, rule_detect(t)) for t in EVERYDAY) / len(EVERYDAY)
    gate_mix = sum(passes_gate(t, rule_detect(t)) for t in mix) / len(mix)
    before = rss_mb()
    started = time.perf_counter()
    encoder.available()  # the one-time load
    load_s = time.perf_counter() - started
    added_mb = rss_mb() - before
    detect_blame(REPLIES[0])
    started = time.process_time()
    for _ in range(10):
        for reply in REPLIES:
            detect_blame(reply)
    per_reply_ms = (time.process_time() - started) / (10 * len(REPLIES)) * 1000
    odd = odd_messages()
    worst_detect = slowest(detect, odd)
    worst_blame = slowest(detect_blame, odd)  # the encoder is loaded: the model reads too
    result = {
        "mix_messages": len(mix),
        "mix_real_messages": len(real_texts()),
        "detect_messages_per_s": round(ours),
        "baseline_messages_per_s": round(naive),
        "gate_pass_everyday": round(gate_everyday, 3),
        "gate_pass_mix": round(gate_mix, 3),
        "encoder_load_s": round(load_s, 2),
        "encoder_rss_mb": round(added_mb),
        "blame_ms_per_reply": round(per_reply_ms, 1),
        "odd_message_chars": SLACK_MAX,
        "odd_shapes": len(odd),
        "worst_detect_ms": round(worst_detect[1]),
        "worst_detect_shape": worst_detect[0],
        "worst_blame_ms": round(worst_blame[1]),
        "worst_blame_shape": worst_blame[0],
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"detect: {ours:,.0f} messages/s on one core over a mix of {len(mix)} "
            f"(keyword baseline {naive:,.0f}/s); the gate passes {gate_everyday:.0%} of everyday "
            f"chat, {gate_mix:.0%} of the mix; blame encoder: loads in {load_s:.2f} s, "
            f"+{added_mb:.0f} MB; a reply read in {per_reply_ms:.1f} ms; slowest of "
            f"{len(odd)} odd {SLACK_MAX:,}-character messages: detect {worst_detect[1]:.0f} ms "
            f"({worst_detect[0]}), blame {worst_blame[1]:.0f} ms ({worst_blame[0]})"
        )
    return result


if __name__ == "__main__":
    main()
