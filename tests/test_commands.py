import pytest

from bot.commands import parse


@pytest.mark.parametrize(
    "text, name",
    [
        ("", "modal"),
        ("   ", "modal"),
        ("help", "help"),
        ("HELP", "help"),
        ("hulp", "help"),
        ("lijst", "list"),
        ("list", "list"),
        ("leiders", "leaders"),
        ("leaders", "leaders"),
        # a keyword followed by a story is a story
        ("lijst met klanten vergeten bij te werken", "log"),
        ("help, ik heb de database gewist", "log"),
        ("wis de verkeerde map, sorry", "log"),
        ("taal in de offerte klopte niet", "log"),
        ("leiders waren niet op de hoogte gebracht", "log"),
        ("ik heb de deadline gemist", "log"),
        # a keyword with one malformed argument is a typo
        ("wis", "usage"),
        ("wis abc", "usage"),
        ("taal", "usage"),
        ("taal fr", "usage"),
        ("leiders @anna", "usage"),
    ],
)
def test_subcommand_only_when_the_text_is_the_keyword_with_its_arguments(text, name):
    assert parse(text).name == name


def test_delete_takes_an_id_with_or_without_hash():
    assert parse("wis 12").failure_id == 12
    assert parse("delete #7").failure_id == 7


def test_language_choice():
    assert parse("taal EN").language == "en"
    assert parse("language nl").language == "nl"


def test_leaders_from_escaped_mentions_deduplicated():
    cmd = parse("leiders <@U0ANNA|anna> <@W0BRAM> <@U0ANNA|anna>")
    assert cmd.name == "leaders" and cmd.users == ("U0ANNA", "W0BRAM")


def test_log_keeps_the_text_untouched():
    assert parse("  oeps: <!channel> & co ").text == "oeps: <!channel> & co"


def test_usage_names_the_command():
    assert parse("wis x").usage_of == "delete"
