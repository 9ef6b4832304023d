"""How fast /fout is: store writes per second, and the ack time of /fout over real HTTP.

Slack gives an app 3 seconds to acknowledge; this shows how far below that we are.
Run: .venv/bin/python bench/bench_fout.py [--requests 300]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bot.app import build_deps, create_app
from bot.config import Settings
from bot.failures.store import FailureStore
from bot.sandbox.simulator import SlackSimulator
from bot.sandbox.standin import SlackStandIn
from bot.slack.server import BackgroundServer
from bot.storage.database import Storage


def bench_store(folder: Path, threads: int, per_thread: int) -> float:
    storage = Storage(folder / f"store-{threads}.db")
    store = FailureStore(storage)

    def work(n: int) -> None:
        for i in range(per_thread):
            store.add(
                team_id="T1",
                user_id=f"U{n}",
                channel_id="C1",
                text=f"vergeten {i}",
                kind="preventable",
            )

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - start
    assert store.count("T1") == threads * per_thread
    storage.close()
    return threads * per_thread / elapsed


def bench_http(folder: Path, requests: int) -> list[float]:
    with SlackStandIn() as standin:
        settings = Settings(
            bot_token="xoxb-bench",
            signing_secret="s",
            api_url=standin.base_url,
            db_path=str(folder / "http.db"),
        )
        storage = Storage(settings.db_path)
        with BackgroundServer(create_app(build_deps(settings, storage))) as server:
            sim = SlackSimulator(server.url, "s", standin)
            times = []
            for i in range(requests):
                start = time.perf_counter()
                reply = sim.slash("U0ANNA", "C0TEAM", f"ik ben stap {i} vergeten")
                times.append(time.perf_counter() - start)
                assert reply.status == 200
            standin.wait_calls("response_url", requests, timeout=60)
        storage.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for threads in (1, 8):
            rate = bench_store(folder, threads, 2000 // threads)
            print(f"FailureStore.add, {threads} thread(s): {rate:,.0f} writes/s")
        times = sorted(bench_http(folder, args.requests))
        p50 = statistics.median(times) * 1000
        p95 = times[int(len(times) * 0.95) - 1] * 1000
        print(
            f"/fout over signed HTTP, {len(times)} requests: ack p50 {p50:.1f} ms, "
            f"p95 {p95:.1f} ms, max {times[-1] * 1000:.1f} ms (Slack's limit: 3000 ms)"
        )


if __name__ == "__main__":
    main()
