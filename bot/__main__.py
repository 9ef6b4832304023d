"""The `leerzone` command: the only place with side effects (environment, files, servers)."""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import re
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dotenv import load_dotenv

from bot.config import ConfigError, Settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leerzone",
        description="Leerzone: a Slack bot that helps teams learn from failures — thank first.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser(
        "run",
        help="connect to Slack: Socket Mode if SLACK_APP_TOKEN is set, else HTTP on $PORT",
        description="Run the bot. Reads .env and the environment; see .env.example.",
    )
    demo = sub.add_parser(
        "demo",
        help="play a scripted conversation against a local Slack stand-in (no tokens, no network)",
        description="Start the real app over HTTP against a local Slack stand-in on 127.0.0.1 "
        "and print what the bot sends.",
    )
    demo.add_argument("--db", help="keep the demo database at this path (default: a temp file)")
    playground = sub.add_parser(
        "playground",
        help="try Leerzone in a browser on 127.0.0.1 (no Slack, no tokens, no network)",
        description="Serve a page on 127.0.0.1 where you play a small workspace against the "
        "real app and a Slack stand-in, and see what the bot decided and stored.",
    )
    playground.add_argument("--port", type=int, default=8080, help="default 8080")
    playground.add_argument("--db", help="keep its database at this path (default: a temp file)")
    classify = sub.add_parser(
        "classify",
        help="is this message a self-reported mistake? prints JSON",
        description='Print {"is_mistake", "kind", "lang", "score"} for TEXT (or stdin); with '
        '--jsonl read {"text": …} lines on stdin and write one result line per input line.',
    )
    classify.add_argument("text", nargs="?", help="the message (default: read stdin)")
    classify.add_argument("--jsonl", action="store_true", help="JSON lines in, JSON lines out")
    classify.add_argument("--explain", action="store_true", help="also print the cue found")
    train = sub.add_parser(
        "train",
        help="retrain the mistake-report (or --blame) model from labelled JSONL (train extra)",
        description="Learn the detector from labelled JSONL in the detect-corpus format "
        '({"text", "lang", "label", "kind", "group"}), or with --blame the blame model from '
        "labelled replies. Thresholds come from cross-validation grouped by `group` (at least "
        "5 sources). Writes the model (numbers only) to --out.",
    )
    train.add_argument("--corpus", action="append", required=True, metavar="FILE.jsonl")
    train.add_argument("--out", default=None, help="model file (default: the packaged model)")
    train.add_argument(
        "--blame",
        action="store_true",
        help="train the blame model from labelled replies (blame_train.jsonl format) instead",
    )
    evaluate = sub.add_parser(
        "evaluate",
        help="precision/recall per language of the detector (or --blame) on labelled JSONL",
        description="Measure the shipped model (or --model) on labelled JSONL; with --cv, "
        "cross-validate instead, with folds grouped by source (needs the train extra).",
    )
    evaluate.add_argument("--corpus", action="append", required=True, metavar="FILE.jsonl")
    evaluate.add_argument("--model", default=None, help="a model file from leerzone train")
    evaluate.add_argument("--cv", action="store_true", help="grouped 5-fold cross-validation")
    evaluate.add_argument("--rules", action="store_true", help="the lexicon alone, to compare")
    evaluate.add_argument(
        "--blame", action="store_true", help="measure blame on labelled replies instead"
    )
    post = sub.add_parser(
        "post-prompts",
        help="post the scheduled team prompts due now (or at --at); safe to run twice",
        description="Run the scheduled-prompt job for the slots due at a moment: the same code "
        "the scheduler runs. A slot is posted at most once, whoever runs it.",
    )
    post.add_argument("--at", help="ISO-8601 moment (default: now; without offset: local time)")
    post.add_argument("--channel", help="only this channel id")
    return parser


def run_classify(args: argparse.Namespace) -> int:
    from bot.detection.classify import classify, classify_lines

    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    if args.jsonl:
        for line in classify_lines((raw.rstrip("\n") for raw in stdin), args.explain):
            print(line, flush=False)
        return 0
    text = args.text if args.text is not None else stdin.read()
    print(json.dumps(classify(text, args.explain), ensure_ascii=False))
    return 0


def run_train(args: argparse.Namespace) -> int:
    from bot.detection import train

    examples = train.read_corpus(args.corpus)
    packaged = Path(__file__).resolve().parent / "detection"
    if args.blame:
        blame = train.train_blame(examples)
        out = Path(args.out) if args.out else packaged / "blame_model.json"
        out.write_text(json.dumps(blame.to_json(), sort_keys=True) + "\n")
        print(json.dumps({"model": str(out), "threshold": blame.threshold, **blame.meta}))
        return 0
    model = train.train(examples)
    out = Path(args.out) if args.out else packaged / "model.json"
    out.write_text(json.dumps(model.to_json(), ensure_ascii=False, sort_keys=True) + "\n")
    print(json.dumps({"model": str(out), "thresholds": model.thresholds, **model.meta}))
    return 0


