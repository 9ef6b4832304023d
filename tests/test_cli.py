"""The command line: every subcommand has help, and the demo tells the story it should."""

import json
import os
import socket
import subprocess
import sys

import pytest

from bot.__main__ import build_parser, main
from bot.sandbox.demo import run_demo
from bot.sandbox.simulator import SlackSimulator
from tests.detection.corpus import DATA

SUBCOMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)


def test_known_subcommands():
    assert SUBCOMMANDS == [
        "classify",
        "demo",
        "evaluate",
        "playground",
        "post-prompts",
        "run",
        "train",
    ]


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_has_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert "usage: leerzone " + command in capsys.readouterr().out


def test_console_script_and_module_agree():
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "demo" in result.stdout and "run" in result.stdout


def test_demo_transcript_reads_well_and_pings_nobody(tmp_path):
    lines: list[str] = []
    assert run_demo(out=lines.append, db_path=str(tmp_path / "demo.db")) == 0
    transcript = "\n".join(lines)
    for expected in (
        "Anna typt in #klantenservice:",  # a quick /fout
        "Dank je wel dat je dit deelt.",
        "opent een formulier voor Bram",  # /fout alone opens the modal
        "Vertel in een paar woorden wat er gebeurde.",  # a field error
        "openbaar in #klantenservice",  # a learning card, after an explicit choice
        "Anoniem gedeeld.",
        "/fout lijst",
        "/fout help",
        "niet van jou",  # someone else's entry is refused
        "Thank you for sharing this.",  # English in another channel
        "Leerzone stelt zich voor",  # the bot introduces itself where it is invited
        "ik ben Leerzone.* Ik help jullie leren van fouten",
        "Je bent nu leider van #klantenservice",  # a new leader hears what that means
        "privébericht aan Sanne",  # a private tip to the leader, as a DM she will see
        "meldt een fout in #klantenservice (bekijk het bericht ↗). Een mooi moment",
        "reports a mistake in #international (see the message ↗)",  # an English report
        "„Bedank eerst”",  # the shortcut on a message the detector missed
        "« Bedank eerst »",
        "De tip voor Sanne wacht in haar Home-tab tot de ochtend",  # quiet hours
        "Terwijl je vrij was, was er 1 moment om te bedanken",  # the morning DM
        "Momenten om te bedanken",  # Home keeps the moments
        "Sanne klikt in het Home-tabblad op [Gedaan]",
        "Sanne klikt op [Andere suggestie]",
        "verwijt klinken („waarom heb je”)",  # the blame reframe
        "blame (“you never check anything before you send it, do you?”)",  # only the model reads it
        "Sanne klikt op [Geen melding van een fout]",  # a false positive
        "Leerzone blijft stil",
        "Iemand nodigt Leerzone uit in #klantenservice",  # the default schedule
        "/fout schema di 10:00",
        "elke week op dinsdag om 10:00",
        "de planner van Leerzone draait",
        "LEERZONE — DE VRAAG VAN DEZE WEEK",  # the posted prompt
        "[Deel een fout]",
        "Jouw meldingen",  # the Home tab
        "Wat Leerzone met je berichten doet",
        "privébericht aan Anna, met een bestand",  # the export
        '"failures": [',
        "Niemand is gepingd",
    ):
        assert expected in transcript, expected
    assert "[PING]" not in transcript
    assert "<!here> ik heb per ongeluk" in transcript  # shown literally, harmless
    # owning a mistake without a verb of doing ("er zat nog een fout in mijn …") earns a tip
    owned = transcript.index("Er zat nog een fout in mijn rooster")
    assert "privébericht aan Sanne" in transcript[owned:].splitlines()[1]
    # reassurance in a report's thread earns no coaching tip: the next line says so
    kind = transcript.index("Geen zorgen, dat overkomt iedereen.")
    assert (
        transcript[kind:]
        .splitlines()[1]
        .strip()
        .startswith("(Leerzone blijft stil: een antwoord zonder verwijt")
    )
    # a leader judging herself owns her share: a thank-you for modelling it, no coaching tip
    own = transcript.index("Slordig van mij trouwens")
    after = transcript[own:].split("\n\n", 1)[0]
    assert "privébericht aan Sanne" in after and "Je deelt zelf een fout" in after
    assert "verwijt" not in after


