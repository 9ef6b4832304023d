"""The message scanner: one thread decides, the pool acts, a flood waits instead of piling up."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from bot.slack import scanner as scanner_module
from bot.slack.scanner import MessageScanner


def event(n: int) -> dict:
    return {"type": "event_callback", "event": {"type": "message", "text": str(n)}}


def test_only_what_needs_us_reaches_the_pool_and_drain_waits_for_it():
    done = []
    pool = ThreadPoolExecutor(4)
    scanner = MessageScanner(
        lambda body, ctx: int(body["event"]["text"]) % 10 == 0,
        lambda body, ctx: (time.sleep(0.01), done.append(body["event"]["text"])),
        pool,
    )
    for n in range(100):
        reply = scanner.middleware(event(n), {}, lambda: None)
        assert reply.status == 200
    scanner.drain()
    assert sorted(done, key=int) == [str(n) for n in range(0, 100, 10)]
    scanner.stop()
    pool.shutdown()


def test_other_requests_go_on_through_bolt():
    scanner = MessageScanner(lambda b, c: False, lambda b, c: None, ThreadPoolExecutor(1))
    marker = object()
    assert scanner.middleware({"type": "block_actions"}, {}, lambda: marker) is marker
    assert (
        scanner.middleware(
            {"type": "event_callback", "event": {"type": "app_home_opened"}}, {}, lambda: marker
        )
        is marker
    )


def test_a_flood_is_held_back_not_queued_without_bound(monkeypatch):
    monkeypatch.setattr(scanner_module, "IN_FLIGHT_MAX", 3)
    release = threading.Event()
    pool = ThreadPoolExecutor(8)
    scanner = MessageScanner(lambda b, c: True, lambda b, c: release.wait(5), pool)
    for n in range(20):
        scanner.middleware(event(n), {}, lambda: None)
    time.sleep(0.3)
    assert pool._work_queue.qsize() == 0  # nothing waiting in the pool's unbounded queue
    assert scanner._busy == 3  # three at work, the rest wait in the bounded scanner queue
    release.set()
    scanner.drain()
    assert scanner._busy == 0
    scanner.stop()
    pool.shutdown()
