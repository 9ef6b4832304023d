"""The steps of a review: ask the author, open it in the thread, stop it, close it with a lesson.

Every step moves the review's status from an expected one (asked → open → closed, or to
declined / stopped), so a double click or a second process does each step once.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot.deps import Deps
from bot.nudges.policy import is_working_time
from bot.reviews.store import Review
from bot.slack.clients import SLACK_ERRORS, send_dm, slack_error
from bot.slack.history import permalink
from bot.ui import blocks, review_views

log = logging.getLogger(__name__)


def ask_author(deps: Deps, client: WebClient, review: Review, leader: str) -> bool:
    """A leader proposed a review: the author decides, in a DM of their own."""
    texts = deps.user_texts(review.team_id, review.author_id)
    link = permalink(client, review.channel_id, review.thread_ts)
    message = review_views.consent_request(texts, review, leader, link)
    return send_dm(client, review.team_id, review.author_id, message, "review consent")


def open_review(deps: Deps, client: WebClient, review: Review, share: str) -> str | None:
    """With the author's consent: the questions go in the thread; the leaders hear of it.
    Returns None when it went well, else Slack's error (the review is then not open)."""
    if not deps.reviews.move(review, "open", ("asked",), share=share):
        return None  # a second click: already opened (or declined) by the first
    review = deps.reviews.get(review.team_id, review.id) or review
    texts = deps.texts(review.team_id, review.channel_id)
    try:
        response = client.chat_postMessage(
            channel=review.channel_id,
            thread_ts=review.thread_ts,
            unfurl_links=False,
            **review_views.review_post(texts, review),
        )
    except SLACK_ERRORS as err:
        log.warning("posting a review in %s failed: %s", review.channel_id, slack_error(err))
        deps.reviews.move(review, "asked", ("open",))  # the author can try again
        return slack_error(err)
    deps.reviews.set_post(review, str(response.get("ts")))
    invite_leaders(deps, client, review)
    return None


def invite_leaders(deps: Deps, client: WebClient, review: Review) -> int:
    """A DM with the lesson button to each leader of the channel (not the author), unless they
    chose tips in Home only or it is outside working hours: the review waits in their Home."""
    leaders = deps.channels.leaders(review.team_id, review.channel_id)[0]
    local = deps.now().astimezone(deps.settings.tz)
    if not is_working_time(local, deps.settings.working_hours):
        return 0
    link = permalink(client, review.channel_id, review.thread_ts)
    sent = 0
    for leader in leaders:
        if leader == review.author_id:
            continue
        if deps.prefs.get(review.team_id, leader).tip_delivery == "home":
            continue
        texts = deps.user_texts(review.team_id, leader)
        message = review_views.leader_invite(texts, review, link)
        sent += send_dm(client, review.team_id, leader, message, "review invite")
    return sent


def decline(deps: Deps, client: WebClient, review: Review) -> bool:
    if not deps.reviews.move(review, "declined", ("asked",)):
        return False
    if review.leader_id:
        texts = deps.user_texts(review.team_id, review.leader_id)
        text = texts.part("review", "declined_leader", author=review.author_id)
        send_dm(client, review.team_id, review.leader_id, blocks.notice(text), "review declined")
    return True


def stop(deps: Deps, client: WebClient, review: Review) -> bool:
    """The author stops it: the questions make way for a short note; no lesson follows."""
    if not deps.reviews.move(review, "stopped", ("asked", "open")):
        return False
    if review.post_ts:
        texts = deps.texts(review.team_id, review.channel_id)
        try:
            client.chat_update(
                channel=review.channel_id, ts=review.post_ts, **review_views.stopped_post(texts)
            )
        except SLACK_ERRORS as err:
            log.warning("updating a stopped review failed: %s", slack_error(err))
    return True


def close_with_lesson(deps: Deps, client: WebClient, review: Review, lesson: str) -> str | None:
    """The team's lesson as a learning card in the thread; None when it went well."""
    if not deps.reviews.move(review, "closed", ("open",), lesson=lesson):
        return "gone"
    texts = deps.texts(review.team_id, review.channel_id)
    try:
        client.chat_postMessage(
            channel=review.channel_id,
            thread_ts=review.thread_ts,
            unfurl_links=False,
            **review_views.lesson_card(texts, review, lesson),
        )
    except SLACK_ERRORS as err:
        log.warning("posting a review's lesson failed: %s", slack_error(err))
        deps.reviews.move(review, "open", ("closed",))
        return slack_error(err)
    return None
