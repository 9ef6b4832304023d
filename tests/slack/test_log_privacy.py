"""The log never holds a token or a message's words, at any level: checked on the output of
a real `leerzone run` at DEBUG, and on the filter itself."""

import logging
import sqlite3

from bot.sandbox.personas import ANNA, BRAM, CHANNEL, SANNE
from bot.sandbox.standin import BOT_USER_ID, RESPONSE_URL
from bot.slack.log_privacy import WITHHELD, LogPrivacy, mask
from bot.ui import ids

SECRETS = ("GEHEIMFOUT", "GEHEIMLES", "GEHEIMCUE", "GEHEIMVRAAG")


def test_a_debug_run_logs_no_text_and_no_token(leerzone_run, standin, wait_until):
    standin.members[CHANNEL] = [ANNA, BRAM, SANNE, BOT_USER_ID]
    run = leerzone_run(LOG_LEVEL="DEBUG", LEERZONE_LEADERS=SANNE)
    sim = run.sim
    assert sim.slash(ANNA, CHANNEL, "GEHEIMFOUT ik vergat de bijlage").status == 200
    assert sim.slash(ANNA, CHANNEL, "").status == 200  # the form
    view = standin.wait_calls("views.open")[0].args["view"]
    sim.submit(ANNA, view, {ids.BLOCK_WHAT: "ik wiste de map", ids.BLOCK_LESSON: "GEHEIMLES"})
    report = "sorry, ik heb per ongeluk de GEHEIMCUE prijslijst naar de klant gestuurd"
    assert (
        sim.send_event(
            {"type": "message", "channel": CHANNEL, "user": BRAM, "text": report, "ts": "5.1"}
        ).status
        == 200
    )
    assert (
        sim.send_event(
            {
                "type": "message",
                "channel": CHANNEL,
                "user": ANNA,
                "text": "GEHEIMVRAAG?",
                "ts": "5.2",
            }
        ).status
        == 200
    )
    standin.wait_calls(RESPONSE_URL, 2)
    db = sqlite3.connect(run.env["LEERZONE_DB"])
    wait_until(lambda: db.execute("SELECT count(*) FROM scans").fetchone()[0] == 1, 10)
    assert run.stop() == 0
    out = run.output()
    assert " DEBUG " in out and WITHHELD in out  # the level was really on
    for secret in SECRETS:
        assert secret not in out, secret
    assert "xoxb-run-test" not in out and "run-secret" not in out


def _record(name, msg, *args, exc=None):
    return logging.LogRecord(name, logging.DEBUG, __file__, 1, msg, args, exc)


def test_the_filter_masks_tokens_everywhere_and_cuts_library_payloads():
    privacy = LogPrivacy()
    reply = (
        "Received the following response - status: 200, body: "
        "{'access_token': 'xoxb-1-2-abc', 'authed_user': {'access_token': 'xoxp-9-8'}}"
    )
    record = _record("slack_sdk.web.base_client", reply)
    assert privacy.filter(record)
    assert record.getMessage() == "Received the following response - status: 200, " + WITHHELD
    acked = _record("slack_bolt.App", 'Responding with status: 200 body: "Dank je, GEHEIM"')
    privacy.filter(acked)
    assert "GEHEIM" not in acked.getMessage()
    ours = _record("bot.jobs", "token %s for %s", "xoxb-123-abc", "T1")
    privacy.filter(ours)
    assert "xoxb-123" not in ours.getMessage() and "T1" in ours.getMessage()
    try:
        raise RuntimeError("failed with Bearer xoxp-55-66 and client_secret=abc123")
    except RuntimeError as err:
        failed = _record("bot.app", "boom", exc=(type(err), err, err.__traceback__))
    privacy.filter(failed)
    assert "xoxp-55" not in failed.exc_text and "abc123" not in failed.exc_text
    assert mask("xapp-1-A-b and 'signing_secret': 'zz9'") == "xapp-••• and 'signing_secret': '•••'"
    noise = _record("slack_bolt.App", "As you gave `client` as well, `token` will be unused.")
    assert not privacy.filter(noise)
