"""The learning loop: a few days after a /fout without a lesson, ask its author once.

Once per entry, at most one question per person per day, never on weekends or Dutch public
holidays, and never again after "niet nu".
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from bot.deps import Deps
from bot.slack.clients import Clients, send_dm
from bot.storage.database import utcnow
from bot.team_prompts.rotation import is_working_day
from bot.ui import views

log = logging.getLogger(__name__)


def ask_for_lessons(deps: Deps, clients: Clients, at: datetime) -> int:
    days = deps.settings.lesson_reminder_days
    if days == 0 or not is_working_day(at.astimezone(deps.settings.tz).date()):
        return 0
    cutoff = (at - timedelta(days=days)).astimezone(UTC).isoformat(timespec="seconds")
    rows = deps.store.db.execute(
        "SELECT f.team_id, f.user_id, min(f.id) FROM failures f "
        "LEFT JOIN lesson_asks a ON a.failure_id = f.id "
        "LEFT JOIN user_prefs p ON p.team_id = f.team_id AND p.user_id = f.user_id "
        "WHERE f.lesson IS NULL AND f.created_at <= ? AND a.failure_id IS NULL "
        "AND coalesce(p.lesson_reminders, 1) = 1 GROUP BY f.team_id, f.user_id",
        [cutoff],
    ).fetchall()
    sent = 0
    for team_id, user_id, failure_id in rows:  # one question per person per day
        failure = deps.store.get_failure(team_id, failure_id)
        if failure is None or not _claim(deps, failure.id, team_id, user_id):
            continue
        texts = deps.user_texts(team_id, user_id)
        created = datetime.fromisoformat(failure.created_at).astimezone(deps.settings.tz)
        message = views.lesson_reminder(texts, failure, texts.when(created))
        sent += send_dm(clients, team_id, user_id, message, "lesson question")
    return sent


def _claim(deps: Deps, failure_id: int, team_id: str, user_id: str) -> bool:
    return deps.store.insert_once(
        "lesson_asks",
        {
            "failure_id": failure_id,
            "team_id": team_id,
            "user_id": user_id,
            "status": "asked",
            "asked_at": utcnow(),
        },
    )


def stop_asking(deps: Deps, team_id: str, user_id: str, failure_id: int) -> None:
    """'Niet nu': this person is not asked for lessons again."""
    deps.store.set_user_pref(team_id, user_id, lesson_reminders=0)
    with deps.store.write() as db:
        db.execute(
            "UPDATE lesson_asks SET status = 'later' WHERE failure_id = ? AND user_id = ?",
            [failure_id, user_id],
        )
