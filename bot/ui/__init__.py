"""Block Kit builders by feature, their ids, and Jinja2 rendering of the texts in bot/prompts/."""
