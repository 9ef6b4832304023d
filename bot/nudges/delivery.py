"""Acting on a verdict: count, record, claim each planned tip, and deliver it so it is seen.

Every tip is claimed in the database before it is sent (one per leader, thread and purpose;
the daily cap counted in the same transaction), so Slack's retries and a second process never
send it twice; a tip stays `pending` until it was delivered, and a restart delivers those.

Delivery follows Slack's rules for what a person sees, not what the API accepts: a DM is seen
whenever the leader looks; an ephemeral only by a leader active at that moment, and in a thread
only when the thread already has replies. So the "in the channel" choice asks Slack whether the
leader is active and falls back to a DM, and only a report that is itself a reply gets its
ephemeral in the thread. A tip is marked sent only when it went out in a way the leader sees.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient

from bot.deps import Deps
from bot.nudges.policy import (
    Limits,
    Route,
    Tip,
    Verdict,
    choose_route,
    is_working_time,
    plan_tips,
    wants_suggestions,
)
from bot.nudges.store import Nudge
from bot.slack.clients import SLACK_ERRORS, Clients, client_for, send_dm, slack_error
from bot.slack.history import find_own_post, metadata, permalink
from bot.ui import tip_views
from bot.ui.texts import texts_for

log = logging.getLogger(__name__)

CUE_MAX = 80
PENDING_MAX_AGE = timedelta(days=1)  # an older pending tip is no longer useful
TIP_EVENT = "leerzone_tip"  # Slack message metadata on every tip sent by DM


@dataclass(frozen=True)
class Outgoing:
    """Tips claimed before the ack that Slack has to carry: the worker pool's part of a
    message when everything else was recorded in the request (see `record_now`). With each
    tip its route when that was chosen as it was claimed (None: chosen when it is sent)."""

    tips: tuple[tuple[Nudge, Tip, Route | None], ...]
    cue: str
    in_thread: bool
    lang: str | None


def act_on_verdict(
    deps: Deps, client: WebClient, verdict: Verdict, event_id: str | None = None
) -> None:
    """Count, record and claim in one transaction, then deliver. `event_id`: the Slack event
    the verdict came from, finished in that same transaction (a claimed tip that a stop
    leaves undelivered is `pending`, and the next start delivers it: `recover_pending_tips`).

    Slack is asked who is in the channel before the transaction, never inside it: the
    database's write lock is not held across a call to Slack."""
    members = known_members(deps, verdict)
    if members is None:
        members = deps.members.members(client, verdict.team_id, verdict.channel_id)
    with deps.storage.write():  # one transaction (see Storage.write)
        claimed = _record(deps, verdict, members)
        if event_id:
            deps.nudges.finish_event(event_id)
    outgoing = _outgoing(verdict, [(nudge, tip, None) for nudge, tip in claimed])
    send(deps, client, outgoing)


def known_members(deps: Deps, verdict: Verdict) -> frozenset[str] | None:
    """Who is in the message's channel as far as the tips need to know without asking Slack:
    nobody when no suggestion can follow, the remembered member list when there is one, None
    when Slack has to be asked (then the pool does it, after the ack)."""
    if not wants_suggestions(verdict, Limits(daily=deps.settings.daily_nudges)):
        return frozenset()
    return deps.members.remembered(verdict.team_id, verdict.channel_id)


def record_now(
    deps: Deps, verdict: Verdict, members: frozenset[str], event_id: str, wait_ms: int | None
) -> Outgoing | None:
    """Before the ack, when Slack need not be asked who is in the channel: the event is
    claimed as done, the scan recorded, the tips claimed, and those that wait (over the daily
    cap, in Home, outside working hours) put aside, in one transaction; what is left for the
    pool is what Slack has to carry, or None. No work item is stored: once the transaction
    is committed, all that can be unfinished is a *pending* tip, which the next start sends.
    None too for Slack's retry of an event we already have.

    Why: a report handled in the request costs one transaction, where a work item stored
    before the ack and the work done after it in the pool cost two and a hand-over between
    threads (on the event benchmark about 0.5 ms per report inside the server)."""
    with deps.storage.write(wait_ms):  # everything below joins this transaction
        if not deps.nudges.claim_event(event_id, verdict.team_id, deps.now(), done=True):
            return None
        tips: list[tuple[Nudge, Tip, Route | None]] = []
        for nudge, tip in _record(deps, verdict, members):
            route = _route(deps, nudge)
            if route in ("home", "held"):
                _put_aside(deps, nudge, route)
            else:
                tips.append((nudge, tip, route))
    return _outgoing(verdict, tips) if tips else None


