import pytest

from bot.detect import guess_kind


@pytest.mark.parametrize(
    "text, kind",
    [
        ("ik ben vergeten de klant terug te bellen", "preventable"),
        ("typo in de factuur, verkeerde bedrag", "preventable"),
        ("I forgot to update the status page", "preventable"),
        ("we sent the wrong file to the printer", "preventable"),
        ("ons experiment met de nieuwe intake werkte niet", "intelligent"),
        ("de pilot met flexibele roosters is mislukt", "intelligent"),
        ("we tried a new pricing page and conversions dropped", "intelligent"),
        ("door een samenloop van omstandigheden liep de levering vast", "complex"),
        ("an unexpected combination of a deploy and a config change took us down", "complex"),
        ("de koppeling viel om", "preventable"),  # nothing points elsewhere
        ("", "preventable"),
    ],
)
def test_cue_based_kind_guess(text, kind):
    assert guess_kind(text) == kind
