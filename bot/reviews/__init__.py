"""Samen terugkijken: a blameless look back, together, at a complex failure.

Thanking is not enough when several things came together that nobody fully saw: then the
team looks back together, without asking who is to blame. The author always decides: a
review starts only with their explicit consent, they can stop it at any time, and the team's
lesson is credited exactly as they chose (named or anonymous). Replies are counted, never read
or stored.
"""