def test_run_serves_http_on_port_against_slack_api_url(tmp_path, standin, until_serving):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEERZONE_"))}
    env = {
        **clean,
        "SLACK_BOT_TOKEN": "xoxb-run-test",
        "SLACK_SIGNING_SECRET": "run-secret",
        "SLACK_API_URL": standin.base_url,
        "PORT": str(port),
        "LEERZONE_DB": str(tmp_path / "nested" / "run.db"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        sim = SlackSimulator(f"http://127.0.0.1:{port}/slack/events", "run-secret", standin)
        until_serving(port, proc)
        assert sim.slash("U0ANNA", "C0TEAM", "de verkeerde versie gedeployed").status == 200
        standin.wait_calls("response_url")
        assert standin.calls_to("auth.test")[0].token == "xoxb-run-test"
        assert (tmp_path / "nested" / "run.db").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_run_uses_socket_mode_when_an_app_token_is_set(monkeypatch, tmp_path, standin):
    import slack_bolt.adapter.socket_mode as socket_mode

    started = {}

    class RecordingHandler:
        def __init__(self, app, app_token):
            started.update(app=app, token=app_token)

        def start(self):
            started["started"] = True

    monkeypatch.setattr(socket_mode, "SocketModeHandler", RecordingHandler)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    for name, value in {
        "SLACK_BOT_TOKEN": "xoxb-socket",
        "SLACK_APP_TOKEN": "xapp-socket",
        "SLACK_API_URL": standin.base_url,
        "LEERZONE_DB": str(tmp_path / "socket.db"),
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["run"]) == 0
    assert started == {"app": started["app"], "token": "xapp-socket", "started": True}
    assert standin.calls_to("auth.test")[0].token == "xoxb-socket"


def test_dotenv_in_the_working_directory_is_read_and_the_environment_wins(monkeypatch, tmp_path):
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-dotenv\nLEERZONE_LANGUAGE=de\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.setenv("LEERZONE_LANGUAGE", "en")
    # the token comes from .env; the language from the environment; the secret is missing
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=dict(os.environ),
    )
    assert result.returncode == 2 and "SLACK_SIGNING_SECRET" in result.stderr


def classify_cli(text: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "classify", text],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    return json.loads(result.stdout)


def test_classify_one_text():
    answer = classify_cli("oeps, bijlage vergeten")
    score = answer.pop("score")
    assert answer == {
        "is_mistake": True,
        "kind": "preventable",
        "lang": "nl",
        "blame": False,
        "reframe": None,
    }
    assert 0.5 <= score <= 1.0  # a probability, from the learned model


def test_classify_reads_a_reply_for_blame_too():
    answer = classify_cli("waarom heb je dat niet eerst gecheckt?")
    assert (answer["blame"], answer["reframe"]) == (True, "why")


def test_classify_jsonl_keeps_order_and_survives_bad_lines():
    lines = [
        json.dumps({"text": "my bad, wrong file"}),
        "not json",
        json.dumps({"text": "zullen we lunchen? 🥪"}, ensure_ascii=False),
        json.dumps({"nope": 1}),
        json.dumps({"text": "ons experiment met de nieuwe intake werkte niet"}),
    ]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "classify", "--jsonl"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        encoding="utf-8",
    )
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0 and len(out) == 5
    assert [o["is_mistake"] for o in out] == [True, False, False, False, True]
    assert "error" in out[1] and "error" in out[3]
    assert out[4]["kind"] == "intelligent"
    assert set(out[0]) == {"is_mistake", "kind", "lang", "score", "blame", "reframe"}


