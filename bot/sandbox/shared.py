"""Where the recorded reality lives: `../shared` beside the project (never copied into it).

Slack's own artifacts (OpenAPI spec, Block Kit schema, limits, recorded payloads) check the
stand-in; the detect-corpus holds real people's messages for training and evaluation. Both are
optional at run time: whatever needs them says so, or skips, when the folder is absent.
"""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared"
SLACK_FIXTURES = SHARED / "slack-fixtures"
DETECT_CORPUS = SHARED / "detect-corpus"
