"""The demo's story for the playground: one step per click on "Speel de demo af".

Each step is something a persona does; the page then shows that persona, so a visitor sees
the tip arrive in Sanne's DM, not in Anna's, and sees that nothing was stored of the words.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.playground.session import Playground
from bot.sandbox.personas import ANNA, BRAM, SANNE
from bot.ui import ids


@dataclass(frozen=True)
class Step:
    narration: str  # a block of playground.j2 that says what happens
    persona: str
    kind: str  # say | click_private | home | click_home
    text: str = ""
    action_id: str = ""


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
    Step("demo_6", ANNA, "say", "/fout vergeet-mij"),
    Step("demo_7", ANNA, "click_private", action_id=ids.ACTION_FORGET_YES),
)


def play_step(playground: Playground, step: Step) -> str:
    """Do one step; returns the persona the page should show next."""
    if step.kind == "say":
        playground.say(step.persona, step.text)
    elif step.kind == "home":
        playground.open_home(step.persona)
    elif step.kind == "click_private":
        mine = playground.private.get(step.persona) or []
        for item in reversed(mine):  # the newest message that has this button
            if step.action_id in str(item.message.get("blocks")):
                playground.click(step.persona, item.ref, step.action_id)
                break
    return step.persona
