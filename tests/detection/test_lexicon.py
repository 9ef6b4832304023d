"""The fast lexicon must find exactly what the plain regular expression finds."""

import re

import pytest

from bot.detection import detect as d
from bot.detection.lexicon import ANY, Lexicon, _opened, any_of, few_words, heads, split_top
from bot.detection.structure import _SENTENCES
from tests.detection.corpus import load

LEXICONS = [
    d._OWNERSHIP,
    d._SLIP,
    d._WRONG_RE,
    d._EXPERIMENT,
    d._FAILED,
    d._COMPLEX,
    d._OWN_FLAW,
    d._OWN_FAILURE,
]


@pytest.mark.parametrize("lexicon", LEXICONS, ids=lambda lx: lx.alternatives[0][:20])
def test_same_matches_as_the_plain_pattern_on_the_corpus(lexicon):
    for example in load():
        text = d.normalise(example.text)
        fast = [m.span() for m in lexicon.finditer(text)]
        plain = [m.span() for m in lexicon.pattern.finditer(text)]
        assert fast == plain, text


def test_heads():
    assert heads("mijn fout") == {"mij"}
    assert heads("(?:the |a )?wrong") == {"the", "a", "wro"}
    assert heads("verkeerde?") == {"ver"}
    assert heads(r"\w+ed") == {ANY}
    assert split_top("a|(?:b|c)|[|]") == ["a", "(?:b|c)", "[|]"]


def test_lexicon_matches_whole_words_only():
    lexicon = Lexicon(["fout", "my bad"])
    assert lexicon.search("dat is een foutje") is None
    assert lexicon.search("oh my bad").group(0) == "my bad"
    assert [m.group(0) for m in lexicon.finditer("fout, fout")] == ["fout", "fout"]


@pytest.mark.parametrize("text", ["fix 'forgot the lock file", "'t was 'mijn fout'", "''oops''"])
def test_a_quoted_word_is_found_as_the_plain_pattern_finds_it(text):
    """A word right after a quote starts after the quote too: the plain pattern's \\b sees it
    there, and the lexicon skipped it (it took the quote for the word's first letter)."""
    lexicon = Lexicon(["forgot", "mijn fout", "oops", "t was"])
    fast = [m.span() for m in lexicon.finditer(text)]
    assert fast == [m.span() for m in lexicon.pattern.finditer(text)]
    assert fast


def test_one_pass_for_every_cue_finds_something_exactly_when_a_lexicon_would():
    """`_best_hit` stops after one pass when `any_of` finds nothing: that must never hide a
    cue one of the lexicons would have found (nor find one where none would)."""
    lexicons = [*LEXICONS, d._REGRET_WORDS]
    union = any_of(*lexicons)
    texts = [d.normalise(example.text) for example in load()]
    texts += ["i'd forgotten", "d'én", "we hebben het niet gehaald", "o'neill zei sorry", ""]
    for text in texts:
        assert bool(union.search(text)) == any(lx.search(text) for lx in lexicons), text


def test_leading_groups_are_written_out():
    assert _opened("(?:ik|we) (?:was|waren) vergeten") == [
        "ik (?:was|waren) vergeten",
        "we (?:was|waren) vergeten",
    ]
    assert _opened("(?:de )?fout") == ["de fout", "fout"]
    assert _opened("(?:a|b)*c") == ["(?:a|b)*c"]  # a repeated group stays as it is
    assert _opened("(?:a|b)??c") == ["(?:a|b)??c"]


@pytest.mark.parametrize(
    "text",
    ["eerst dit. dan dat!\n\nklaar?", "a\n \nb", "zo.\tnu", "...", "\n", "geen punt", "ja!  nee"],
)
def test_sentences_part_where_the_plain_pattern_parts_them(text):
    """structure._SENTENCES is written to begin with white space (fast to find); it must
    part a message exactly where the plain "(?<=[.!?])\\s+|\\n+" does."""
    plain = re.compile(r"(?<=[.!?])\s+|\n+")
    assert _SENTENCES.split(text) == plain.split(text)


def test_few_words_finds_what_the_plain_alternation_finds():
    """lexicon.few_words looks back for the edge after the first letter: the same words
    must come out as with the edge checked first."""
    words = ["ik", "i'm", "we", "my", "mijn", "jullie", "you"]
    plain = re.compile(r"(?<![\w'])(?:" + "|".join(words) + r")(?![\w'])")
    fast = re.compile(few_words(words, r"[\w']") + r"(?![\w'])")
    for text in ["ik en jullie", "mike's my way", "I'm", "i'm ik'", "xik ikx _ik ik_", "", "é we"]:
        assert fast.findall(text) == plain.findall(text), text
