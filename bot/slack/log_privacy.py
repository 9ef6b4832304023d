"""What the log may hold: never a token, never the words of a message, at any level.

Leerzone's own code logs ids, counts and Slack's error codes only. The Slack libraries log
more: at DEBUG, slack-sdk writes every request and response body (the text of a tip, a
`/fout` entry, a lesson; in OAuth mode the token reply) and Bolt writes incoming payloads.
A filter on every log handler therefore
- masks anything shaped like a Slack token or secret (`xoxb-…`, `xoxp-…`, `xapp-…`,
  `client_secret`, `Bearer …`) in every record, our own included, tracebacks too;
- cuts a Slack library's record where a payload starts (the first `{`, `[` or `body:`): what
  follows can hold people's words. The head (which call, which status) stays, for debugging.
`install()` puts it on the root logger's handlers; `leerzone run` calls it after configuring
logging, and anyone embedding the app can put `LogPrivacy()` on their own handlers.
"""

from __future__ import annotations

import logging
import re

TOKEN = re.compile(r"\b(xox[a-z]|xapp|xoxe(?:\.xox[a-z])?)-[A-Za-z0-9-]+")
SECRET_FIELD = re.compile(
    r"""(["']?(?:client_secret|signing_secret|access_token|refresh_token|token)["']?\s*[:=]\s*)"""
    r"""(["']?)[^"',\s}&]+"""
)
BEARER = re.compile(r"(Bearer\s+)\S+", re.IGNORECASE)
LIBRARIES = ("slack_sdk", "slack_bolt", "urllib3")
PAYLOAD_STARTS = ("{", "[", "body:", "body=")
WITHHELD = "… (payload withheld: it can hold message text)"
# Bolt warns at every start that the token it read from the environment is unused: we give it
# a client built with that very token, so the warning only confuses an operator.
NOISE = ("As you gave `client` as well, `token` will be unused.",)


def mask(text: str) -> str:
    text = TOKEN.sub(lambda m: f"{m.group(1)}-•••", text)
    text = BEARER.sub(r"\1•••", text)
    return SECRET_FIELD.sub(r"\1\2•••", text)


class LogPrivacy(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message in NOISE:
            return False
        if record.name.startswith(LIBRARIES):
            starts = (message.find(mark) for mark in PAYLOAD_STARTS)
            cut = min((i for i in starts if i >= 0), default=-1)
            if cut >= 0:
                message = message[:cut].rstrip() + " " + WITHHELD
        record.msg, record.args = mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


def install(logger: logging.Logger | None = None) -> LogPrivacy:
    """Put the filter on every handler of `logger` (the root logger by default)."""
    target = logger or logging.getLogger()
    privacy = LogPrivacy()
    for handler in target.handlers:
        if not any(isinstance(f, LogPrivacy) for f in handler.filters):
            handler.addFilter(privacy)
    return privacy
