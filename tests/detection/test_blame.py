"""The blame reader: rules first, then the learned model over the reply's sentence embedding.

The real replies are read from ../shared/detect-corpus at test time (never copied here); the
tests that need them skip, saying so, when they are absent. The replies written out below are
our own.
"""

import pytest

from bot.detection import encoder, train
from bot.detection.blame import (
    MODEL_READS,
    REFRAMES,
    blame_features,
    detect_blame,
    load_blame_model,
    model_reads,
    rule_hits,
)
from bot.detection.detect import normalise
from bot.sandbox.shared import DETECT_CORPUS
from tests.detection.corpus import DATA

REAL = DETECT_CORPUS / "blame_train.jsonl"
OWN = sorted(DATA.glob("blame_*.txt"))
needs_corpus = pytest.mark.skipif(
    not REAL.exists(), reason=f"real blame replies not found at {REAL}"
)


def test_the_shipped_blame_model_holds_numbers_only():
    model = load_blame_model()
    assert len(model.embedding_weights) == encoder.DIMENSIONS
    assert len(model.feature_weights) == len(blame_features("x"))
    assert 0.3 <= model.threshold <= 0.95
    assert set(model.to_json()) == {
        "format",
        "embedding_weights",
        "feature_weights",
        "bias",
        "threshold",
        "meta",
    }


@pytest.mark.parametrize(
    "reply",
    [
        "You never check anything before you push, do you?",  # no rule matches these
        "You keep pushing untested code to main and everyone else cleans up.",
        "Hoe vaak moeten we dit nog bespreken? Je leert het echt nooit.",
    ],
)
def test_the_model_reads_reproaches_the_rules_miss(reply):
    assert not any(rule_hits(normalise(reply)))
    found = detect_blame(reply)
    assert found.is_blame, found
    assert found.reframe in REFRAMES and found.cue
    assert found.score >= load_blame_model().threshold


@pytest.mark.parametrize(
    "reply",
    [
        "why did you choose a dict here?",
        "waarom heb je hier een aparte functie van gemaakt?",
        "thanks! can you share the logs?",
        "Could you walk me through what happened?",
        "Bedankt voor het melden, wat heb je nodig?",
        "Dank je, goed dat je het zo snel zag. Zullen we er morgen samen naar kijken?",
        "Please hold the deploy until the fix is in.",
        "Closing this one, could you open a new PR against main?",
        "Whoa, did you actually run my old script? Thanks!",
        "Belachelijk goed dat je het zo snel zag, dank je!",
        "That fix was ridiculously fast, thank you!",
        "Next time I'll double-check the checklist with you.",
        "Thanks! Next time let's pair on the migration.",
        "Kun je de logs sturen voordat je de job opnieuw start?",
        "Please share the logs before you restart the job.",
        "Next time, don't hesitate to ping me, happy to help!",
        "Next time just ask, that's what I'm here for.",
        "Volgende keer kijken we er samen even naar.",
        "Voortaan gerust even vragen hoor!",
        "Volgende keer samen overleggen, dan voorkomen we dit.",
        # the warm or practical forms of the same words
        "Je had het niet kunnen weten, de specs waren onduidelijk.",
        "Je had gelijk, het had beter gekund; we kijken er samen naar.",
        "In the future, we could add a check for this together.",
        "Going forward, let's pair on migrations.",
        "Thanks! In the future feel free to ping me directly.",
        "Could you stop by my desk later? Happy to look at it together.",
        "Can you stop the job and share the logs?",
        "Hou je me op de hoogte? Ik help graag.",
        # learning questions, and a request with its purpose
        "Waarom heb je voor deze aanpak gekozen? Ben benieuwd naar je afweging.",
        "Waarom heb je de cache hier toegevoegd? Ik leer graag hoe je erover dacht.",
        "Can you add a test so this can't happen again?",
        "Waarom denk je dat het misging?",
        "Why did the pipeline not catch this?",
        "Hoe kunnen we voorkomen dat dit nog eens gebeurt?",
        "Je moet eerst even inloggen op de VPN, dan werkt het weer.",
        "We've all done this at some point, thanks for owning it.",
        "Not again, that vendor API! Thanks for flagging it so fast.",
        "We've talked about this before in the retro: time we fix the tooling, not you.",
        "Ik had het zelf ook kunnen zien, dank je dat je het meldt.",
        "What was the first sign that something was off?",
        "Ik zie dat de check niet draaide, zullen we die samen aanzetten?",
        "The test suite should have caught this, that's on our setup, not on you.",
        "Dat had je niet kunnen weten, de handleiding was verouderd.",
    ],
)
def test_curiosity_thanks_and_neutral_instructions_are_not_blame(reply):
    assert not detect_blame(reply).is_blame


