"""Slack played locally for the demo and the tests: the stand-in Web API, a simulator of
Slack's requests, the conformance check against Slack's own spec, transcripts and the demo.
"""
