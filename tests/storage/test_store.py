import sqlite3
import threading

import pytest

from bot.storage.database import DeleteResult, Store, migrations


@pytest.fixture
def db(tmp_path):
    s = Store(tmp_path / "sub" / "dir" / "leerzone.db")  # folders are created
    yield s
    s.close()


def add(store, user="U1", team="T1", text="oeps", **kw):
    return store.add_failure(
        team_id=team, user_id=user, channel_id="C1", text=text, kind="preventable", **kw
    )


def test_wal_mode_and_schema_through_migrations(db):
    assert db.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    applied = [r["name"] for r in db.db["_sqlite_migrations"].rows]
    assert applied[0] == "m001_failures_and_channels" and applied == sorted(applied)
    assert migrations.pending(db.db) == []
    columns = set(db.db["failures"].columns_dict)
    assert {
        "id",
        "team_id",
        "user_id",
        "channel_id",
        "text",
        "kind",
        "lesson",
        "shared",
        "created_at",
    } <= columns


def test_reopening_applies_nothing_twice(tmp_path):
    Store(tmp_path / "x.db").close()
    again = Store(tmp_path / "x.db")
    assert again.db["_sqlite_migrations"].count == len(migrations._migrations)
    again.close()


def test_add_and_read_back(db):
    f = add(db, text="verkeerde bijlage", lesson="  ")
    assert f.id == 1 and f.text == "verkeerde bijlage" and f.shared == "no"
    assert f.lesson is None  # blank lessons are no lessons
    assert db.get_failure("T1", f.id) == f
    assert db.get_failure("T2", f.id) is None  # rows are keyed by team


def test_list_is_own_newest_first_and_limited(db):
    for i in range(12):
        add(db, text=f"n{i}")
    add(db, user="U2", text="someone else")
    listed = db.list_failures("T1", "U1", limit=10)
    assert [f.text for f in listed][:2] == ["n11", "n10"] and len(listed) == 10
    assert db.count_failures("T1", "U1") == 12


def test_delete_only_own_and_ids_are_never_reused(db):
    mine, theirs = add(db), add(db, user="U2")
    assert db.delete_failure("T1", "U2", mine.id) is DeleteResult.NOT_OWNER
    assert db.delete_failure("T2", "U1", mine.id) is DeleteResult.NOT_FOUND
    assert db.delete_failure("T1", "U1", mine.id) is DeleteResult.DELETED
    assert db.delete_failure("T1", "U1", mine.id) is DeleteResult.NOT_FOUND
    db.delete_failure("T1", "U2", theirs.id)
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


def test_channel_settings(db):
    assert db.channel("T1", "C1").leaders == ()
    db.set_leaders("T1", "C1", ["U1", "U2", "U1"], by="U1")
    db.set_language("T1", "C1", "en", by="U1")
    settings = db.channel("T1", "C1")
    assert settings.leaders == ("U1", "U2") and settings.language == "en"
    assert db.channel("T2", "C1").language is None


def test_eight_threads_logging_200_each_lose_nothing(tmp_path):
    store = Store(tmp_path / "busy.db")
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def worker(n: int) -> None:
        try:
            start.wait()
            for i in range(200):
                add(store, user=f"U{n}", text=f"{n}-{i}")
        except BaseException as err:  # noqa: BLE001 - collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.db["failures"].count == 1600
    texts = {r["text"] for r in store.db["failures"].rows}
    assert texts == {f"{n}-{i}" for n in range(8) for i in range(200)}
    store.close()


def test_two_stores_on_one_file_share_the_data(tmp_path):
    a, b = Store(tmp_path / "x.db"), Store(tmp_path / "x.db")
    add(a)
    assert b.count_failures("T1") == 1
    a.close()
    b.close()
    raw = sqlite3.connect(tmp_path / "x.db")
    assert raw.execute("select count(*) from failures").fetchone()[0] == 1
