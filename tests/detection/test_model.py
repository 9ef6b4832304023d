"""The learned detector: parity with scikit-learn, numbers only in the shipped model, a model
that retrains to the same, and its quality on real messages by grouped cross-validation.

The real corpus is read from ../shared/detect-corpus at test time (never copied here); the
tests that need it skip, saying so, when it is absent.
"""

import json
import random
from collections import Counter
from typing import NamedTuple

import pytest

from bot.detection import train
from bot.detection.detect import detect, lexicon_features, reported
from bot.detection.model import MistakeModel, load_model
from bot.detection.tfidf import (
    CHAR_RANGE,
    WORD_RANGE,
    Block,
    SumBlock,
    WordCharBlock,
    char_wb_ngrams,
    word_ngrams,
)
from bot.sandbox.shared import DETECT_CORPUS
from tests.detection.corpus import DATA, load

REAL = [DETECT_CORPUS / "train_nl.jsonl", DETECT_CORPUS / "train_en.jsonl"]
OWN = sorted(DATA.glob("corpus_*.txt"))
needs_corpus = pytest.mark.skipif(
    not all(p.exists() for p in REAL), reason=f"real corpus not found at {DETECT_CORPUS}"
)
ODD = ["Ik heb  de\tbijlage\nvergeten!", "a bc def", "Oeps 🙈 I   forgot it", "", "x", "it's"]


def test_analyzers_match_scikit_learn():
    text = pytest.importorskip("sklearn.feature_extraction.text")
    char = text.TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_RANGE).build_analyzer()
    word = text.TfidfVectorizer(analyzer="word", ngram_range=WORD_RANGE).build_analyzer()
    for sample in [e.text for e in load()] + ODD:
        assert char_wb_ngrams(sample) == char(sample), sample
        assert word_ngrams(sample) == word(sample), sample


def test_tfidf_scoring_matches_scikit_learn():
    """The kind model's word n-grams are scored as scikit-learn's TfidfVectorizer does."""
    text = pytest.importorskip("sklearn.feature_extraction.text")
    docs = [e.text for e in load()][:200]
    vec = text.TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_RANGE, sublinear_tf=True)
    matrix = vec.fit_transform(docs)
    rng = random.Random(7)
    weights = [rng.uniform(-1, 1) for _ in vec.vocabulary_]
    block = Block({g: (float(vec.idf_[i]), weights[i]) for g, i in vec.vocabulary_.items()})
    for row, doc in enumerate(docs[:50]):
        expected = sum(matrix[row, i] * weights[i] for i in matrix[row].indices)
        assert abs(block.score_counts(Counter(char_wb_ngrams(doc))) - expected) < 1e-9


@pytest.mark.parametrize("shape", ["chars", "words"])
def test_summed_scoring_matches_the_training_transform(shape):
    """The report model's n-grams are summed per word (tfidf.py): what the bot scores at run
    time is exactly the vector training fitted its weights on."""
    pytest.importorskip("sklearn")
    docs = [e.text for e in load()][:200] + ODD + ["de de de fout fout", "Aaa aaa AAA"]
    vectorizer = train._SummedChars() if shape == "chars" else train._SummedWords()
    matrix = vectorizer.fit_transform(docs)
    rng = random.Random(7)
    weights = [rng.uniform(-1, 1) for _ in vectorizer.vocabulary_]
    terms = {g: (float(vectorizer.idf_[i]), weights[i]) for g, i in vectorizer.vocabulary_.items()}
    for row, doc in enumerate(docs):
        expected = sum(matrix[row, i] * weights[i] for i in matrix[row].indices)
        if shape == "chars":
            got = WordCharBlock(terms).score(doc)
        else:
            got = SumBlock(terms).score(word_ngrams(doc))
        assert abs(got - expected) < 1e-9, doc


def test_the_kind_model_scores_its_three_kinds_in_one_pass_as_each_block_would():
    kinds = load_model().kinds
    assert kinds is not None
    for sample in [e.text for e in load()][:150] + ODD:
        counts = Counter(word_ngrams(sample))
        each = [block.score_counts(counts) for block in kinds.blocks]
        assert kinds.text_scores(sample) == pytest.approx(each, abs=1e-12), sample


def test_a_model_file_of_the_former_format_asks_to_be_retrained(tmp_path):
    """A model an organisation trained before the n-grams were summed would score wrongly
    here; it is refused with what to do, instead of read as if it were the new shape."""
    old = load_model().to_json() | {"format": 1}
    path = tmp_path / "model.json"
    path.write_text(json.dumps(old))
    with pytest.raises(ValueError, match="leerzone train"):
        load_model(path)