def run_evaluate_blame(args: argparse.Namespace) -> int:
    """Blame on labelled replies: the rules with the model (shipped, --model, or --cv), or
    the rules alone with --rules."""
    from bot.detection import train
    from bot.detection.blame import detect_blame, load_blame_model

    examples = train.read_corpus(args.corpus)
    found = train.blame_rules_found(examples)
    rules = {id(e): hit for e, hit in zip(examples, found, strict=True)}
    if args.rules:
        result: dict[str, Any] = train.report_blame(examples, lambda e: rules[id(e)])
    elif args.cv:
        runs = train.blame_runs(examples, train.blame_rows(examples))
        threshold = train.choose_blame_threshold(examples, runs, found)
        caught = {id(e): p >= threshold for e, p in zip(examples, runs[0], strict=True)}
        result = train.report_blame(examples, lambda e: rules[id(e)] or caught[id(e)])
        result["threshold"] = threshold
        # the same threshold, averaged over the other assignments of sources to folds too
        result["mean_over_fold_assignments"] = train.mean_figures(
            examples, runs, found, lambda lang: threshold
        )
    else:
        model = load_blame_model(args.model) if args.model else None
        result = train.report_blame(
            examples, lambda e: detect_blame(e.text, e.lang, model).is_blame
        )
    print(json.dumps(result, indent=2))
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    from bot.detection import train
    from bot.detection.detect import detect, reported
    from bot.detection.model import load_model

    if args.blame:
        return run_evaluate_blame(args)
    examples = train.read_corpus(args.corpus)
    if args.rules:
        result = train.report(examples, train.rules_only)
    elif args.cv:  # out of fold: the decision and the kind of every real message
        trained, runs, kinds = train.train_and_measure(examples)
        probabilities = runs[0]  # GroupKFold's own assignment: the figures, with kinds
        index = {id(e): i for i, e in enumerate(examples)}
        found = train.rules_found(examples)
        result = train.report(
            examples,
            lambda e: (
                reported(
                    probabilities[index[id(e)]], trained.threshold(e.lang), found[index[id(e)]]
                ),
                kinds.get(index[id(e)], "preventable"),
            ),
        )
        result["thresholds"] = trained.thresholds
        # the same thresholds, averaged over the other assignments of sources to folds too
        result["mean_over_fold_assignments"] = train.mean_figures(
            examples, runs, found, trained.threshold
        )
    else:
        model = load_model(args.model) if args.model else None

        def decide(e: train.Example) -> tuple[bool, str | None]:
            found = detect(e.text, e.lang, model)
            return found.is_mistake, found.kind

        result = train.report(examples, decide)
    print(json.dumps(result, indent=2))
    return 0


def _settings() -> Settings | None:
    load_dotenv(Path.cwd() / ".env", override=False)  # the environment wins over .env
    try:
        settings = Settings.from_env(os.environ)
    except ConfigError as err:
        print(f"leerzone: {err}", file=sys.stderr)
        return None
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from bot.slack.log_privacy import install

    install()  # never a token or a message's words in the log, at any level
    return settings


def workspace_clients(settings: Settings, app: Any) -> Any:
    """The app's client with one token; per-workspace clients from installations with OAuth."""
    if not settings.oauth:
        return app.client
    from bot.slack.oauth import installation_clients

    return installation_clients(settings, app.oauth_flow.settings.installation_store)