def test_the_cue_is_the_reproachful_sentence():
    """The tip quotes the sentence that reads as a reproach, not the plain facts beside it.
    (An earlier example, "Weer een release zonder te testen. Knap hoor.", had two reproachful
    sentences that the model scores within 0.01 of each other: either is a fair cue.)"""
    found = detect_blame(
        "The invoice went out at nine. You never check anything before you send it, do you?"
    )
    assert found.is_blame
    assert found.cue == "you never check anything before you send it, do you?"


def test_the_scanner_never_waits_for_the_encoder(monkeypatch):
    """Before an ack there is no time for a 2 s load: while the encoder is not loaded, the
    scanner's read goes by the rules and starts the load; once loaded, the model reads too."""
    started = []
    monkeypatch.setattr(encoder, "loaded", lambda: False)
    monkeypatch.setattr(encoder, "warm_up", lambda: started.append(True))
    reply = "You never check anything before you push, do you?"
    assert not detect_blame(reply, wait=False).is_blame and started == [True]
    assert detect_blame("did you even test this?", wait=False).is_blame  # a rule: no wait
    monkeypatch.undo()
    encoder.warm_up().join(timeout=30)
    assert detect_blame(reply, wait=False).is_blame


def test_the_model_reads_the_start_of_a_very_long_reply(monkeypatch):
    """Slack allows 40,000 characters and this runs before the ack: the encoder reads the first
    MODEL_READS characters (cut between words), the rules read everything."""
    read: list[str] = []
    real_embed = encoder.embed
    monkeypatch.setattr(encoder, "embed", lambda texts: read.extend(texts) or real_embed(texts))
    reply = "You never check anything before you push, do you? " + "Thanks for the logs. " * 2000
    head = model_reads(normalise(reply))
    assert detect_blame(reply) == detect_blame(head)  # the same verdict and score as its start
    assert read and all(len(text) <= MODEL_READS for text in read)
    assert len(head) <= MODEL_READS and head.endswith("logs.")  # whole words only
    assert model_reads("kort antwoord") == "kort antwoord"
    tail = "Thanks for the logs. " * 800 + "Did you even test this?"
    assert detect_blame(tail).is_blame  # a rule still reads the end


def test_without_the_encoder_the_rules_still_read(monkeypatch):
    monkeypatch.setattr(encoder, "embed", lambda texts: None)
    assert detect_blame("did you even test this?").is_blame
    assert not detect_blame("You never check anything before you push, do you?").is_blame


@needs_corpus
def test_retraining_gives_the_shipped_blame_model():
    retrained = train.train_blame(train.read_corpus([REAL, *OWN]))
    shipped = load_blame_model()
    assert retrained.threshold == shipped.threshold
    samples = ["You never check anything before you push, do you?", "thanks for the logs", ""]
    for sample in samples:
        norm = normalise(sample)
        vector = (encoder.embed([norm]) or [[]])[0]
        features = blame_features(norm)
        got = retrained.probability(vector, features)
        assert abs(got - shipped.probability(vector, features)) < 1e-4