def test_run_with_a_bad_token_or_no_network_says_so_in_one_line(leerzone_run, standin):
    standin.revoked.add("xoxb-revoked")
    bad = leerzone_run(wait=False, SLACK_BOT_TOKEN="xoxb-revoked")
    assert bad.proc.wait(timeout=30) == 2
    lines = bad.output().strip().splitlines()
    assert len(lines) == 1 and "token_revoked" in lines[0] and "SLACK_BOT_TOKEN" in lines[0]
    offline = leerzone_run(wait=False, SLACK_API_URL="http://127.0.0.1:9/api/")
    assert offline.proc.wait(timeout=30) == 2
    lines = offline.output().strip().splitlines()
    assert len(lines) == 1 and "cannot reach Slack" in lines[0], lines


def test_run_stops_cleanly_on_sigterm(leerzone_run):
    """A service manager's stop: the server loop ends, acknowledged work and jobs finish,
    the lock is given back, exit status 0."""
    run = leerzone_run()
    assert run.sim.slash("U0ANNA", "C0TEAM", "help").status == 200
    assert run.stop() == 0
    assert "stopping" in run.output() and "Traceback" not in run.output()


def test_train_and_evaluate_blame_from_labelled_replies(tmp_path, capsys):
    """`leerzone train --blame` learns a blame model from labelled replies (our own and an
    organisation's, so this runs without ../shared) and `evaluate --blame` measures it; the
    packaged model is left alone when --out is given. Training runs as the real command; the
    rest in this process (the encoder loads once)."""
    own = [str(p) for p in sorted(DATA.glob("blame_*.txt"))]
    corpus = [arg for path in own for arg in ("--corpus", path)]
    out = tmp_path / "blame.json"
    # thresholds come from cross-validation grouped by source: our own replies are no source
    assert main(["train", "--blame", *corpus, "--out", str(out)]) == 2
    refused = capsys.readouterr().err.strip().splitlines()
    assert len(refused) == 1 and "at least 5 sources" in refused[0] and not out.exists()
    replies = tmp_path / "replies.jsonl"  # an organisation's own labelled replies
    rows = [
        ("did you even test this before merging?", "en", True),
        ("thanks, can you share the logs?", "en", False),
        ("why did you pick a queue here?", "en", False),
        ("je had het toch moeten controleren", "nl", True),
        ("dank je, wat heb je nodig?", "nl", False),
        ("nobody here reads the checklist, apparently", "en", True),
        ("goed dat je het zegt, zullen we samen kijken?", "nl", False),
        ("weer niet getest zeker? knap hoor", "nl", True),
        ("can you add a test for this case?", "en", False),
        ("hoe laat zag je het voor het eerst?", "nl", False),
    ]
    replies.write_text(
        "".join(
            json.dumps({"text": t, "lang": lang, "label": label, "group": f"org/{n}"}) + "\n"
            for n, (t, lang, label) in enumerate(rows)
        )
    )
    corpus += ["--corpus", str(replies)]
    trained = subprocess.run(
        [sys.executable, "-m", "bot", "train", "--blame", *corpus, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert trained.returncode == 0, trained.stderr
    summary = json.loads(trained.stdout)
    assert summary["model"] == str(out) and 0.3 <= summary["threshold"] <= 0.95
    model = json.loads(out.read_text())
    assert len(model["embedding_weights"]) == 512  # numbers only: no reply's words
    assert not any(isinstance(v, str) for v in model["feature_weights"])
    measure = ["evaluate", "--blame", "--corpus", str(replies)]
    assert main([*measure, "--model", str(out)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["en"]["replies"] == 5 and report["nl"]["replies"] == 5
    assert report["en"]["tp"] + report["en"]["fn"] == 2  # two blaming English replies
    assert report["nl"]["tp"] >= 1  # "je had het moeten…": the rules read it whatever the model
    assert main([*measure, "--rules"]) == 0
    assert json.loads(capsys.readouterr().out)["en"]["tp"] == 1  # "did you even test": a rule
    # cross-validated: the threshold read on the mean over five assignments of sources to folds
    assert main([*measure, "--cv"]) == 0
    measured = json.loads(capsys.readouterr().out)
    assert 0.3 <= measured["threshold"] <= 0.95
    assert set(measured["mean_over_fold_assignments"]) == {"en", "nl"}
