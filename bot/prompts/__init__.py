"""All user-facing text, as Jinja2 templates: nl/ and en/, one file per surface.

Not only the team prompts: every answer, tip, form label and Home text lives here, rendered
by bot.ui.texts. This folder is package data; it holds no Python besides this line.
"""
