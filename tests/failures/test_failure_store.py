"""The failure log's store: own entries only, ids never reused, a share claimed once."""

import pytest

from bot.failures.store import DeleteResult, FailureStore
from bot.storage.database import Storage


@pytest.fixture
def db(tmp_path):
    storage = Storage(tmp_path / "leerzone.db")
    yield FailureStore(storage)
    storage.close()


def add(store, user="U1", team="T1", text="oeps", **kw):
    return store.add(
        team_id=team, user_id=user, channel_id="C1", text=text, kind="preventable", **kw
    )


def test_add_and_read_back(db):
    f = add(db, text="verkeerde bijlage", lesson="  ")
    assert f.id == 1 and f.text == "verkeerde bijlage" and f.shared == "no"
    assert f.lesson is None  # blank lessons are no lessons
    assert db.get("T1", f.id) == f
    assert db.get("T2", f.id) is None  # rows are keyed by team


def test_list_is_own_newest_first_and_limited(db):
    for i in range(12):
        add(db, text=f"n{i}")
    add(db, user="U2", text="someone else")
    listed = db.latest("T1", "U1", limit=10)
    assert [f.text for f in listed][:2] == ["n11", "n10"] and len(listed) == 10
    assert db.count("T1", "U1") == 12


def test_delete_only_own_and_ids_are_never_reused(db):
    mine, theirs = add(db), add(db, user="U2")
    assert db.delete("T1", "U2", mine.id) is DeleteResult.NOT_OWNER
    assert db.delete("T2", "U1", mine.id) is DeleteResult.NOT_FOUND
    assert db.delete("T1", "U1", mine.id) is DeleteResult.DELETED
    assert db.delete("T1", "U1", mine.id) is DeleteResult.NOT_FOUND
    db.delete("T1", "U2", theirs.id)
    assert add(db).id == theirs.id + 1


def test_updates_only_by_the_author(db):
    f = add(db)
    assert db.set_lesson("T1", "U1", f.id, "check de datum").lesson == "check de datum"
    assert db.set_kind("T1", "U1", f.id, "complex").kind_source == "user"
    with pytest.raises(PermissionError):
        db.set_lesson("T1", "U2", f.id, "x")
    with pytest.raises(LookupError):
        db.set_kind("T1", "U1", 999, "complex")


def test_share_is_claimed_once_and_given_back_on_failure(db):
    f = add(db)
    claimed = db.claim_share("T1", "U1", f.id, "anonymous")
    assert claimed.shared == "anonymous"
    assert db.claim_share("T1", "U1", f.id, "named") is None
    assert db.record_share("T1", f.id, None).shared == "no"  # the post failed
    db.claim_share("T1", "U1", f.id, "named")
    done = db.record_share("T1", f.id, "123.456", "C1")
    assert (done.shared, done.shared_ts, done.shared_channel_id) == ("named", "123.456", "C1")
    with pytest.raises(PermissionError):
        db.claim_share("T1", "U2", f.id, "named")
