"""Guessing the kind of a failure from its description (pure; no Slack imports).

The three kinds ask for different answers: a preventable slip calls for a look at process and
attention, a complex failure for joint analysis, an intelligent failure for appreciation of the
experiment. This first version is a transparent cue lexicon; the full mistake-report detector
builds on it.
"""

from __future__ import annotations

import re

KINDS = ("preventable", "complex", "intelligent")

_CUES: dict[str, tuple[str, ...]] = {
    "intelligent": (
        r"experiment\w*",
        r"pilot\w*",
        r"hypothe\w+",
        r"geprobeerd",
        r"uitgeprobeerd",
        r"probeersel",
        r"test(?:je|ten)? met",
        r"a/?b[- ]test\w*",
        r"prototype\w*",
        r"we tried",
        r"i tried",
        r"tried (?:out|a|to)",
        r"trial",
        r"gok(?:je)?",
        r"bet",
        r"nieuwe aanpak",
        r"new approach",
        r"uitproberen",
        r"proefballon\w*",
    ),
    "complex": (
        r"samenloop",
        r"combinatie van",
        r"meerdere (?:oorzaken|factoren|systemen)",
        r"onverwacht\w*",
        r"niemand had kunnen",
        r"tegelijk(?:ertijd)?",
        r"kettingreactie",
        r"onvoorzien\w*",
        r"unexpected\w*",
        r"several (?:factors|causes|systems)",
        r"combination of",
        r"interplay",
        r"at the same time",
        r"chain reaction",
        r"nobody could have",
        r"unforeseen",
        r"perfect storm",
        r"cascade\w*",
        r"afhankelijkheid\w*",
        r"dependenc\w+",
        r"race condition",
    ),
    "preventable": (
        r"vergeten",
        r"vergat",
        r"typo\w*",
        r"tikfout\w*",
        r"verkeerde?",
        r"verkeerd",
        r"over het hoofd",
        r"niet gecheckt",
        r"niet gecontroleerd",
        r"gemist",
        r"slordig\w*",
        r"per ongeluk",
        r"forgot\w*",
        r"wrong",
        r"missed",
        r"overlooked",
        r"by accident",
        r"accidentally",
        r"didn'?t check",
        r"did not check",
        r"mixed up",
        r"verwisseld",
        r"checklist",
    ),
}
_PATTERNS = {
    kind: re.compile(r"\b(?:" + "|".join(cues) + r")\b", re.IGNORECASE)
    for kind, cues in _CUES.items()
}
# On ties the order says which reading is kindest to the person: an experiment before a
# tangle of causes before a slip.
_ORDER = ("intelligent", "complex", "preventable")


def guess_kind(text: str) -> str:
    """Best guess of the failure kind; `preventable` when nothing points elsewhere."""
    counts = {kind: len(_PATTERNS[kind].findall(text or "")) for kind in _ORDER}
    best = max(_ORDER, key=lambda kind: counts[kind])
    return best if counts[best] else "preventable"
