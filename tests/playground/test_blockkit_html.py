"""The playground's Block Kit renderer: Slack's look, and no way for user text to become HTML."""

import re

import pytest

from bot.playground.blockkit_html import message, mrkdwn, view
from bot.sandbox.samples import sample_failure, sample_tip
from bot.ui import failure_views, tip_views
from bot.ui.texts import Texts, slack_escape

NAMES = {"U0ANNA": "Anna", "C0TEAM": "team"}
ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<!channel> <!here> <!everyone>",
    "<javascript:alert(1)|klik hier>",
    '"><svg onload=alert(1)>',
    "&lt;b&gt;niet vet&lt;/b&gt; &amp; zo",
]


TAG = re.compile(r"<\s*(/?)([a-zA-Z0-9]+)([^>]*)>")
ATTRIBUTE = re.compile(r'([a-zA-Z-]+)="([^"]*)"')


def no_markup_from(rendered: str) -> None:
    """Only the renderer's own tags, with only its own attributes, and only web links."""
    for _close, tag, attrs in TAG.findall(rendered):
        assert tag.lower() in {"b", "i", "s", "code", "br", "blockquote", "span", "a", "div"}, tag
        leftover = ATTRIBUTE.sub("", attrs).strip()
        assert leftover == "", f"stray attribute text in <{tag}{attrs}>"
        for name, value in ATTRIBUTE.findall(attrs):
            assert name in {"class", "href", "rel", "target"} or name.startswith("data-"), name
            if name == "href":
                assert value.startswith(("https://", "http://", "mailto:")), value


@pytest.mark.parametrize("attack", ATTACKS)
def test_user_text_never_becomes_html_raw_or_slack_escaped(attack):
    for text in (attack, slack_escape(attack)):
        no_markup_from(mrkdwn(text, NAMES))


def test_an_injected_script_shows_as_text():
    shown = mrkdwn(slack_escape("<script>alert(1)</script>"))
    assert shown == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_mrkdwn_styles_links_mentions_and_quotes():
    html = mrkdwn(
        "*vet* _schuin_ ~weg~ `code` <@U0ANNA> in <#C0TEAM> "
        "<https://example.org/a?b=1&amp;c=2|bekijk> :seedling:\n> geciteerd\nnormaal",
        NAMES,
    )
    assert "<b>vet</b>" in html and "<i>schuin</i>" in html and "<s>weg</s>" in html
    assert "<code>code</code>" in html and "@Anna" in html and "#team" in html
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer"' in html
    assert "🌱" in html and "<blockquote>geciteerd</blockquote>normaal" in html


def test_links_only_for_web_and_mail_addresses():
    assert "<a " not in mrkdwn("<javascript:alert(1)|klik>")
    assert "<a " not in mrkdwn("<data:text/html,x|klik>")
    assert "<a " in mrkdwn("<mailto:hr@example.org|mail>")
    assert "<!channel>" not in mrkdwn("<!channel>") and "@channel" in mrkdwn("<!channel>")


def test_the_bots_own_messages_render_with_working_controls():
    texts = Texts("nl")
    entry = sample_failure(text="<script>x</script>")
    tip = sample_tip()
    logged = message(failure_views.logged_message(texts, entry), NAMES)
    assert "&lt;script&gt;" in logged and "<script" not in logged
    assert 'data-action-id="lz_add_lesson"' in logged and "<select" in logged
    tip_html = message(tip_views.tip_message(texts, tip, "oeps", "U0ANNA"), NAMES)
    assert 'data-action-id="lz_nudge_done"' in tip_html and "@Anna" in tip_html
    modal = view(failure_views.failure_modal(texts, {"channel_id": "C0TEAM"}), NAMES)
    assert "<textarea" in modal and 'class="btn primary submit"' in modal
