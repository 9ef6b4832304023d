"""Storage: WAL, the schema through migrations, threads and processes that lose nothing."""

import sqlite3
import threading

import pytest

from bot.failures.store import FailureStore
from bot.storage.channels import ChannelStore
from bot.storage.database import Storage
from bot.storage.migrations import migrations


@pytest.fixture
def db(tmp_path):
    s = Storage(tmp_path / "sub" / "dir" / "leerzone.db")  # folders are created
    yield s
    s.close()


def add(storage, user="U1", team="T1", text="oeps"):
    return FailureStore(storage).add(
        team_id=team, user_id=user, channel_id="C1", text=text, kind="preventable"
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
    Storage(tmp_path / "x.db").close()
    again = Storage(tmp_path / "x.db")
    assert again.db["_sqlite_migrations"].count == len(migrations._migrations)
    again.close()


def test_eight_threads_logging_200_each_lose_nothing(tmp_path):
    storage = Storage(tmp_path / "busy.db")
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def worker(n: int) -> None:
        try:
            start.wait()
            for i in range(200):
                add(storage, user=f"U{n}", text=f"{n}-{i}")
        except BaseException as err:  # noqa: BLE001 - collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert storage.db["failures"].count == 1600
    texts = {r["text"] for r in storage.db["failures"].rows}
    assert texts == {f"{n}-{i}" for n in range(8) for i in range(200)}
    storage.close()


def test_two_storages_on_one_file_share_the_data(tmp_path):
    a, b = Storage(tmp_path / "x.db"), Storage(tmp_path / "x.db")
    add(a)
    assert FailureStore(b).count("T1") == 1
    a.close()
    b.close()
    raw = sqlite3.connect(tmp_path / "x.db")
    assert raw.execute("select count(*) from failures").fetchone()[0] == 1


def test_channel_settings(db):
    channels = ChannelStore(db, default_leaders=("U9",))
    assert channels.get("T1", "C1").leaders == ()
    assert channels.leaders("T1", "C1") == (("U9",), True)  # the workspace default
    channels.set_leaders("T1", "C1", ["U1", "U2", "U1"], by="U1")
    channels.set_language("T1", "C1", "en", by="U1")
    settings = channels.get("T1", "C1")
    assert settings.leaders == ("U1", "U2") and settings.language == "en"
    assert channels.leaders("T1", "C1") == (("U1", "U2"), False)
    assert channels.get("T2", "C1").language is None
    assert channels.led_by("T1", "U2") == ["C1"] and channels.led_by("T2", "U2") == []


def test_data_files_are_private(tmp_path):
    """Database, WAL and the folder we create are for the bot's user only."""
    storage = Storage(tmp_path / "new" / "leerzone.db")
    FailureStore(storage).add(team_id="T1", user_id="U1", channel_id="C1", text="x", kind="complex")
    folder = tmp_path / "new"
    assert folder.stat().st_mode & 0o777 == 0o700
    for name in ("leerzone.db", "leerzone.db-wal", "leerzone.db-shm"):
        assert (folder / name).stat().st_mode & 0o777 == 0o600, name
    storage.close()


def test_a_write_inside_a_write_joins_its_transaction(db):
    """One unit of work across stores is one transaction: it lands whole or not at all."""
    statements: list[str] = []
    db.db.conn.set_trace_callback(statements.append)
    with db.write():
        add(db, text="eerste")
        add(db, text="tweede")
    assert statements.count("BEGIN IMMEDIATE") == 1 and statements.count("COMMIT") == 1
    db.db.conn.set_trace_callback(None)

    with pytest.raises(RuntimeError), db.write():
        add(db, text="derde")
        raise RuntimeError("the unit of work fails halfway")
    assert {r["text"] for r in db.db["failures"].rows} == {"eerste", "tweede"}


def test_a_failed_statement_a_joined_block_handles_leaves_the_rest_standing(db):
    """A duplicate refused inside a joined block (a tip claimed twice) undoes only itself."""
    with db.write():
        assert db.insert_once("event_claims", {"event_id": "Ev1", "status": "claimed"})
        assert not db.insert_once("event_claims", {"event_id": "Ev1", "status": "other"})
        add(db, text="daarna")
    assert db.db.execute("SELECT status FROM event_claims").fetchall() == [("claimed",)]
    assert [r["text"] for r in db.db["failures"].rows] == ["daarna"]
