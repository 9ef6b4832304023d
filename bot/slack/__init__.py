"""Slack glue: Web API clients, OAuth, the HTTP server, the message scanner, member lists,
posting pace, and the failsafe that acks every request.
"""
