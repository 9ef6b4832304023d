"""`leerzone playground`: the page on 127.0.0.1, until Ctrl-C."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

from waitress.server import create_server

from bot.playground.session import Playground
from bot.playground.web import PlaygroundWeb

log = logging.getLogger(__name__)
HOST = "127.0.0.1"  # never anything else: the playground has no sign-in


def serve_playground(
    port: int = 8080, db_path: str | None = None, out: Callable[[str], None] = print
) -> int:
    with tempfile.TemporaryDirectory(prefix="leerzone-playground-") as tmp:
        path = db_path or str(Path(tmp) / "playground.db")
        playground = Playground(path)
        server = create_server(
            PlaygroundWeb(playground),
            host=HOST,
            port=port,
            threads=4,
            max_request_body_size=64 * 1024,
            channel_timeout=30,
        )
        out(f"Leerzone playground: http://{HOST}:{port}/  (database: {path}; Ctrl-C stops)")
        try:
            server.run()  # waitress ends its loop on Ctrl-C itself
        finally:
            server.close()
            playground.close()
    return 0