@needs_corpus
def test_blame_quality_on_real_replies_by_grouped_cross_validation():
    """Folds grouped by source, the threshold chosen on the mean over five assignments of
    sources to folds. Measured at 0.60: en P 0.875 R 0.625, nl P 0.917 R 0.688 on the first
    assignment; mean over the five en 0.865 / 0.629, nl 0.829 / 0.713 (rules alone: R 0.52 /
    0.50). Guards what we have, and that the model adds to the rules."""
    examples = train.read_corpus([REAL, *OWN])
    runs = train.blame_runs(examples, train.blame_rows(examples))
    rules = train.blame_rules_found(examples)
    threshold = train.choose_blame_threshold(examples, runs, rules)
    for lang, floor in (("en", (0.82, 0.60)), ("nl", (0.75, 0.55))):
        mean = train.mean_curve(examples, runs, rules, lang)[threshold]
        assert mean[0] >= floor[0] and mean[1] >= floor[1], (lang, threshold, mean)
    pooled = train.mean_curve(examples, runs, rules)[threshold]
    assert pooled[0] >= train.BLAME_PRECISION_FLOOR and pooled[1] >= 0.60, (threshold, pooled)
    caught = {id(e): p >= threshold for e, p in zip(examples, runs[0], strict=True)}
    found = {id(e): hit for e, hit in zip(examples, rules, strict=True)}
    both = train.report_blame(examples, lambda e: found[id(e)] or caught[id(e)])
    alone = train.report_blame(examples, lambda e: found[id(e)])
    for lang in ("en", "nl"):
        assert both[lang]["recall"] >= alone[lang]["recall"] + 0.10, (both, alone)


def test_the_encoder_warms_up_once_per_process():
    first = encoder.warm_up()
    assert encoder.warm_up() is first
    first.join(timeout=30)
    assert encoder.available()


