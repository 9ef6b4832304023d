import os
import subprocess
import sys

import pytest

from bot.config import ConfigError, Settings

BASE = {"SLACK_BOT_TOKEN": "xoxb-1-2", "SLACK_SIGNING_SECRET": "s3cret"}


def test_defaults_from_a_minimal_environment():
    s = Settings.from_env(BASE)
    assert (s.port, s.language, s.timezone, s.db_path) == (
        3000,
        "nl",
        "Europe/Amsterdam",
        "data/leerzone.db",
    )
    assert s.api_url == "https://slack.com/api/"
    assert not s.socket_mode
    assert s.default_leaders == ()


def test_all_variables_are_read_and_normalised():
    s = Settings.from_env(
        {
            **BASE,
            "SLACK_APP_TOKEN": "xapp-1",
            "SLACK_API_URL": "http://127.0.0.1:9999/api",
            "PORT": "8080",
            "LEERZONE_DB": "/tmp/x.db",
            "LEERZONE_LEADERS": "U111AAA, W222BBB",
            "LEERZONE_LANGUAGE": "EN",
            "LEERZONE_TIMEZONE": "America/New_York",
        }
    )
    assert s.socket_mode and s.app_token == "xapp-1"
    assert s.api_url == "http://127.0.0.1:9999/api/"
    assert s.port == 8080 and s.db_path == "/tmp/x.db"
    assert s.default_leaders == ("U111AAA", "W222BBB")
    assert s.language == "en" and s.tz.key == "America/New_York"


@pytest.mark.parametrize(
    "env, variable",
    [
        ({"SLACK_SIGNING_SECRET": "x"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({**BASE, "SLACK_BOT_TOKEN": "xoxp-user"}, "SLACK_BOT_TOKEN"),
        ({**BASE, "SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN"),
        ({**BASE, "PORT": "http"}, "PORT"),
        ({**BASE, "PORT": "70000"}, "PORT"),
        ({**BASE, "LEERZONE_LANGUAGE": "de"}, "LEERZONE_LANGUAGE"),
        ({**BASE, "LEERZONE_TIMEZONE": "Mars/Olympus"}, "LEERZONE_TIMEZONE"),
        ({**BASE, "LEERZONE_LEADERS": "anna"}, "LEERZONE_LEADERS"),
        ({**BASE, "SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
        ({**BASE, "LEERZONE_DIGEST": "someday"}, "LEERZONE_DIGEST"),
        ({**BASE, "LEERZONE_PROMPT_GRACE_HOURS": "lots"}, "LEERZONE_PROMPT_GRACE_HOURS"),
        ({**BASE, "LEERZONE_DAILY_NUDGES": "-1"}, "LEERZONE_DAILY_NUDGES"),
    ],
)
def test_invalid_settings_name_the_variable(env, variable):
    with pytest.raises(ConfigError) as err:
        Settings.from_env(env)
    assert err.value.variable == variable
    assert variable in str(err.value)


def test_socket_mode_needs_no_signing_secret():
    s = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert s.socket_mode and s.signing_secret is None


def test_demo_settings_need_no_tokens():
    assert Settings.from_env({}, require_tokens=False).bot_token is None


@pytest.mark.parametrize(
    "env, variable",
    [({}, "SLACK_BOT_TOKEN"), ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET")],
)
def test_run_without_credentials_exits_2_with_one_line(tmp_path, env, variable):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEERZONE_"))}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env={**clean, **env},
        cwd=tmp_path,  # no .env here
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0]
