"""Check outgoing Web API calls against Slack's own spec, Block Kit schema and limits.

The stand-in runs every call it receives through `SlackContract.check`, so a test that makes the
app send an unknown method, leave out a required argument or build blocks Slack would refuse
fails, instead of passing against a stand-in that accepts anything. The artifacts are read from
`../shared/slack-fixtures/` (never copied into the project); `SlackContract.load` returns None
where that folder is absent, and callers then check nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.sandbox.shared import SLACK_FIXTURES

# Where a view's type decides which schema definition and which block limit apply.
_VIEW_DEFS = {"modal": ("modal_view", "modal.blocks.max"), "home": ("home_view", "home.blocks.max")}
_VIEW_METHODS = {"views.open", "views.publish", "views.update", "views.push"}
_MESSAGE_METHODS = {"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage"}


@dataclass(frozen=True)
class Violation:
    method: str
    problem: str

    def __str__(self) -> str:
        return f"{self.method}: {self.problem}"


class SlackContract:
    """Slack's Web API spec (known methods, required arguments) and Block Kit rules."""

    def __init__(
        self,
        methods: dict[str, set[str]],
        block_schema: dict[str, Any],
        limits: dict[str, Any],
    ) -> None:
        self.methods = methods  # method -> required argument names (token excluded)
        self.limits = limits
        self._schema = block_schema
        self._validators: dict[str, Any] = {}

    @classmethod
    def load(cls, folder: Path | str = SLACK_FIXTURES) -> SlackContract | None:
        return _load(str(folder))

    # checks -------------------------------------------------------------------------------

    def check(self, method: str, args: dict[str, Any], token: str | None) -> list[Violation]:
        """Everything Slack would refuse (or silently truncate) about this call."""
        if method not in self.methods:
            return [Violation(method, "unknown Web API method")]
        problems = [
            f"required argument '{name}' missing"
            for name in sorted(self.methods[method])
            if args.get(name) in (None, "")
        ]
        if method != "oauth.v2.access" and not (token or args.get("token")):
            problems.append("no token (Authorization header or token argument)")
        if method in _MESSAGE_METHODS:
            problems += self.message_problems(args)
        if method in _VIEW_METHODS:
            problems += self.view_problems(args.get("view"))
        return [Violation(method, p) for p in problems]

    def message_problems(self, message: dict[str, Any]) -> list[str]:
        """A message body: chat.* arguments or a response_url post."""
        problems = []
        blocks, text = message.get("blocks"), message.get("text")
        shows_something = blocks or text or message.get("attachments")
        if not shows_something and not message.get("delete_original"):
            problems.append("neither text nor blocks")
        if isinstance(text, str) and len(text) > self._limit(
            "message_text", "text.truncated_after_chars"
        ):
            problems.append(f"text of {len(text)} characters would be truncated")
        if blocks:
            problems += self._blocks_problems(blocks, self._limit("surfaces", "message.blocks.max"))
        return problems

    def view_problems(self, view: Any) -> list[str]:
        if isinstance(view, str):
            try:
                view = json.loads(view)
            except ValueError:
                return ["view is not JSON"]
        if not isinstance(view, dict):
            return ["view missing or not an object"]
        kind = view.get("type")
        if kind not in _VIEW_DEFS:
            return [f"view type {kind!r} is not modal or home"]
        definition, max_key = _VIEW_DEFS[kind]
        problems = self._schema_problems(definition, view)
        if len(view.get("blocks") or []) > self._limit("surfaces", max_key):
            problems.append(f"{len(view['blocks'])} blocks in a {kind} view")
        for key, limit in (
            ("private_metadata", "view.private_metadata.max"),
            ("callback_id", "view.callback_id.max"),
            ("external_id", "view.external_id.max"),
        ):
            if len(str(view.get(key) or "")) > self._limit("surfaces", limit):
                problems.append(f"{key} longer than {self._limit('surfaces', limit)}")
        for key in ("title", "submit", "close"):
            text = (view.get(key) or {}).get("text", "")
            if len(text) > self._limit("surfaces", f"modal.{key}.text.max"):
                problems.append(f"{key} text '{text}' is too long")
        size = len(json.dumps(view, ensure_ascii=False).encode())
        if size > 250_000:  # limits.json: view.size.max "250 kB"
            problems.append(f"view of {size} bytes")
        return problems

    # helpers ------------------------------------------------------------------------------

    def _blocks_problems(self, blocks: Any, max_blocks: int) -> list[str]:
        if not isinstance(blocks, list):
            return ["blocks is not a list"]
        problems = self._schema_problems(None, blocks)
        if len(blocks) > max_blocks:
            problems.append(f"{len(blocks)} blocks (at most {max_blocks})")
        return problems

    def _schema_problems(self, definition: str | None, value: Any) -> list[str]:
        errors = list(self._validator(definition).iter_errors(value))
        if not errors:
            return []
        # anyOf/oneOf errors say only "not valid under any of the given schemas": name the
        # leaf of the branch that got furthest, which is where the payload really went wrong.
        leaves = []
        while errors:
            error = errors.pop()
            if error.context:
                errors.extend(error.context)
            else:
                leaves.append(error)
        error = max(
            leaves,
            key=lambda e: (len(e.absolute_path), e.validator not in {"const", "enum", "type"}),
        )
        where = "/".join(map(str, error.absolute_path))
        return [f"Block Kit: {error.message[:160]} at /{where}"]

    def _validator(self, definition: str | None) -> Any:
        import jsonschema  # a dev dependency: only tests and the demo check contracts

        key = definition or "<root>"
        if key not in self._validators:
            schema = (
                self._schema
                if definition is None
                else {"$defs": self._schema["$defs"], "$ref": f"#/$defs/{definition}"}
            )
            self._validators[key] = jsonschema.Draft202012Validator(schema)
        return self._validators[key]

    def _limit(self, section: str, name: str) -> int:
        return int(self.limits[section][name]["value"])


@cache
def _load(folder: str) -> SlackContract | None:
    root = Path(folder)
    spec_path = root / "web-api" / "slack_web_openapi_v2.json"
    schema_path = root / "blockkit" / "slack-block-kit.schema.json"
    limits_path = root / "blockkit" / "limits.json"
    if not (spec_path.exists() and schema_path.exists() and limits_path.exists()):
        return None
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        return None
    methods: dict[str, set[str]] = {}
    for path, operations in json.loads(spec_path.read_text())["paths"].items():
        for operation in operations.values():
            required = {p["name"] for p in operation.get("parameters", []) if p.get("required")} - {
                "token"
            }
            methods.setdefault(path.lstrip("/"), set()).update(required)
    # Methods newer than the archived 2021 spec (e.g. files.getUploadURLExternal) are known
    # from the rate-limit map Slack's Java SDK team keeps current.
    tiers = root / "web-api" / "rate_limit_tiers.java-slack-sdk.json"
    if tiers.exists():
        for method in json.loads(tiers.read_text()):
            methods.setdefault(method, set())
    # The docs.slack.dev scrape lists today's required arguments for the methods it covers.
    for scraped in (root / "web-api" / "docs-slack-dev-scraped").glob("*.json"):
        args = json.loads(scraped.read_text()).get("args") or {}
        methods.setdefault(scraped.stem, set()).update(set(args.get("required", [])) - {"token"})
    return SlackContract(
        methods,
        json.loads(schema_path.read_text()),
        json.loads(limits_path.read_text()),
    )
