"""Run the benchmarks (issues 6 and 12) and write BENCHMARKS.md (with the machine they ran on).

Run: .venv/bin/python -m bench            (about eight minutes; the fan-out alone takes four)
     .venv/bin/python -m bench --quick    (fewer events and channels, to try it out)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"


def run(script: str, argv: list[str]) -> dict[str, Any]:
    """Each benchmark in a process of its own, exactly as when it is run by hand."""
    path = Path(__file__).resolve().parent / f"{script}.py"
    done = subprocess.run(
        [sys.executable, str(path), *argv, "--json"], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def report(
    events: dict,
    events_chat: dict,
    memory: dict,
    startup: dict,
    fanout: dict,
    detect: dict,
    argv: list[str],
) -> str:
    bare = events["bare"]
    rows = "\n".join(
        f"| {name} | {r['events_per_s']:.0f} | {r['ordinary_p50_ms']:.2f} | "
        f"{r['ordinary_p99_ms']:.2f} | {r['report_p50_ms']:.2f} | {r['report_p99_ms']:.2f} | "
        f"{r['server_cpu_us_per_event']:.0f} |"
        for name, r in (
            ("bare Bolt, no-op listener (labelled mix)", events["bare"]),
            ("Leerzone (labelled mix)", events["ours"]),
            ("bare Bolt, no-op listener (chat mix)", events_chat["bare"]),
            ("Leerzone (chat mix)", events_chat["ours"]),
        )
    )
    shortest = fanout["shortest_gap_in_one_channel_s"]
    gap = "none (no channel got two posts)" if shortest is None else f"{shortest:.2f} s"
    when = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC" + (f" ({' '.join(argv)})" if argv else "")
    head = (
        "| app | events/s | ordinary p50 ms | ordinary p99 ms | report p50 ms | report p99 ms "
        "| server CPU µs/event |\n|---|---|---|---|---|---|---|"
    )
    rss = ", ".join(f"{int(n) // 1000}k: {mb:.0f} MB" for n, mb in memory["rss_mb"].items())
    return f"""# Benchmarks

Written by `python -m bench` on {when}.
Machine: {machine()}.
Everything runs on this one machine: load generator, app and the Slack stand-in share its
cores, so absolute figures are modest; the ratios compare like with like in the same run.

## Event throughput and ack latency (`bench/bench_events.py`)

{bare["events"]} signed message events per round over keep-alive HTTP from
{events["client_threads"]} client threads to waitress (8 threads) in a child process; 95 %
ordinary messages, 5 % mistake reports; median of {events["rounds"]} alternating rounds. Two
mixes of ordinary messages: *labelled* draws them from our labelled corpus's non-reports, half
of them hard negatives full of mistake words (the harder case: most pass the detector's gate);
*chat* is nine in ten everyday team chat and one in ten of those, as a channel mostly is.

{head}
{rows}

Server CPU per event, ours / bare Bolt (target: ≤ 1.3): **labelled mix
×{events["ratio_cpu"]:.2f}** (rounds {events["round_ratios_cpu"]}), **chat mix
×{events_chat["ratio_cpu"]:.2f}** (rounds {events_chat["round_ratios_cpu"]}). Ack latency on
ordinary messages, labelled mix: p50 ×{events["ratio_ordinary_p50"]:.2f}, p99
×{events["ratio_ordinary_p99"]:.2f}; chat mix: p50 ×{events_chat["ratio_ordinary_p50"]:.2f}, p99
×{events_chat["ratio_ordinary_p99"]:.2f}; time for all events ×{events["ratio_throughput"]:.2f}
/ ×{events_chat["ratio_throughput"]:.2f}. The spread between rounds is what this shared
machine gives. Tips shown to the leader: {events["tips_sent"]}
(one leader, daily cap of 5: further moments wait in her Home tab).

## Memory (`bench/bench_memory.py`)

{memory["events"]:,} events dispatched in-process over 2,000 channels in {memory["seconds"]:.0f} s.
RSS: {rss}. Growth from 20k events on: **{memory["growth_after_20k_mb"]} MB**; from the app
just built to the most it held: **{memory["growth_total_mb"]} MB**, of which the blame
encoder, loaded once after the first report (loaded: {memory["encoder_loaded"]}), is about
{detect["encoder_rss_mb"]} MB. Event claims in SQLite at the end: {memory["event_claims_rows"]}
(reports only; the nightly job forgets claims older than a day).

## Detection (`bench/bench_detect.py`)

`detect()` end to end on one core over a mix of {detect["mix_messages"]:,} messages (nine in
ten everyday chat, the rest labelled messages: ours and {detect["mix_real_messages"]} real
ones): **{detect["detect_messages_per_s"]:,} messages/s** (target ≥ 1,000; a keyword regex
does {detect["baseline_messages_per_s"]:,}/s). The cheap gate sends
{detect["gate_pass_everyday"]:.0%} of everyday chat and {detect["gate_pass_mix"]:.0%} of the
mix on to the learned model. Blame: the sentence encoder loads in
**{detect["encoder_load_s"]:.2f} s** and adds **{detect["encoder_rss_mb"]} MB**, once per
process, in the background after the first recognised report (never before `/healthz`);
reading one leader's reply then takes {detect["blame_ms_per_reply"]:.1f} ms.
Both run before the ack, so the longest messages Slack sends matter too: over
{detect["odd_shapes"]} odd messages of {detect["odd_message_chars"]:,} characters (unclosed
markup and code, one endless clause of cue words, thousands of lines), the slowest `detect()`
took **{detect["worst_detect_ms"]} ms** ({detect["worst_detect_shape"]}) and the slowest blame
read **{detect["worst_blame_ms"]} ms** ({detect["worst_blame_shape"]}; the encoder reads a
reply's first 1,000 characters, the rules all of it).

## Start-up (`bench/bench_startup.py`)

`leerzone run` on a fresh database to a `/healthz` that answers: **{startup["median_s"]:.2f} s**
(median of {startup["runs"]}; {startup["min_s"]:.2f}–{startup["max_s"]:.2f} s).

## Prompt fan-out (`bench/bench_fanout.py`)

{fanout["channels"]} channels due at the same slot; the stand-in enforces
{fanout["standin_limits"]} with 429 + Retry-After, and three more 429s are injected.
**{fanout["posted"]}/{fanout["channels"]} posted, each once, in {fanout["seconds"]:.0f} s**
(pace {fanout["pace"]}); {fanout["answered_429"]} posts met a 429 and were retried after
Retry-After; busiest minute {fanout["busiest_minute_calls"]} calls; shortest gap between two
posts in one channel: {gap}.

Raw figures: see the JSON printed by each script with `--json`.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    quick = ["--quick"] if args.quick else []
    steps = {
        "events": ["--events", "1000", "--rounds", "1"] if quick else [],
        "events_chat": ["--mix", "chat", *(["--events", "1000", "--rounds", "1"] if quick else [])],
        "memory": ["--events", "20000"] if quick else [],
        "startup": ["--runs", "2"] if quick else [],
        "fanout": ["--channels", "40"] if quick else [],
        "detect": [],
    }
    results = {}
    for name, argv in steps.items():
        print(f"bench: {name} …", file=sys.stderr, flush=True)
        results[name] = run(f"bench_{name.split('_')[0]}", argv)
        print(json.dumps(results[name]), file=sys.stderr)
    OUT.write_text(report(**results, argv=quick))
    print(f"bench: wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
