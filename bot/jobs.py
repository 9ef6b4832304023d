"""The bot's timed work, on APScheduler 3: jobs built from the database, never pickled.

One job per channel fires at its next slot (holidays already applied) and then schedules the
following one; an hourly sweep catches up after downtime; daily and weekly jobs invite leaders
to go first, send the digest and purge what is older than the retention period. Every job
calls the same idempotent functions as `leerzone post-prompts`, so overlapping runs are
harmless: the database decides.
"""

from __future__ import annotations

import logging
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.deps import Deps
from bot.failures.learning_loop import ask_for_lessons
from bot.insights.digest import send_digests
from bot.nudges.delivery import send_morning_summaries
from bot.privacy.retention import nightly_purge
from bot.slack.clients import Clients
from bot.team_prompts.posting import invite_leaders_first, post_due_prompts
from bot.team_prompts.rotation import Schedule, next_slots, parse_schedule
from bot.team_prompts.roundup import post_roundups

log = logging.getLogger(__name__)


def job_id(team_id: str, channel_id: str) -> str:
    return f"prompt:{team_id}:{channel_id}"


class BackgroundJobs:
    """Everything that runs on a clock: team prompts (one job per channel plus an hourly
    catch-up), leaders going first, the digest, the morning summary of tips held outside
    working hours, the learning loop and the nightly purge."""

    def __init__(self, deps: Deps, client: Clients) -> None:
        self.deps = deps
        self.client = client
        self.grace = int(deps.settings.prompt_grace_hours * 3600) or 60
        self.scheduler = BackgroundScheduler(timezone=deps.settings.tz)
        deps.schedule_listeners.append(self.rebuild_channel)

    def _defaults(self) -> dict[str, object]:
        return {
            "replace_existing": True,
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": self.grace,
        }

    def start(self) -> None:
        self.rebuild_all()
        tz = self.deps.settings.tz
        self.scheduler.add_job(
            self.sweep,
            IntervalTrigger(hours=1, timezone=tz),
            id="prompts:sweep",
            **self._defaults(),
        )
        self.scheduler.add_job(
            self.leaders_first,
            CronTrigger(day_of_week="mon-fri", hour=10, minute=0, timezone=tz),
            id="prompts:leaders-first",
            **self._defaults(),
        )
        digest = parse_schedule(self.deps.settings.digest.split())
        if isinstance(digest, Schedule):
            trigger = CronTrigger(
                day_of_week=digest.weekday,
                hour=digest.at.hour,
                minute=digest.at.minute,
                timezone=tz,
            )
            self.scheduler.add_job(self.digest, trigger, id="digest:weekly", **self._defaults())
        start = self.deps.settings.working_hours[0]
        self.scheduler.add_job(
            self.morning,
            CronTrigger(day_of_week="mon-fri", hour=start.hour, minute=start.minute, timezone=tz),
            id="tips:morning",
            **self._defaults(),
        )
        self.scheduler.add_job(
            self.learning_loop,
            CronTrigger(day_of_week="mon-fri", hour=10, minute=30, timezone=tz),
            id="learning:lessons",
            **self._defaults(),
        )
        self.scheduler.add_job(
            self.roundup,
            CronTrigger(day_of_week="mon-fri", day="1-7", hour=10, minute=15, timezone=tz),
            id="celebrations:monthly",
            **self._defaults(),
        )
        self.scheduler.add_job(
            self.purge,
            CronTrigger(hour=3, minute=15, timezone=tz),
            id="privacy:retention",
            **self._defaults(),
        )
        self.scheduler.start()
        self.sweep()  # catch up on anything due while we were down

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)

    def rebuild_all(self) -> None:
        for team_id, channel_id, _schedule, _since in self.deps.prompts.schedules():
            self.rebuild_channel(team_id, channel_id)

    def rebuild_channel(self, team_id: str, channel_id: str) -> None:
        """(Re)plan a channel's next slot; drop the job when prompts are off."""
        schedule = self.deps.prompts.schedule(team_id, channel_id)
        upcoming = next_slots(schedule, self.deps.now(), 1) if schedule else []
        ident = job_id(team_id, channel_id)
        if not upcoming:
            if self.scheduler.get_job(ident):
                self.scheduler.remove_job(ident)
            return
        self.scheduler.add_job(
            self.run_channel,
            DateTrigger(run_date=upcoming[0]),
            args=[team_id, channel_id],
            id=ident,
            **self._defaults(),
        )

    def run_channel(self, team_id: str, channel_id: str) -> None:
        try:
            post_due_prompts(self.deps, self.client, self.deps.now(), channel_id)
        finally:
            self.rebuild_channel(team_id, channel_id)

    def sweep(self) -> None:
        """Hourly catch-up after downtime: prompts due, and tips held past a missed morning."""
        post_due_prompts(self.deps, self.client, self.deps.now())
        send_morning_summaries(self.deps, self.client, self.deps.now())
        post_roundups(self.deps, self.client, self.deps.now())  # once a month, once a channel

    def leaders_first(self) -> None:
        invite_leaders_first(self.deps, self.client, self.deps.now())

    def digest(self) -> None:
        send_digests(self.deps, self.client, self.deps.now())

    def morning(self) -> None:
        send_morning_summaries(self.deps, self.client, self.deps.now())

    def learning_loop(self) -> None:
        ask_for_lessons(self.deps, self.client, self.deps.now())

    def roundup(self) -> None:
        post_roundups(self.deps, self.client, self.deps.now())

    def purge(self) -> None:
        counts = nightly_purge(self.deps)
        log.info("retention: purged %s", {k: v for k, v in counts.items() if v})

    def jobs(self) -> dict[str, datetime | None]:
        return {job.id: job.next_run_time for job in self.scheduler.get_jobs()}
