"""Leerzone: a Slack bot for psychological safety — thank first, then learn together."""

__version__ = "0.1.0"