def _record(deps: Deps, verdict: Verdict, members: frozenset[str]) -> list[tuple[Nudge, Tip]]:
    """The reply counts, the scan and the tips' claims, in the caller's transaction."""
    team_id, channel_id = verdict.team_id, verdict.channel_id
    limits = Limits(
        daily=deps.settings.daily_nudges,
        thanked_this_week=verdict.by_leader and _thanked_this_week(deps, verdict),
    )
    now = deps.now()
    muted = frozenset(
        leader
        for leader in verdict.leaders
        if leader in members and deps.nudges.is_muted(team_id, channel_id, leader, now)
    )
    if verdict.prompt_thread:
        deps.prompts.count_reply(team_id, channel_id, verdict.thread_ts)  # counted, no text
    if verdict.review_thread:
        deps.reviews.count_reply(team_id, channel_id, verdict.thread_ts)  # counted, no text
    claimed: list[tuple[Nudge, Tip]] = []
    if _still_a_report(deps, verdict):
        for tip in plan_tips(verdict, members, muted, limits):
            nudge = _claim(deps, verdict, tip)
            if nudge is not None:
                claimed.append((nudge, tip))
    return claimed


def _outgoing(verdict: Verdict, tips: list[tuple[Nudge, Tip, Route | None]]) -> Outgoing:
    found = verdict.blame or verdict.mistake
    return Outgoing(
        tips=tuple(tips),
        cue=((found.cue if found else None) or "")[:CUE_MAX],
        in_thread=verdict.in_thread,
        lang=found.lang if found else None,
    )


def send(deps: Deps, client: WebClient, outgoing: Outgoing) -> None:
    """Deliver each claimed tip (the worker pool's part of a message)."""
    for nudge, tip, route in outgoing.tips:
        deliver(
            deps,
            client,
            nudge,
            outgoing.cue,
            in_thread=outgoing.in_thread,
            lang=outgoing.lang,
            author=tip.about,
            route=route,
        )


def _still_a_report(deps: Deps, verdict: Verdict) -> bool:
    """Record a detected report's scan; False when a leader called the message no report
    (then nothing more comes of it). A verdict without a report (blame, a reply) is left as
    it is."""
    mistake = verdict.mistake
    if verdict.blame is not None or mistake is None:
        return True
    return deps.nudges.record_scan(
        team_id=verdict.team_id,
        channel_id=verdict.channel_id,
        ts=verdict.ts,
        thread_ts=verdict.thread_ts,
        kind=mistake.kind,
        score=mistake.score,
        cue_category=mistake.cue_category,
        unless_false_positive=True,
    )


def _thanked_this_week(deps: Deps, verdict: Verdict) -> bool:
    week_ago = deps.now() - timedelta(days=7)
    return deps.nudges.count_since(verdict.team_id, verdict.author, week_ago, ("appreciation",)) > 0


def _claim(deps: Deps, verdict: Verdict, tip: Tip) -> Nudge | None:
    return deps.nudges.claim(
        team_id=verdict.team_id,
        channel_id=verdict.channel_id,
        thread_ts=verdict.thread_ts,
        message_ts=verdict.ts,
        leader_id=tip.leader,
        purpose=tip.purpose,
        kind=tip.kind,
        since=deps.start_of_day() if tip.capped else None,
        limit=deps.settings.daily_nudges if tip.capped else None,
        at=deps.now(),
    )


