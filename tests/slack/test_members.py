"""A channel's members, page by page, as Slack hands them out (conversations.members).

Slack's docs: a page holds at most `limit` members (default 100) and "fewer than the requested
number of items may be returned, even if the end of the users list hasn't been reached";
`response_metadata.next_cursor` names the next page and is empty after the last. A leader on
the last page of a big channel is as much a member as one on the first.
"""

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.standin import SlackStandIn
from bot.slack.members import MembersCache

PEOPLE = [f"U{n:03d}" for n in range(7)]


@pytest.fixture
def paging():
    with SlackStandIn(members={"C1": PEOPLE}) as standin:
        standin.page_max = 3  # Slack gives fewer than asked: three per page
        yield standin, WebClient(token="xoxb-1", base_url=standin.base_url)


def test_the_stand_in_pages_as_slack_documents(paging):
    standin, client = paging
    first = client.conversations_members(channel="C1", limit=1000)
    assert first["members"] == PEOPLE[:3]
    cursor = first["response_metadata"]["next_cursor"]
    assert cursor  # opaque: a base64 token, as Slack's
    second = client.conversations_members(channel="C1", limit=1000, cursor=cursor)
    assert second["members"] == PEOPLE[3:6]
    last = client.conversations_members(
        channel="C1", cursor=second["response_metadata"]["next_cursor"]
    )
    assert last["members"] == PEOPLE[6:] and last["response_metadata"]["next_cursor"] == ""
    assert client.conversations_members(channel="C1", limit=2)["members"] == PEOPLE[:2]
    for cursor, error in (("bm90LWEtY3Vyc29y", "invalid_cursor"), ("%%%", "invalid_cursor")):
        with pytest.raises(SlackApiError) as refused:
            client.conversations_members(channel="C1", cursor=cursor)
        assert refused.value.response["error"] == error
    with pytest.raises(SlackApiError) as refused:
        client.conversations_members(channel="C1", limit=0)
    assert refused.value.response["error"] == "invalid_limit"


def test_every_page_is_read_and_remembered(paging):
    standin, client = paging
    cache = MembersCache()
    assert cache.members(client, "T1", "C1") == frozenset(PEOPLE)
    assert len(standin.calls_to("conversations.members")) == 3
    assert cache.remembered("T1", "C1") == frozenset(PEOPLE)
    cache.members(client, "T1", "C1")
    assert len(standin.calls_to("conversations.members")) == 3  # remembered: not asked again


def test_a_failure_on_a_later_page_is_not_remembered_as_the_member_list(paging):
    """Half a member list would leave out leaders on the missing pages: nothing is kept, and
    the next message asks Slack again."""
    standin, client = paging
    real = client.conversations_members

    def slack_fails_after_the_first_page(**args):
        page = real(**args)
        if not args.get("cursor"):
            standin.fail("conversations.members", "fetch_members_failed")
        return page

    client.conversations_members = slack_fails_after_the_first_page  # type: ignore[method-assign]
    cache = MembersCache()
    assert cache.members(client, "T1", "C1") == frozenset()
    assert [
        call.args.get("cursor") is None for call in standin.calls_to("conversations.members")
    ] == [
        True,
        False,
    ]
    assert cache.remembered("T1", "C1") is None
    client.conversations_members = real  # type: ignore[method-assign]
    assert cache.members(client, "T1", "C1") == frozenset(PEOPLE)  # Slack answers again


def test_a_member_change_while_slack_pages_is_not_remembered_as_before(paging):
    """Slack says someone left while the list was still coming in: that list may be from
    before the change, so it serves the message that asked and nothing after it."""
    standin, client = paging
    cache = MembersCache()
    real = client.conversations_members

    def someone_leaves_meanwhile(**args):
        page = real(**args)
        if not args.get("cursor"):
            cache.forget("T1", "C1")  # member_left_channel arrives between two pages
        return page

    client.conversations_members = someone_leaves_meanwhile  # type: ignore[method-assign]
    assert cache.members(client, "T1", "C1") == frozenset(PEOPLE)
    assert cache.remembered("T1", "C1") is None
    client.conversations_members = real  # type: ignore[method-assign]
    cache.members(client, "T1", "C1")
    assert cache.remembered("T1", "C1") == frozenset(PEOPLE)
