"""Block Kit builders: within Slack's limits and valid against the Block Kit schema."""

import json

import pytest

from bot.insights.home_data import HomeData
from bot.sandbox.samples import sample_failure as failure
from bot.sandbox.shared import SLACK_FIXTURES
from bot.team_prompts.rotation import Schedule
from bot.ui import blocks, failure_views, home_views
from bot.ui.texts import Texts

LANGS = ["nl", "en"]


def all_surfaces(lang):
    t = Texts(lang)
    worst = "&<>" * 1000  # 3000 characters that triple in length when escaped
    fs = [
        failure(),
        failure(text=worst, lesson=worst, shared="named", shared_channel_id="C1"),
        failure(kind="intelligent", lesson="les", kind_source="user"),
    ]
    meta = {"channel_id": "C1", "lang": lang, "response_url": "https://hooks.slack.com/x" * 20}
    messages = []
    for f in fs:
        messages += [
            failure_views.logged_message(t, f),
            failure_views.share_choice_message(t, f, "C1"),
            failure_views.learning_card(t, f, "U0ANNA", anonymous=False),
            failure_views.learning_card(t, f, "U0ANNA", anonymous=True),
        ]
    modals = [
        failure_views.failure_modal(t, meta),
        failure_views.failure_modal(t, meta, share="anonymous"),
    ]
    modals += [failure_views.lesson_modal(t, f, {"failure_id": f.id, **meta}) for f in fs]
    channel = {
        "channel_id": "C1",
        "leaders": ("U1", "U2"),
        "next_prompt": "maandag 30 november",
        "every_weeks": 2,
        "minimum": 5,
        "enough": True,
        "failures": 9,
        "preventable": 3,
        "complex": 3,
        "intelligent": 3,
        "lessons": 4,
        "shared": 2,
        "replies": None,
        "tips_sent": 3,
        "tips_done": 1,
        "tips_later": 1,
        "tips_false": 1,
    }
    homes = [
        home_views.home_view(t, HomeData("T", "U", [], 0, 1, 1, lang)),
        home_views.home_view(
            t,
            HomeData(
                "T",
                "U",
                fs * 3,
                900,
                3,
                113,
                lang,
                [channel, {**channel, "enough": False, "next_prompt": None}] * 4,
                12,
            ),
        ),
    ]
    modals.append(home_views.schedule_modal(t, "C1", Schedule()))
    return messages, modals, homes


def texts_in(node, path=""):
    if isinstance(node, dict):
        if node.get("type") in ("plain_text", "mrkdwn") and "text" in node:
            yield path, node["type"], node["text"]
        for key, value in node.items():
            yield from texts_in(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from texts_in(item, f"{path}/{i}")


@pytest.mark.parametrize("lang", LANGS)
def test_limits(lang):
    messages, modals, homes = all_surfaces(lang)
    for message in messages:
        assert len(message["blocks"]) <= 50
        assert 0 < len(message["text"]) <= 4000
    for view in modals + homes:
        assert len(view["blocks"]) <= 100
        assert len(view.get("private_metadata", "")) <= 3000
    for view in modals:
        for key in ("title", "submit", "close"):
            assert len(view[key]["text"]) <= 24, view[key]
    for surface in messages + modals + homes:
        for path, kind, text in texts_in(surface):
            assert text.strip(), path
            if "/blocks/" in path and path.endswith("/text") and kind == "mrkdwn":
                assert len(text) <= 3000, path
            if "/elements/" in path and "/options/" not in path and kind == "plain_text":
                assert len(text) <= 75, (path, text)
            if "/options/" in path:
                assert len(text) <= 75, (path, text)
            if "placeholder" in path:
                assert len(text) <= 150, path


def test_fit_never_cuts_an_escape_in_half():
    text = "a" * 2997 + "&amp;"
    cut = blocks.fit(text)
    assert len(cut) <= 3000 and cut.endswith("a…")


def test_public_card_names_the_author_only_when_chosen():
    t = Texts("nl")
    named = json.dumps(failure_views.learning_card(t, failure(), "U0ANNA", anonymous=False))
    anon = json.dumps(failure_views.learning_card(t, failure(), "U0ANNA", anonymous=True))
    assert "<@U0ANNA>" in named
    assert "U0ANNA" not in anon


def test_metadata_round_trip_and_garbage():
    meta = {"channel_id": "C1", "lang": "en"}
    assert blocks.decode_metadata(blocks.encode_metadata(meta)) == meta
    assert blocks.decode_metadata("not json") == {}
    assert blocks.decode_metadata("[1]") == {}


@pytest.mark.parametrize("lang", LANGS)
def test_surfaces_validate_against_the_block_kit_schema(lang):
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = SLACK_FIXTURES / "blockkit" / "slack-block-kit.schema.json"
    if not schema_path.exists():
        pytest.skip(f"Block Kit schema not found at {schema_path}")
    schema = json.loads(schema_path.read_text())
    messages, modals, homes = all_surfaces(lang)

    def validator(name):
        return jsonschema.Draft202012Validator(
            {"$defs": schema["$defs"], "$ref": f"#/$defs/{name}"}
        )

    modal_v, home_v = validator("modal_view"), validator("home_view")
    for view in modals:
        errors = sorted(modal_v.iter_errors(view), key=str)
        assert not errors, errors[0].message
    for view in homes:
        errors = sorted(home_v.iter_errors(view), key=str)
        assert not errors, errors[0].message
    blocks_v = jsonschema.Draft202012Validator(schema)  # the root validates a blocks array
    for message in messages:
        errors = list(blocks_v.iter_errors(message["blocks"]))
        assert not errors, errors[0].message
