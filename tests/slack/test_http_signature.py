"""The real HTTP server: Slack's request signing is enforced."""

import time
from urllib.parse import urlencode

from bot.sandbox.simulator import post, signed_headers

FORM = "application/x-www-form-urlencoded"


def body(standin) -> str:
    return urlencode(
        {
            "team_id": "T0LEERZONE",
            "channel_id": "C0TEAM",
            "user_id": "U0ANNA",
            "command": "/fout",
            "text": "help",
            "trigger_id": "1.1.x",
            "response_url": standin.response_url("commands/1"),
        }
    )


def test_valid_signature_is_accepted(server, standin, settings):
    secret = settings.signing_secret
    data = body(standin)
    reply = post(server.url, data, FORM, signed_headers(secret, data))
    assert reply.status == 200
    assert "/fout lijst" in str(standin.wait_calls("response_url")[0].args)


def test_bad_signature_is_refused(server, standin, deps):
    data = body(standin).replace("help", "oeps")
    reply = post(server.url, data, FORM, signed_headers("not-the-secret", data))
    assert reply.status == 401
    assert deps.storage.db["failures"].count == 0
    assert standin.calls_to("response_url") == []


def test_tampered_body_is_refused(server, standin, settings):
    secret = settings.signing_secret
    data = body(standin)
    reply = post(
        server.url,
        data.replace("help", "oeps"),
        FORM,
        signed_headers(secret, data),
    )
    assert reply.status == 401


def test_missing_signature_is_refused(server, standin):
    assert post(server.url, body(standin), FORM, {}).status == 401


def test_stale_timestamp_is_refused(server, standin, settings):
    secret = settings.signing_secret
    data, old = body(standin), int(time.time()) - 10 * 60
    assert post(server.url, data, FORM, signed_headers(secret, data, timestamp=old)).status == 401


def test_health_and_unknown_paths(server, standin, settings):
    secret = settings.signing_secret
    import urllib.request

    base = server.url.removesuffix("/slack/events")
    with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
        assert response.status == 200 and response.read() == b"ok"
    data = body(standin)
    assert post(base + "/elsewhere", data, FORM, signed_headers(secret, data)).status == 404
