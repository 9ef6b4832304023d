"""The demo's story for the playground: one step per click on "Speel de demo af".

Each step is something a persona does; the page then shows that persona, so a visitor sees
the tip arrive in Sanne's DM, not in Anna's, and sees that nothing was stored of the words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.playground.session import Playground
from bot.sandbox.personas import ANNA, BRAM, SANNE
from bot.ui import ids


@dataclass(frozen=True)
class Step:
    narration: str  # a block of playground.j2 that says what happens
    persona: str
    kind: str  # say | click_private | pick_private | submit | reply_to_card | home
    text: str = ""
    action_id: str = ""
    values: tuple[tuple[str, str], ...] = ()  # submit: block id and value


DEMO_STEPS = (
    Step("demo_1", ANNA, "say", "/fout ik heb de offerte met de prijzen van vorig jaar gestuurd"),
    Step(
        "demo_2",
        BRAM,
        "say",
        "Sorry allemaal, ik ben vergeten de klant van order 4471 terug te bellen. "
        "Ik doe het nu meteen.",
    ),
    Step("demo_3", SANNE, "click_private", action_id=ids.ACTION_NUDGE_OTHER),
    Step("demo_4", ANNA, "say", "Wie gaat er mee lunchen? <script>alert('hallo')</script>"),
    Step("demo_5", SANNE, "home"),
    Step(
        "demo_6",
        BRAM,
        "say",
        "/fout de release liep vast: drie teams wijzigden tegelijk de configuratie",
    ),
    Step("demo_7", BRAM, "pick_private", text="complex", action_id=ids.ACTION_KIND),
    Step("demo_8", BRAM, "click_private", action_id=ids.ACTION_REVIEW_ENTRY),
    Step("demo_9", BRAM, "submit", values=((ids.BLOCK_REVIEW_SHARE, "named"),)),
    Step(
        "demo_10",
        ANNA,
        "reply_to_card",
        "Niemand wist dat de configuratie op twee plekken stond. Ik ook niet.",
    ),
    Step("demo_11", SANNE, "click_private", action_id=ids.ACTION_REVIEW_LESSON),
    Step(
        "demo_12",
        SANNE,
        "submit",
        values=((ids.BLOCK_REVIEW_LESSON, "De configuratie staat voortaan op één plek."),),
    ),
    Step("demo_13", ANNA, "say", "/fout vergeet-mij"),
    Step("demo_14", ANNA, "click_private", action_id=ids.ACTION_FORGET_YES),
)


def play_step(playground: Playground, step: Step) -> str:
    """Do one step; returns the persona the page should show next."""
    if step.kind == "say":
        playground.say(step.persona, step.text)
    elif step.kind == "home":
        playground.open_home(step.persona)
    elif step.kind in ("click_private", "pick_private"):
        mine = playground.private.get(step.persona) or []
        for item in reversed(mine):  # the newest message that has this element
            blocks = str(item.message.get("blocks"))
            if step.action_id not in blocks:
                continue
            option = None
            if step.kind == "pick_private":  # the option whose value ends in the wanted one
                option = _option(item.message, step.action_id, step.text)
            playground.click(step.persona, item.ref, step.action_id, option)
            break
    elif step.kind == "submit":
        playground.submit(step.persona, dict(step.values))
    elif step.kind == "reply_to_card":
        card = playground.last_card()
        playground.say(step.persona, step.text, card)
    return step.persona


def _option(message: dict[str, Any], action_id: str, wanted: str) -> str | None:
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id:
                for option in element.get("options") or []:
                    if str(option.get("value", "")).endswith(wanted):
                        return str(option["value"])
    return None