def test_the_shipped_model_holds_numbers_only():
    model = load_model()
    assert set(model.thresholds) >= {"nl", "en"}
    assert all(0.3 <= t <= 0.9 for t in model.thresholds.values())
    # n-grams of at most two words or four characters: no sentence of anyone's fits in it
    assert all(len(g) <= CHAR_RANGE[1] for g in model.char.terms)
    assert all(len(g.split()) <= WORD_RANGE[1] for g in model.word.terms)
    assert model.kinds is not None  # the kind model travels in the same file, as numbers too
    assert all(len(g.split()) <= WORD_RANGE[1] for g in model.kinds.blocks[0].terms)


@needs_corpus
def test_retraining_gives_the_shipped_model(cross_validated_reports):
    """Deterministic training: the shipped model is what `leerzone train` makes of the corpus."""
    retrained = cross_validated_reports.model
    shipped = load_model()
    assert retrained.thresholds == shipped.thresholds
    assert len(retrained.char.terms) == len(shipped.char.terms)
    for sample in [e.text for e in load()][:100] + ODD:
        features = lexicon_features(sample)
        assert (
            abs(retrained.probability(sample, features) - shipped.probability(sample, features))
            < 1e-4
        )
        assert detect(sample, model=retrained).kind == detect(sample).kind


class Trained(NamedTuple):
    model: MistakeModel
    report: dict
    rules: dict
    scored: list  # (calibrated cross-validated probability, label) of each real message
    kinds: dict  # example index -> cross-validated kind, for each real report


@pytest.fixture(scope="module")
def cross_validated_reports():
    """One training with its grouped cross-validation for all tests here (the slow part)."""
    examples = train.read_corpus([*REAL, *OWN])
    model, runs, kinds = train.train_and_measure(examples)
    probabilities = runs[0]
    pairs = list(zip(examples, probabilities, strict=True))
    index = {id(e): i for i, e in enumerate(examples)}
    found = train.rules_found(examples)
    report = train.report(
        examples,
        lambda e: (
            reported(probabilities[index[id(e)]], model.threshold(e.lang), found[index[id(e)]]),
            kinds.get(index[id(e)], "preventable"),  # out of fold, like the decision
        ),
    )
    scored = [(p, e.label) for e, p in pairs if e.group != train.OWN]
    return Trained(model, report, train.report(examples, train.rules_only), scored, kinds)


@needs_corpus
@pytest.mark.parametrize("lang, precision, recall", [("nl", 0.84, 0.69), ("en", 0.86, 0.69)])
def test_quality_on_real_messages_by_grouped_cross_validation(
    lang, precision, recall, cross_validated_reports
):
    """Folds grouped by source: the figure for text from places the model never saw. The bars
    sit just under what was measured (nl 0.859/0.719, en 0.888/0.697): a regression guard, not
    the product goal of 0.92/0.90. Recall must stay near the floor the thresholds aim for."""
    report, rules = cross_validated_reports.report, cross_validated_reports.rules
    assert report[lang]["precision"] >= precision, report[lang]
    assert report[lang]["recall"] >= recall, report[lang]
    assert report[lang]["recall"] > rules[lang]["recall"] + 0.05  # learning beats the lexicon


@needs_corpus
def test_the_learned_kind_finds_more_complex_reports_than_the_rules(cross_validated_reports):
    """Out of fold on the real reports: the kind model (the rules' kind among its inputs) finds
    at least twice the complex reports the rules find, and agrees on at least 0.80 overall
    (measured: 14 of 37 against 5; agreement 0.85 against 0.86)."""
    from bot.detection.detect import guess_kind, normalise, rule_detect
    from bot.detection.kind_model import KINDS

    examples = train.read_corpus([*REAL, *OWN])
    learned = cross_validated_reports.kinds
    truth = {i: examples[i].kind for i in learned}
    ruled = {
        i: rule_detect(examples[i].text).kind or guess_kind(normalise(examples[i].text))
        for i in learned
    }
    complex_ = [i for i in truth if truth[i] == "complex"]
    assert sum(learned[i] == "complex" for i in complex_) >= 2 * sum(
        ruled[i] == "complex" for i in complex_
    )
    assert sum(learned[i] == truth[i] for i in truth) / len(truth) >= 0.80
    assert set(learned.values()) <= set(KINDS)


