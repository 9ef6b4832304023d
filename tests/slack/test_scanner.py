"""The message scanner: the request decides, the pool acts, a flood waits instead of piling
up, and a failure reaches the app's error handler with its traceback."""

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import BoltRequest

from bot.slack import scanner as scanner_module
from bot.slack.scanner import MessageScanner


def request(n: int) -> BoltRequest:
    body = {"type": "event_callback", "event": {"type": "message", "text": str(n)}}
    return BoltRequest(body=json.dumps(body), headers={"content-type": ["application/json"]})


def other(body: dict) -> BoltRequest:
    return BoltRequest(body=json.dumps(body), headers={"content-type": ["application/json"]})


def test_only_what_needs_us_reaches_the_pool_with_its_verdict_and_drain_waits_for_it():
    done = []
    pool = ThreadPoolExecutor(4)
    scanner = MessageScanner(
        lambda body, ctx: (
            int(body["event"]["text"]) * 2 if body["event"]["text"][-1] == "0" else None
        ),
        lambda body, ctx, verdict: done.append(verdict),
        pool,
    )
    for n in range(100):
        reply = scanner.middleware(request(n), lambda: None)
        assert reply.status == 200
    assert scanner.drain(timeout=5)
    assert sorted(done) == [2 * n for n in range(0, 100, 10)]
    assert scanner.idle()
    scanner.stop()
    pool.shutdown()


def test_other_requests_go_on_through_bolt():
    scanner = MessageScanner(lambda b, c: None, lambda b, c, v: None, ThreadPoolExecutor(1))
    marker = object()
    assert scanner.middleware(other({"type": "block_actions"}), lambda: marker) is marker
    home = other({"type": "event_callback", "event": {"type": "app_home_opened"}})
    assert scanner.middleware(home, lambda: marker) is marker
    scanner.stop()


def test_a_flood_is_held_back_not_queued_without_bound(monkeypatch, wait_until):
    monkeypatch.setattr(scanner_module, "IN_FLIGHT_MAX", 3)
    release = threading.Event()
    pool = ThreadPoolExecutor(8)
    scanner = MessageScanner(lambda b, c: True, lambda b, c, v: release.wait(5), pool)
    for n in range(20):
        scanner.middleware(request(n), lambda: None)
    wait_until(lambda: scanner._busy == 3, what="three messages at work")
    assert not scanner.drain(timeout=0.2)  # the rest wait in the bounded queue, acked
    assert pool._work_queue.qsize() == 0  # nothing waiting in the pool's unbounded queue
    assert scanner._busy == 3
    release.set()
    assert scanner.drain(timeout=5)
    assert scanner._busy == 0
    scanner.stop()
    pool.shutdown()


def test_failures_in_the_scan_and_the_action_reach_the_error_handler():
    reported = []
    pool = ThreadPoolExecutor(2)

    def scan(body, ctx):
        if body["event"]["text"] == "1":
            raise ValueError("scan broke")
        return "verdict"

    def act(body, ctx, verdict):
        raise RuntimeError("act broke")

    scanner = MessageScanner(scan, act, pool, lambda error, req: reported.append((error, req)))
    scanner.middleware(request(1), lambda: None)
    scanner.middleware(request(2), lambda: None)
    assert scanner.drain(timeout=5)
    assert sorted(str(error) for error, _ in reported) == ["act broke", "scan broke"]
    assert {req.body["event"]["text"] for _, req in reported} == {"1", "2"}
    scanner.stop()
    pool.shutdown()


def test_a_failing_error_handler_still_leaves_a_traceback_in_the_log(caplog):
    def broken_handler(error, req):
        raise OSError("handler broke too")

    pool = ThreadPoolExecutor(1)
    scanner = MessageScanner(lambda b, c: 1 / 0, lambda b, c, v: None, pool, broken_handler)
    with caplog.at_level(logging.ERROR, logger="bot.slack.scanner"):
        scanner.middleware(request(1), lambda: None)
        assert scanner.drain(timeout=5)
    assert any(r.exc_info and "handler broke too" in r.exc_text for r in caplog.records)
    scanner.stop()
    pool.shutdown()


def test_a_message_is_acked_only_after_its_scan():
    """The scan records what is still to do before the ack: when the middleware returns (and
    Slack gets its 200), the scan of that message has run."""
    scanned = []
    pool = ThreadPoolExecutor(2)

    def scan(body, ctx):
        time.sleep(0.05)
        scanned.append(body["event"]["text"])

    scanner = MessageScanner(scan, lambda b, c, v: None, pool)
    for n in range(3):
        scanner.middleware(request(n), lambda: None)
        assert scanned[-1] == str(n)
    scanner.stop()
    pool.shutdown()


def test_a_scan_that_says_busy_is_acked_and_scanned_again_off_the_request():
    """The database was locked too long for the request: the ack goes out at once, and the
    scanner's own thread scans the message again (without a time limit) and acts on it."""
    done, rescanned = [], []
    pool = ThreadPoolExecutor(2)

    def busy(body, ctx):
        raise scanner_module.Busy

    def patiently(body, ctx):
        rescanned.append(threading.current_thread().name)
        return body["event"]["text"]

    scanner = MessageScanner(busy, lambda b, c, v: done.append(v), pool, rescan=patiently)
    assert scanner.middleware(request(7), lambda: None).status == 200
    assert scanner.drain(timeout=5)
    assert done == ["7"] and rescanned == ["leerzone-scanner"]
    scanner.stop()
    pool.shutdown()
