"""The people and places of the sandbox: one workspace, its channels and colleagues.

Shared by the demo and the tests, so a transcript and a test speak of the same Anna.
"""

from __future__ import annotations

from bot.sandbox.standin import TEAM_ID

TEAM = TEAM_ID
CHANNEL = "C0TEAM"  # the tests' team channel
TEAM_CHANNEL, INTL_CHANNEL = "C0KLANTEN", "C0INTL"  # the demo's channels
ANNA, BRAM, SANNE, EMMA = "U0ANNA", "U0BRAM", "U0SANNE", "U0EMMA"
ADMINS = {SANNE}  # Sanne leads the team and is an admin of the Slack workspace
# Colleagues who are in the demo's team channel but say nothing: a real team is more than the
# people who speak, and an anonymous card needs a channel of at least five.
QUIET_COLLEAGUES = ("U0DAAN", "U0FENNA", "U0JOOST")
