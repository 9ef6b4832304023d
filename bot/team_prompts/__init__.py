"""Scheduled team prompts: rotation and slot arithmetic (pure), schedules, posting, store."""
