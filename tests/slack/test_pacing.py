"""The pacer that keeps a busy prompt slot inside Slack's posting limits (pure, fake clock)."""

from bot.slack.pacing import Pacer


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds


def test_a_burst_then_the_steady_rate():
    clock = Clock()
    pacer = Pacer(rate=2.0, burst=10, clock=clock)
    waits = [pacer.reserve("T1", f"C{n}") for n in range(14)]
    assert waits[:10] == [0.0] * 10
    assert waits[10:] == [0.5, 1.0, 1.5, 2.0]


def test_one_channel_gets_at_most_one_post_a_second():
    clock = Clock()
    pacer = Pacer(rate=100.0, burst=100, clock=clock)
    assert pacer.reserve("T1", "C1") == 0.0
    assert pacer.reserve("T1", "C2") == 0.0
    assert pacer.reserve("T1", "C1") == 1.0
    clock.sleep(5)
    assert pacer.reserve("T1", "C1") == 0.0


def test_workspaces_do_not_slow_each_other_down():
    pacer = Pacer(rate=1.0, burst=1, clock=Clock())
    assert pacer.reserve("T1", "C1") == 0.0
    assert pacer.reserve("T2", "C1") == 0.0
    assert pacer.reserve("T1", "C2") == 1.0


def test_five_hundred_channels_at_one_slot_take_the_planned_time():
    clock = Clock()
    pacer = Pacer(rate=2.0, burst=10, clock=clock)
    moments = []
    for n in range(500):
        pacer.wait("T1", f"C{n:03d}", clock.sleep)
        moments.append(clock.t - 100.0)
    assert moments[-1] == (500 - 10) * 0.5

    def in_second(start):
        return sum(1 for m in moments if start <= m < start + 1)

    assert in_second(0) == 10 + 1  # the burst, then one every half second
    assert max(in_second(s) for s in range(1, int(moments[-1]))) == 2
