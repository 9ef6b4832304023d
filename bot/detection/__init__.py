"""Spotting self-reported mistakes and blame in chat text: pure, no Slack imports."""
