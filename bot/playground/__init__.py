"""The playground: Leerzone in a browser, against the real app and the Slack stand-in.

For the Slack admin and the works council who decide about installing it: try it as any of
a few personas, see what each would see under Slack's delivery rules, what the bot decided
about each message, and what the database holds after every step. 127.0.0.1 only.
"""
