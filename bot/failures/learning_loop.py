"""The learning loop: a few days after a /fout without a lesson, ask its author once.

Once per entry, at most one question per person per day, never on weekends or Dutch public
holidays, and never again after "niet nu".
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.deps import Deps
from bot.slack.clients import Clients, send_dm
from bot.team_prompts.rotation import is_working_day
from bot.ui import failure_views

log = logging.getLogger(__name__)


def ask_for_lessons(deps: Deps, clients: Clients, at: datetime) -> int:
    days = deps.settings.lesson_reminder_days
    if days == 0 or not is_working_day(at.astimezone(deps.settings.tz).date()):
        return 0
    sent = 0
    # one question per person per day: their oldest entry still without a lesson
    for team_id, user_id, failure_id in deps.failures.without_lesson(at - timedelta(days=days)):
        if not deps.prefs.get(team_id, user_id).lesson_reminders:
            continue
        failure = deps.failures.get(team_id, failure_id)
        if failure is None or not deps.failures.claim_lesson_ask(failure):
            continue
        texts = deps.user_texts(team_id, user_id)
        created = datetime.fromisoformat(failure.created_at).astimezone(deps.settings.tz)
        message = failure_views.lesson_reminder(texts, failure, texts.when(created))
        sent += send_dm(clients, team_id, user_id, message, "lesson question")
    return sent


def stop_asking(deps: Deps, team_id: str, user_id: str, failure_id: int) -> None:
    """'Niet nu': this person is not asked for lessons again."""
    deps.prefs.set(team_id, user_id, lesson_reminders=0)
    deps.failures.lesson_ask_declined(user_id, failure_id)
