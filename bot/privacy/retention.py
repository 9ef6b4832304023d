"""The retention period: every night, rows older than it leave every dated table (and
expired OAuth install states leave slack-sdk's state file)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.deps import Deps

EVENT_CLAIM_DAYS = 1  # Slack retries for about an hour; a claim guards nothing after that


def purge_older_than(deps: Deps, cutoff: datetime) -> dict[str, int]:
    """Delete rows created before the cutoff, in every dated table, in one transaction."""
    counts: dict[str, int] = {}
    with deps.storage.write() as db:
        for store in deps.stores:
            counts.update(store.purge(db, cutoff))
    deps.storage.checkpoint()
    return counts


def nightly_purge(deps: Deps) -> dict[str, int]:
    """The retention job: the retention period, and event claims after a day."""
    now = deps.now()
    counts = purge_older_than(deps, now - timedelta(days=deps.settings.retention_days))
    counts["event_claims"] += deps.nudges.forget_events(now - timedelta(days=EVENT_CLAIM_DAYS))
    if deps.installs is not None:  # install links nobody finished
        counts["oauth_states"] = deps.installs.purge_states(now.timestamp())
    return counts