@needs_corpus
def test_the_score_is_calibrated(cross_validated_reports):
    """Of real messages scored about p, about p in 10 are reports: expected calibration error
    over ten bins of the cross-validated scores (measured 0.051; 0.059 before calibration)."""
    scored = cross_validated_reports.scored
    error = 0.0
    for decile in range(10):
        inside = [(p, label) for p, label in scored if min(int(p * 10), 9) == decile]
        if inside:
            mean = sum(p for p, _ in inside) / len(inside)
            observed = sum(label for _, label in inside) / len(inside)
            error += len(inside) / len(scored) * abs(mean - observed)
    assert error <= 0.06
    assert load_model().calibration != (1.0, 0.0)  # the shipped model carries its scaling


def test_fold_assignments_shuffle_whole_sources_the_same_way_each_time():
    groups = ["a", "b", "a", "c", "d", "b", "e"]
    assert train._fold_groups(groups, 0) == groups  # GroupKFold's own assignment
    for seed in train.FOLD_SEEDS[1:]:
        renamed = train._fold_groups(groups, seed)
        assert renamed == train._fold_groups(groups, seed)  # deterministic
        # a source stays whole: same name in, same number out, and different sources differ
        pairs = set(zip(groups, renamed, strict=True))
        assert len(pairs) == len(set(groups)) == len(set(renamed))
    assert len({tuple(train._fold_groups(groups, s)) for s in train.FOLD_SEEDS[1:]}) > 1


def test_a_corpus_line_without_a_label_is_refused(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "oeps", "lang": "nl"}) + "\n")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        train.read_corpus([bad])


@needs_corpus
def test_the_gate_drops_no_report_the_model_catches():
    """The cheap gate before the model (detect.passes_gate) must not cost recall: every report
    in the real corpus and our own that the model would flag also passes the gate."""
    from bot.detection.detect import _as_features, _rule_detect, normalise, passes_gate

    model = load_model()
    lost = []
    for example in train.read_corpus([*REAL, *OWN]):
        if not example.label:
            continue
        norm = normalise(example.text)
        found = _rule_detect(norm, example.lang)
        flagged = model.probability(norm, _as_features(found, norm)) >= model.threshold(found.lang)
        if flagged and not passes_gate(example.text, found):
            lost.append(example.group)  # the source, never the text, in the failure message
    assert lost == []


@needs_corpus
def test_reading_politeness_out_drops_no_report():
    """`detect` reads "sorry for the late reply" out of a message before judging it: every
    report in the real corpus and our own that was flagged with it is flagged without it."""
    from bot.detection.detect import (
        _as_features,
        _rule_detect,
        detect,
        normalise,
        reported,
        without_politeness,
    )

    model = load_model()
    polite, lost = 0, []
    for example in train.read_corpus([*REAL, *OWN]):
        if without_politeness(example.text, normalise(example.text))[0] == example.text:
            continue
        polite += 1
        norm = normalise(example.text)
        found = _rule_detect(norm, example.lang)
        probability = model.probability(norm, _as_features(found, norm))
        before = reported(probability, model.threshold(found.lang), found.is_mistake)
        if example.label and before and not detect(example.text, example.lang).is_mistake:
            lost.append(example.group)  # the source, never the text
    assert polite > 0 and lost == []


def test_evaluate_compares_kinds_only_where_a_kind_is_labelled():
    """An organisation's file may label reports without a kind: those are not counted as
    disagreement, and the kind confusion shows where each labelled kind went."""
    examples = [
        train.Example("a", "en", True, "complex", "s1"),
        train.Example("b", "en", True, None, "s2"),  # a report, kind not labelled
        train.Example("c", "en", True, "intelligent", "s3"),
        train.Example("d", "en", False, None, "s4"),
    ]
    given = {"a": (True, "preventable"), "b": (True, "preventable"), "c": (True, "intelligent")}
    result = train.report(examples, lambda e: given.get(e.text, (False, None)))["en"]
    assert (result["tp"], result["fp"], result["fn"], result["tn"]) == (3, 0, 0, 1)
    assert result["kind_compared"] == 2 and result["kind_agreement"] == 0.5
    assert result["kind_confusion"]["complex"] == {
        "preventable": 1,
        "complex": 0,
        "intelligent": 0,
    }
    assert result["kind_confusion"]["intelligent"]["intelligent"] == 1