@contextmanager
def _quiet(*names: str) -> Iterator[None]:
    """Only critical records from these loggers for a moment (restored after)."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _start_problem(err: Exception, settings: Settings) -> str:
    """What kept `leerzone run` from starting, in one line that names the cause and the fix."""
    from slack_bolt.error import BoltError

    text = str(err)
    if isinstance(err, BoltError) and "auth.test" in text:
        found = re.search(r"""['"]error['"]:\s*['"]([a-z_]+)""", text)
        code = found.group(1) if found else "refused"
        return (
            f"Slack refused the bot token ({code}); check SLACK_BOT_TOKEN "
            "(a bot token starts with xoxb-, from the app's OAuth & Permissions page)"
        )
    if isinstance(err, OSError):  # URLError, refused, DNS, timeouts
        reason = getattr(err, "reason", None) or err
        return (
            f"cannot reach Slack at {settings.api_url} ({reason}); check the network, a proxy "
            "(HTTPS_PROXY) or SLACK_API_URL"
        )
    return f"could not start: {type(err).__name__}: {text.splitlines()[0] if text else ''}"


def run() -> int:
    settings = _settings()
    if settings is None:
        return 2
    from bot.app import build_deps, create_app, drain
    from bot.handlers.messages import finish_unfinished_work
    from bot.jobs import BackgroundJobs
    from bot.nudges.delivery import recover_pending_tips
    from bot.run_lock import AlreadyRunning, RunLock
    from bot.storage.database import Storage

    try:
        lock = RunLock(settings.db_path).acquire()  # held until this process ends
    except AlreadyRunning as err:
        print(
            f"leerzone: another `leerzone run` (process {err.holder or '?'}) already uses "
            f"{settings.db_path}; one per database (set LEERZONE_DB for a second one)",
            file=sys.stderr,
        )
        return 2
    deps = build_deps(settings, Storage(settings.db_path))
    try:
        with _quiet("slack_bolt", "slack_sdk"):  # their retries would print a page per cause
            app = create_app(deps)  # with one token, Bolt asks Slack's auth.test first
    except Exception as err:  # noqa: BLE001 (one line for the operator, never a traceback)
        print(f"leerzone: {_start_problem(err, settings)}", file=sys.stderr)
        lock.release()
        return 2
    clients = workspace_clients(settings, app)
    # What a stopped process left: messages claimed but not acted on, then tips not sent.
    if finished := finish_unfinished_work(deps, clients):
        logging.getLogger("leerzone").info("finished %d messages left by a stop", finished)
    if recovered := recover_pending_tips(deps, clients):
        logging.getLogger("leerzone").info("sent %d tips left pending by a stop", recovered)
    jobs = BackgroundJobs(deps, clients)
    jobs.start()
    from bot.detection.model import shipped_model

    shipped_model()  # read the detector now (~0.3 s), not while the first /fout waits for its ack
    # A service manager stops us with SIGTERM: end the server loop as Ctrl-C would, so work
    # already acknowledged finishes and the jobs stop (instead of dying mid-write).
    signal.signal(signal.SIGTERM, _stop)
    try:
        if settings.socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            logging.getLogger("leerzone").info("connecting with Socket Mode")
            SocketModeHandler(app, settings.app_token).start()
        else:
            from bot.slack.server import serve

            logging.getLogger("leerzone").info(
                "serving HTTP on port %s at /slack/events", settings.port
            )
            serve(app, settings.port, health=deps.storage.health)
    except KeyboardInterrupt:
        pass
    finally:
        logging.getLogger("leerzone").info("stopping: finishing the work in hand")
        jobs.shutdown()
        drain(app)
        lock.release()
    return 0


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def post_prompts(args: argparse.Namespace) -> int:
    settings = _settings()
    if settings is None:
        return 2
    from datetime import datetime

    from bot.app import build_deps, make_client
    from bot.storage.database import Storage
    from bot.team_prompts.posting import post_due_prompts

    try:
        at = datetime.fromisoformat(args.at) if args.at else datetime.now(settings.tz)
    except ValueError:
        print(f"leerzone: --at: {args.at!r} is not an ISO-8601 moment", file=sys.stderr)
        return 2
    if at.tzinfo is None:
        at = at.replace(tzinfo=settings.tz)
    deps = build_deps(settings, Storage(settings.db_path))
    if settings.oauth:
        from bot.slack.oauth import installation_clients, oauth_settings

        clients: Any = installation_clients(settings, oauth_settings(settings).installation_store)
    else:
        clients = make_client(settings)
    outcomes = post_due_prompts(deps, clients, at, args.channel)
    for outcome in outcomes:
        print(json.dumps(outcome.__dict__, ensure_ascii=False))
    if not outcomes:
        print(json.dumps({"status": "nothing due", "at": at.isoformat()}))
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "run":
        return run()
    if args.command == "classify":
        return run_classify(args)
    if args.command == "post-prompts":
        return post_prompts(args)
    if args.command in ("train", "evaluate"):
        try:
            return run_train(args) if args.command == "train" else run_evaluate(args)
        except (OSError, ValueError) as err:  # a bad corpus: one line, not a traceback
            print(f"leerzone {args.command}: {err}", file=sys.stderr)
            return 2
    if args.command == "demo":
        logging.basicConfig(level=logging.WARNING)
        from bot.sandbox.demo import run_demo

        return run_demo(db_path=args.db)
    if args.command == "playground":
        logging.basicConfig(level=logging.WARNING)
        from bot.playground.serve import serve_playground

        return serve_playground(args.port, args.db)
    return 2


if __name__ == "__main__":
    sys.exit(main())
