"""The reviews table: who may start, stop and close a look back, and how far it got."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.storage.database import TableStore, rows_of, utcnow

OPEN = ("asked", "open")


@dataclass(frozen=True)
class Review:
    id: int
    team_id: str
    channel_id: str
    thread_ts: str
    author_id: str
    leader_id: str | None
    failure_id: int | None
    share: str | None
    status: str
    post_ts: str | None
    replies: int
    lesson: str | None
    created_at: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Review:
        values: dict[str, Any] = {k: row.get(k) for k in cls.__dataclass_fields__}
        return cls(**values)


class ReviewStore(TableStore):
    # The author consented to a review of their own failure: the row names them (and the
    # leader who proposed it); both leave on forget-me and both see it in their export.
    PERSONAL = {"reviews": ("author_id", "leader_id")}
    DATED = {"reviews": "created_at"}

    def create(
        self,
        *,
        team_id: str,
        channel_id: str,
        thread_ts: str,
        author_id: str,
        leader_id: str | None = None,
        failure_id: int | None = None,
        status: str = "asked",
        share: str | None = None,
    ) -> Review:
        now = utcnow()
        with self.storage.write() as db:
            new_id = (
                db.table("reviews")
                .insert(
                    {
                        "team_id": team_id,
                        "channel_id": channel_id,
                        "thread_ts": thread_ts,
                        "author_id": author_id,
                        "leader_id": leader_id,
                        "failure_id": failure_id,
                        "share": share,
                        "status": status,
                        "replies": 0,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                .last_pk
            )
        return self.get(team_id, int(new_id or 0))  # type: ignore[return-value]

    def get(self, team_id: str, review_id: int) -> Review | None:
        row = self.storage.db.execute(
            "SELECT * FROM reviews WHERE team_id = ? AND id = ?", [team_id, review_id]
        )
        rows = rows_of(row)
        return Review.from_row(rows[0]) if rows else None

    def in_thread(self, team_id: str, channel_id: str, thread_ts: str) -> Review | None:
        """The review under way in a thread, if any (one per thread)."""
        rows = rows_of(
            self.storage.db.execute(
                "SELECT * FROM reviews WHERE team_id = ? AND channel_id = ? AND thread_ts = ? "
                "AND status IN ('asked', 'open') ORDER BY id DESC LIMIT 1",
                [team_id, channel_id, thread_ts],
            )
        )
        return Review.from_row(rows[0]) if rows else None

    def is_review_thread(self, team_id: str, channel_id: str, thread_ts: str) -> bool:
        row = self.storage.db.execute(
            "SELECT 1 FROM reviews WHERE team_id = ? AND channel_id = ? AND thread_ts = ? "
            "AND status = 'open' LIMIT 1",
            [team_id, channel_id, thread_ts],
        ).fetchone()
        return row is not None

    def open_in(self, team_id: str, channel_ids: tuple[str, ...]) -> list[Review]:
        """Open reviews in these channels (the ones a leader leads), oldest first."""
        if not channel_ids:
            return []
        marks = ",".join("?" for _ in channel_ids)
        rows = rows_of(
            self.storage.db.execute(
                f"SELECT * FROM reviews WHERE team_id = ? AND channel_id IN ({marks}) "
                "AND status = 'open' ORDER BY id",
                [team_id, *channel_ids],
            )
        )
        return [Review.from_row(row) for row in rows]

    def move(self, review: Review, status: str, expected: tuple[str, ...], **extra: Any) -> bool:
        """Change the status only from one of `expected` (a double click moves it once)."""
        marks = ",".join("?" for _ in expected)
        sets = "".join(f", {key} = ?" for key in extra)
        with self.storage.write() as db:
            changed = db.execute(
                f"UPDATE reviews SET status = ?, updated_at = ?{sets} "
                f"WHERE team_id = ? AND id = ? AND status IN ({marks})",
                [status, utcnow(), *extra.values(), review.team_id, review.id, *expected],
            ).rowcount
        return changed == 1

    def set_post(self, review: Review, post_ts: str) -> None:
        with self.storage.write() as db:
            db.execute(
                "UPDATE reviews SET post_ts = ?, updated_at = ? WHERE team_id = ? AND id = ?",
                [post_ts, utcnow(), review.team_id, review.id],
            )

    def count_reply(self, team_id: str, channel_id: str, thread_ts: str) -> None:
        """One more reply in an open review's thread (counted; the reply itself is not kept)."""
        with self.storage.write() as db:
            db.execute(
                "UPDATE reviews SET replies = replies + 1 WHERE team_id = ? AND channel_id = ? "
                "AND thread_ts = ? AND status = 'open'",
                [team_id, channel_id, thread_ts],
            )