@pytest.mark.parametrize(
    ("reply", "reframe"),
    [
        ("Stop merging things without a review, please.", "should_not"),
        ("Je moet echt beter opletten.", "should_not"),
        ("Jullie moeten voortaan zorgvuldiger werken.", "should_not"),
        ("You need to be more careful.", "should_not"),
        ("Dit had je echt moeten zien aankomen.", "should_not"),
        ("Dat had je toch kunnen weten?", "should_not"),
        ("How hard can it be to run the tests?", "how_could"),
        ("Hoe moeilijk kan het zijn om even te testen?", "how_could"),
        ("We've talked about this so many times.", "how_could"),
        ("I expected better from you.", "how_could"),
        ("This keeps happening with your PRs.", "how_could"),
        ("Dit hebben we al zo vaak besproken.", "how_could"),
        ("Ik had echt meer van je verwacht.", "how_could"),
        ("Dit gebeurt steeds bij jouw releases.", "how_could"),
        ("Je hebt het ticket duidelijk niet gelezen.", "why"),
        ("You clearly didn't read the ticket.", "why"),
        ("Why wasn't this tested?", "why"),
        ("It's really bad practice to push straight to main.", "should_not"),
        ("Why do you open PRs that don't even build?", "why"),
        ("Read the thread for once.", "how_could"),
        ("Seriously, the third time this sprint.", "how_could"),
        ("Hoe konden jullie zo'n simpele stap vergeten?", "how_could"),
        ("Dat kan toch veel beter?", "how_could"),
        ("Voor de derde keer: draai eerst de tests.", "how_could"),
        ("Wat een broddelwerk is dit weer.", "how_could"),
        ("Thanks for completely ignoring the checklist.", "how_could"),
        ("Honestly, this change looks like a joke.", "how_could"),
        ("Dat overleg was een schijnvertoning.", "how_could"),
        ("Please, please stop pushing half-done releases.", "should_not"),
        ("Please don't open duplicate PRs for the same fix.", "should_not"),
        ("You merged it without actually running the tests?", "why"),
        ("Do you live under a rock or something?", "how_could"),
        # correcting how someone works, the shape of "read the guide before…"
        ("Next time, check the release notes first.", "should_not"),
        ("Please ask in the channel before you merge anything into main.", "should_not"),
        ("Voortaan graag eerst overleggen met het team.", "should_not"),
        ("Please refrain from force-pushing to shared branches.", "should_not"),
        ("The error message should have been clear enough.", "should_not"),
        # from now on, do it differently; stop doing it; someone else should have
        ("In the future, please test the migration on staging first.", "should_not"),
        ("Please, from now on, run the linter before you open a PR.", "should_not"),
        ("Going forward, make sure the checklist is done before a release.", "should_not"),
        ("In het vervolg graag eerst testen voordat je iets uitrolt.", "should_not"),
        ("Can you please stop merging your own PRs without a review?", "should_not"),
        ("Kun je alsjeblieft ophouden met ongeteste code live zetten?", "should_not"),
        ("Hou nou eens op met die haast.", "should_not"),
        ("Hij had het rapport eerst moeten laten nakijken.", "should_not"),
        ("Iemand had dit moeten zien.", "should_not"),
        ("They should have checked the numbers before sending.", "should_not"),
        # harsh Dutch judgements of the work
        ("Je had drie weken. En het is er nog steeds niet. Onvoorstelbaar.", "how_could"),
        ("Dit plan klopt van geen kant.", "how_could"),
        ("Die planning slaat nergens op.", "how_could"),
        # judging the conduct, or fed up with it
        ("Honestly, shipping without a backup is inexcusable.", "how_could"),
        ("That was reckless, you could have wiped the customer data.", "how_could"),
        ("I'm sick of your untested hotfixes.", "how_could"),
        ("Ik ben het echt zat, weer geen review.", "how_could"),
        ("Dit is onverantwoord, zo zet je de klant op het spel.", "how_could"),
        ("You acted with complete disregard for the release checklist.", "how_could"),
        # replies outside software teams (care, school, office)
        ("Had je het overdrachtsprotocol niet gelezen dan?", "why"),
        ("Didn't you read the handover notes?", "why"),
        ("Dit soort fouten kunnen we ons echt niet permitteren.", "should_not"),
        ("We can't afford mistakes like this with a client this size.", "should_not"),
        ("You need to take more care with the rota, honestly.", "should_not"),
        ("Who signed this off? It went to every parent.", "who"),
        ("This should never have gone out to the families.", "should_not"),
        ("How did you manage to send it to the wrong client?", "how_could"),
        ("I'm really disappointed, I expected you to double-check this.", "how_could"),
        ("Ik had echt verwacht dat je het zou controleren voor het de deur uitging.", "how_could"),
        ("Ik ben teleurgesteld in je, eerlijk gezegd.", "how_could"),
        ("Lekker dan. Mag ik het weer oplossen.", "how_could"),
        ("Great, another mess for me to clean up.", "how_could"),
        # sarcastic praise of the harm, a judgement of the person, fed up
        ("Good job breaking prod 👏", "how_could"),
        ("Must be nice to not have to test things.", "how_could"),
        ("Je bent ook altijd zo chaotisch.", "how_could"),
        ("Wederom. Ik ben er klaar mee.", "how_could"),
        # the answer was written down: the labelling guide's "read the guide before…"
        ("Please read the contributing guidelines before opening an issue.", "should_not"),
        ("Did you search before opening this issue?", "should_not"),
        ("Closing as duplicate. Please search first next time.", "should_not"),
        ("If you had read the changelog you would have known.", "should_not"),
        ("Lees eerst de handleiding voordat je een vraag stelt.", "should_not"),
        ("This is not a support forum.", "should_not"),
        ("You didn't follow the issue template at all.", "why"),
        ("Have you tried reading the docs?", "why"),
        ("This has been answered many times already.", "how_could"),
        ("RTFM.", "how_could"),
        ("It says so right there in the error message.", "how_could"),
        ("This is clearly documented in the README.", "how_could"),
        ("Dit staat gewoon in de documentatie.", "how_could"),
    ],
)
def test_the_rules_read_common_reproaches(reply, reframe):
    """Shapes of reproach found by reading the real replies the model missed (our sentences):
    telling off a habit, 'without even', exasperation, the how-could of a simple step."""
    found = detect_blame(reply, wait=False)
    assert found.is_blame and found.reframe == reframe, found


