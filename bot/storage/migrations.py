"""The schema, step by step, through sqlite-utils' Migrations (never by hand elsewhere).

Each table has one owner, the store that reads and writes it:
failures, lesson_asks → FailureStore · channels → ChannelStore · user_prefs → PrefStore ·
event_claims, scans, nudges, mutes → NudgeStore · reviews → ReviewStore · schedules, rotations,
prompt_slots, roundups,
leader_invites, digests_sent → PromptStore.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("leerzone")


@migrations()
def m001_failures_and_channels(db: Database) -> None:
    # AUTOINCREMENT (raw SQL: sqlite-utils cannot ask for it) so a deleted id is never handed
    # out again and "/fout wis 12" can never hit a newer entry by accident.
    db.execute(
        """
        CREATE TABLE failures (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            team_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            channel_id TEXT,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            kind_source TEXT NOT NULL DEFAULT 'guess',
            lesson TEXT,
            shared TEXT NOT NULL DEFAULT 'no',
            shared_channel_id TEXT,
            shared_ts TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT
        )
        """
    )
    db.table("failures").create_index(["team_id", "user_id", "created_at"])
    db.table("channels").create(
        {
            "team_id": str,
            "channel_id": str,
            "language": str,
            "leaders": str,
            "updated_by": str,
            "updated_at": str,
        },
        pk=("team_id", "channel_id"),
    )


@migrations()
def m002_events_scans_nudges(db: Database) -> None:
    # One row per Slack event we act on: the UNIQUE claim that makes retries harmless.
    db.table("event_claims").create(
        {"event_id": str, "team_id": str, "status": str, "claimed_at": str}, pk="event_id"
    )
    # Scanned mistake reports: ids, time, kind and score only — never the message text.
    db.table("scans").create(
        {
            "team_id": str,
            "channel_id": str,
            "ts": str,
            "thread_ts": str,
            "user_id": str,
            "kind": str,
            "score": float,
            "cue_category": str,
            "false_positive": int,
            "created_at": str,
        },
        pk=("team_id", "channel_id", "ts"),
        defaults={"false_positive": 0},
    )
    db.table("nudges").create(
        {
            "id": int,
            "team_id": str,
            "channel_id": str,
            "thread_ts": str,
            "message_ts": str,
            "leader_id": str,
            "author_id": str,
            "purpose": str,  # suggestion | reframe | appreciation
            "kind": str,
            "variant": int,
            "status": str,  # sent | done | other | false_positive | later | failed
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        defaults={"variant": 0, "status": "sent"},
    )
    # At most one nudge of each purpose per leader per thread.
    db.table("nudges").create_index(
        ["team_id", "channel_id", "thread_ts", "leader_id", "purpose"], unique=True
    )
    db.table("nudges").create_index(["team_id", "leader_id", "created_at"])
    db.table("mutes").create(
        {"team_id": str, "channel_id": str, "leader_id": str, "until": str},
        pk=("team_id", "channel_id", "leader_id"),
    )


@migrations()
def m003_schedules_rotation_slots(db: Database) -> None:
    db.table("schedules").create(
        {
            "team_id": str,
            "channel_id": str,
            "weekday": int,
            "at": str,  # HH:MM local
            "every_weeks": int,
            "timezone": str,
            "anchor": str,  # ISO date; biweekly slots are even weeks from here
            "enabled": int,
            "updated_by": str,
            "updated_at": str,
        },
        pk=("team_id", "channel_id"),
    )
    db.table("rotations").create(
        {
            "team_id": str,
            "channel_id": str,
            "state": str,  # JSON of rotation.RotationState
            "updated_at": str,
        },
        pk=("team_id", "channel_id"),
    )
    # One row per (channel, slot): the claim that makes a prompt post exactly once.
    db.table("prompt_slots").create(
        {
            "team_id": str,
            "channel_id": str,
            "slot": str,
            "prompt_id": str,
            "status": str,  # claimed | posted | failed | skipped
            "attempts": int,
            "ts": str,
            "error": str,
            "replies": int,
            "created_at": str,
            "updated_at": str,
        },
        pk=("team_id", "channel_id", "slot"),
        defaults={"attempts": 0, "replies": 0},
    )
    db.table("prompt_slots").create_index(["team_id", "channel_id", "ts"])
    db.table("leader_invites").create(
        {"team_id": str, "channel_id": str, "slot": str, "leader_id": str, "sent_at": str},
        pk=("team_id", "channel_id", "slot", "leader_id"),
    )
    db.table("digests_sent").create(
        {"team_id": str, "leader_id": str, "week": str, "sent_at": str},
        pk=("team_id", "leader_id", "week"),
    )


@migrations()
def m004_user_prefs_and_lesson_asks(db: Database) -> None:
    db.table("user_prefs").create(
        {
            "team_id": str,
            "user_id": str,
            "language": str,
            "lesson_reminders": int,
            "updated_at": str,
        },
        pk=("team_id", "user_id"),
        defaults={"lesson_reminders": 1},
    )
    # The learning loop asks once per entry what was learned.
    db.table("lesson_asks").create(
        {"failure_id": int, "team_id": str, "user_id": str, "status": str, "asked_at": str},
        pk="failure_id",
    )


@migrations()
def m005_delivery_and_introductions(db: Database) -> None:
    # How a leader wants tips: dm (default), channel (ephemeral when active, else dm), home.
    db.table("user_prefs").add_column("tip_delivery", str)
    # How a tip reached its leader (dm, channel, morning, home) and the link to the message.
    db.table("nudges").add_column("delivered_via", str)
    db.table("nudges").add_column("permalink", str)
    db.table("nudges").create_index(["team_id", "leader_id", "status"])
    # When the bot last introduced itself in a channel (not again within 30 days).
    db.table("channels").add_column("introduced_at", str)


@migrations()
def m006_reports_name_nobody(db: Database) -> None:
    # A detected report keeps where and what (channel, ts, kind, score), never who wrote it:
    # the tip names the reporter while it is sent, and the link leads to the message after.
    db.table("scans").transform(drop={"user_id"})
    db.table("nudges").transform(drop={"author_id"})


@migrations()
def m007_work_items(db: Database) -> None:
    # What a claimed event still has to do (the scan's verdict: ids, kind, score, never text),
    # so a process killed between the ack and the tip leaves work the next start finishes.
    # Emptied when done.
    db.table("event_claims").add_column("work", str)


@migrations()
def m008_monthly_celebrations(db: Database) -> None:
    # A channel can switch off the monthly round-up of intelligent failures (NULL: on).
    db.table("channels").add_column("celebrations", int)
    # One round-up per channel per month: the UNIQUE claim that makes it go out once.
    db.table("roundups").create(
        {
            "team_id": str,
            "channel_id": str,
            "month": str,  # YYYY-MM of the month celebrated
            "status": str,  # claimed | posted | failed
            "ts": str,
            "created_at": str,
        },
        pk=("team_id", "channel_id", "month"),
    )


@migrations()
def m009_reviews(db: Database) -> None:
    # "Samen terugkijken": a blameless look back at a complex failure, in its thread, started
    # only with the author's consent. Replies are counted, never stored.
    db.table("reviews").create(
        {
            "id": int,
            "team_id": str,
            "channel_id": str,
            "thread_ts": str,  # the thread the questions go in
            "author_id": str,  # whose failure it is: only they consent, and may stop it
            "leader_id": str,  # who proposed it (from a tip), or None (the author started it)
            "failure_id": int,  # when it started from a /fout entry
            "share": str,  # named | anonymous: how the team's lesson is credited
            "status": str,  # asked | open | declined | stopped | closed
            "post_ts": str,  # the bot's post with the questions
            "replies": int,
            "lesson": str,  # what the team learned, written by a leader
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        defaults={"replies": 0},
    )
    db.table("reviews").create_index(["team_id", "channel_id", "thread_ts"])
