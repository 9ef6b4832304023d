"""The ids that tie buttons, selects and forms to their handlers (one place, no typos).

Slack sends these back in every interaction, so they are part of the contract with messages
already in people's channels: rename one and its old buttons land in the failsafe.
"""

from __future__ import annotations

# The private answer to /fout, and its share choice
ACTION_ADD_LESSON = "lz_add_lesson"
ACTION_KIND = "lz_kind"
ACTION_SHARE = "lz_share"
ACTION_SHARE_NAMED = "lz_share_named"
ACTION_SHARE_ANONYMOUS = "lz_share_anonymous"
ACTION_SHARE_CANCEL = "lz_share_cancel"
ACTION_LESSON_LATER = "lz_lesson_later"  # on the learning loop's question

# A leader's tip
ACTION_NUDGE_DONE = "lz_nudge_done"
ACTION_NUDGE_OTHER = "lz_nudge_other"
ACTION_NUDGE_FALSE = "lz_nudge_false_positive"
ACTION_NUDGE_LATER = "lz_nudge_later"
ACTION_NUDGE_WHY = "lz_nudge_why"

# The /fout form and the lesson form: callback ids, block ids, and the action id used inside
# every input block
CALLBACK_FAILURE = "lz_fout_modal"  # the value stays: forms open in Slack carry it
CALLBACK_LESSON = "lz_lesson_modal"
BLOCK_WHAT = "what"
BLOCK_KIND = "kind"
BLOCK_LESSON = "lesson"
BLOCK_SHARE = "share"
INPUT = "value"

# App Home and the schedule form opened from it
ACTION_HOME_LESSON = "lz_home_lesson"
ACTION_HOME_DELETE = "lz_home_delete"
ACTION_HOME_PAGE = "lz_home_page"
ACTION_HOME_LANGUAGE = "lz_home_language"
ACTION_HOME_SCHEDULE = "lz_home_schedule"
ACTION_HOME_TIP_DELIVERY = "lz_home_tip_delivery"
CALLBACK_SCHEDULE = "lz_schedule_modal"
BLOCK_DAY, BLOCK_TIME, BLOCK_EVERY = "sched_day", "sched_time", "sched_every"
BLOCK_CELEBRATE = "sched_celebrate"

# Under a team prompt
ACTION_PROMPT_SHARE = "lz_prompt_share"

# /fout vergeet-mij
ACTION_FORGET_YES = "lz_forget_yes"
ACTION_FORGET_NO = "lz_forget_no"

# Message shortcuts (the callback ids are in manifest.yml) and the window "Bedank eerst" opens
SHORTCUT_THANK_FIRST = "lz_thank_first"
SHORTCUT_LOG_AS_FAILURE = "lz_log_as_failure"
CALLBACK_THANK_FIRST = "lz_thank_first_modal"
ACTION_THANK_KIND = "lz_thank_kind"
ACTION_THANK_OTHER = "lz_thank_other"

# Samen terugkijken (a blameless review of a complex failure)
ACTION_REVIEW_ENTRY = "lz_review_entry"  # the author, on their /fout entry
ACTION_REVIEW_TIP = "lz_review_tip"  # a leader, on a tip about a complex report
ACTION_REVIEW_YES_NAMED = "lz_review_yes_named"  # the author's consent, asked by a leader
ACTION_REVIEW_YES_ANONYMOUS = "lz_review_yes_anonymous"
ACTION_REVIEW_NO = "lz_review_no"
ACTION_REVIEW_STOP = "lz_review_stop"  # the author, under the questions
ACTION_REVIEW_LESSON = "lz_review_lesson"  # a leader, to write down what the team learned
CALLBACK_REVIEW_CONSENT = "lz_review_consent_modal"
CALLBACK_REVIEW_LESSON = "lz_review_lesson_modal"
BLOCK_REVIEW_SHARE = "review_share"
BLOCK_REVIEW_LESSON = "review_lesson"


def number(raw: object, default: int = 0) -> int:
    """A whole number from a button's value or a window's metadata. Anything else — text, a
    negative number, or one too long for SQLite to even look up — is `default` (for an id:
    no such row), never an error: these values come back from Slack as the client sent them."""
    text = str(raw if raw is not None else "").strip()
    return int(text) if text.isdigit() and len(text) < 19 else default