@pytest.mark.parametrize(
    "reply",
    [
        # held out of training (tests/detection/data/blame_*.txt), and new ones
        "Don't beat yourself up over it, we'll sort it out together.",
        "Voel je niet schuldig, je zag het nog voordat de klant het zag.",
        "please don't worry, it could have happened to anyone",
        "no worries, happens to everyone. Shall I pair with you on the fix?",
        "geen zorgen hoor, dat kan iedereen gebeuren",
        "Maak je maar geen zorgen, ik kijk vanmiddag met je mee.",
        # telling someone to stop worrying is not telling them off
        "Hou op met piekeren, dit kan iedereen gebeuren.",
        "Can you stop apologising? It's fine, really.",
        "Just stop worrying about it, we'll fix it together.",
        "Kun je ophouden met jezelf de schuld te geven?",
        "Please stop beating yourself up over this.",
        "Stop stressing, it's already fixed.",
        "Kun je alsjeblieft stoppen met sorry zeggen? Het is goed zo.",
        "Hou toch op met je excuses, het is al opgelost.",
        "Don't blame yourself, this can happen with everyone.",
        "Onvoorstelbaar snel opgelost, dank je!",
        "I'm sick of waiting for the vendor too, let's call them together.",
        "Thanks! Reckless deadlines are on me, not you.",
        "Tired of the flaky CI? Me too, let's fix it.",
        # the leader owning a share, or what someone should have been given
        "Iemand had je moeten waarschuwen, sorry daarvoor.",
        "That's on me, I should have flagged it. Thanks for telling us!",
        "Dat ligt ook bij ons: de handleiding was onduidelijk.",
        "Jullie hadden meer hulp moeten krijgen van ons.",
        "Ze hadden je beter moeten inwerken, dat pakken we op.",
        # the leader judging themselves: a judgement word that is no reproach
        "Slordig van me, ik had de checklist eerder moeten delen.",
        "Ik was zelf ook nogal slordig met de review, dank je voor het melden.",
        "Sloppy of me, I approved it without reading the diff. Thanks for catching it!",
        "I was a bit careless with that merge too, so let's fix it together.",
        "My own sloppiness, honestly: the template was out of date.",
        # praise and plain questions in the shapes of the reproaches above
        "How did you manage to finish it so fast?! Amazing.",
        "I expected you to be at the offsite, are you joining later?",
        "Ik had verwacht dat je er ook zou zijn, jammer!",
        "We can't afford to lose you, take care of yourself first.",
        "Wie heeft dit zo mooi opgemaakt? Ziet er strak uit.",
        "Mag ik het weer overnemen van je? Dan kun jij naar huis.",
        # praise for telling, and "it could happen to anyone" in a subordinate clause
        "Knap dat je dit zo eerlijk deelt.",
        "Typisch zo'n ding dat iedereen kan overkomen.",
        "Good job spotting it before the client did 👏",
        # pointing to the docs without the reproach
        "This looks like a duplicate of #123, closing in favour of that one. Thanks!",
        "The docs could be clearer here, I'll open a PR to improve them.",
        "Goede vraag, dit staat inderdaad niet duidelijk in de documentatie.",
    ],
)
def test_reassurance_is_not_blame(reply):
    """What the bot hopes a leader writes must never earn a coaching tip: the model read
    "please don't worry …" as a reproach (0.83) before reassurance was a veto on it."""
    found = detect_blame(reply)
    assert not found.is_blame, found


@pytest.mark.parametrize(
    "reply",
    [
        "Dat was nogal slordig van je.",
        "You were sloppy with the release notes again.",
        "I was told the handover was sloppy. Seriously?",
        "Slordig werk, dit had je moeten zien.",
    ],
)
def test_a_judgement_of_someone_else_is_still_blame(reply):
    """Only the writer's judgement of themselves is taken out; someone else's stays."""
    found = detect_blame(reply, wait=False)
    assert found.is_blame, found


def test_a_reproach_beside_the_leaders_own_share_still_counts():
    found = detect_blame("Sloppy of me too, but did you even test it?", wait=False)
    assert found.is_blame and found.reframe == "why"


def test_a_reproach_named_by_a_rule_stands_beside_reassurance():
    found = detect_blame("Don't worry about the customer, but did you even test it?")
    assert found.is_blame and found.reframe == "why"