def deliver(
    deps: Deps,
    client: WebClient,
    nudge: Nudge,
    cue: str,
    *,
    in_thread: bool,
    lang: str | None = None,
    author: str = "",
    recovering: bool = False,
    route: Route | None = None,
) -> bool:
    """Bring a claimed tip to its leader the way they chose; True if it was shown now.

    `author` (the reporter) is named in a tip sent now, from the event; it is never stored, so
    a tip that waits (Home, morning) or is recovered after a stop links to the message instead.

    `recovering`: the tip was left pending by a stopped process, so a DM first looks in the
    conversation for the tip, which may have gone out just before the stop.

    `route`: how it goes, when that was chosen as it was claimed (`record_now`).
    """
    route = route or _route(deps, nudge)
    if route in ("home", "held"):
        _put_aside(deps, nudge, route)
        return False
    nudge = with_permalink(deps, client, nudge)
    # in the language of the message, else of its channel
    if lang:
        texts = texts_for(lang, deps.settings.language)
    else:
        texts = deps.texts(nudge.team_id, nudge.channel_id)
    message = tip_views.tip_message(texts, nudge, cue, author)
    try:
        if route == "channel" and _is_active(client, nudge.leader_id):
            # only a thread that already has replies shows an ephemeral
            where: dict[str, Any] = {"thread_ts": nudge.thread_ts} if in_thread else {}
            client.chat_postEphemeral(
                channel=nudge.channel_id, user=nudge.leader_id, **where, **message
            )
            via = "channel"
        else:
            dm = client.conversations_open(users=nudge.leader_id)["channel"]["id"]
            mark = metadata(TIP_EVENT, nudge=nudge.id)
            if recovering and find_own_post(
                client, dm, TIP_EVENT, nudge.created_at, nudge=nudge.id
            ):
                log.warning("tip %s had been sent before a stop", nudge.id)
                deps.nudges.set_status(nudge, "sent", delivered_via="dm")
                return False
            client.chat_postMessage(channel=dm, unfurl_links=False, metadata=mark, **message)
            via = "dm"
    except SLACK_ERRORS as err:
        # the tip is not lost: it waits in the leader's Home tab, and does not count
        log.warning("tip to %s not delivered: %s", nudge.leader_id, slack_error(err))
        deps.nudges.set_status(nudge, "home", delivered_via="home")
        return False
    deps.nudges.set_status(nudge, "sent", delivered_via=via)
    return True


def _route(deps: Deps, nudge: Nudge) -> Route:
    """The way this tip goes now: the leader's choice, unless it has to wait."""
    preference = deps.prefs.get(nudge.team_id, nudge.leader_id).tip_delivery
    local_now = deps.now().astimezone(deps.settings.tz)
    return choose_route(
        preference,
        working_time=is_working_time(local_now, deps.settings.working_hours),
        over_cap=nudge.status == "home",
    )


def _put_aside(deps: Deps, nudge: Nudge, route: Route) -> None:
    """A tip that waits in Home or for the morning; the link is looked up when it is shown."""
    via = "home" if route == "home" else None
    if (nudge.status, nudge.delivered_via) != (route, via):  # over the cap: claimed so
        deps.nudges.set_status(nudge, route, delivered_via=via)


def _is_active(client: WebClient, user_id: str) -> bool:
    """Whether Slack says the leader is active now (unknown counts as away: a DM is safe)."""
    try:
        return client.users_getPresence(user=user_id).get("presence") == "active"
    except SLACK_ERRORS as err:
        log.warning("users.getPresence failed: %s", slack_error(err))
        return False


def with_permalink(deps: Deps, client: WebClient, nudge: Nudge) -> Nudge:
    """Remember the link to the message (a URL, never its words) for the tip and Home.
    Looked up when a tip is shown (sent now, in Home, in the morning DM), not when it is put
    aside: most moments over a leader's daily cap are never opened, and chat.getPermalink was
    the largest cost of a report on the event benchmark."""
    if nudge.permalink:
        return nudge
    link = permalink(client, nudge.channel_id, nudge.message_ts)
    return deps.nudges.set_permalink(nudge, link) if link else nudge


def recover_pending_tips(deps: Deps, clients: Clients) -> int:
    """At start-up: deliver the tips a stopped process had claimed but not delivered.

    The message text and its author are not stored, so the tip goes without the quoted cue
    and points at the message by its link;
    one older than a day is no longer useful and is marked failed instead.
    """
    sent = 0
    too_old = deps.now() - PENDING_MAX_AGE
    for nudge in deps.nudges.pending():
        workspace = client_for(clients, nudge.team_id)
        if workspace is None or datetime.fromisoformat(nudge.created_at) < too_old:
            deps.nudges.set_status(nudge, "failed")
            continue
        in_thread = nudge.thread_ts != nudge.message_ts
        sent += deliver(deps, workspace, nudge, "", in_thread=in_thread, recovering=True)
    return sent


def send_morning_summaries(deps: Deps, clients: Clients, at: datetime) -> int:
    """At the start of a working day: one short DM per leader with the tips held overnight."""
    if not is_working_time(at.astimezone(deps.settings.tz), deps.settings.working_hours):
        return 0
    sent = 0
    for team_id, leader_id in deps.nudges.leaders_with_held():
        held = deps.nudges.release_held(team_id, leader_id)
        if not held:
            continue  # another run took them
        client = client_for(clients, team_id)
        if client is not None:
            held = [with_permalink(deps, client, nudge) for nudge in held]
        texts = deps.user_texts(team_id, leader_id)
        message = tip_views.morning_summary(texts, held)
        if send_dm(clients, team_id, leader_id, message, "morning summary"):
            sent += 1
        else:
            deps.nudges.hold_again(held)
    return sent
