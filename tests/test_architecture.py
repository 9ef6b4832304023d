"""The house rules, checked: no import cycles, pure modules import no Slack, handlers are thin,
and at most a dozen modules at the top of bot/."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[1] / "bot"


def module_name(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in BOT.rglob("*.py")}


def imports_of(path: Path) -> set[str]:
    """Modules of bot/ this module imports, at the top or inside a function (a lazy import
    that only hides a cycle is still a cycle)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("bot"))
    return {m for m in found if m in MODULES}


GRAPH = {name: imports_of(path) for name, path in MODULES.items() if name != "bot.__main__"}


def test_no_import_cycles():
    seen: dict[str, str] = {}  # module -> "visiting" | "done"

    def visit(module: str, trail: list[str]) -> None:
        if seen.get(module) == "done":
            return
        assert seen.get(module) != "visiting", " -> ".join([*trail, module])
        seen[module] = "visiting"
        for imported in sorted(GRAPH[module]):
            if imported in GRAPH and imported != module and not module.startswith(imported + "."):
                visit(imported, [*trail, module])
        seen[module] = "done"

    for module in sorted(GRAPH):
        visit(module, [])


def test_pure_modules_import_no_slack_and_no_storage():
    pure = [
        "bot.detection.detect",
        "bot.detection.lexicon",
        "bot.nudges.policy",
        "bot.team_prompts.rotation",
        "bot.commands",
        "bot.ui.texts",
        "bot.ui.blocks",
        "bot.ui.ids",
    ]
    for name in pure:
        tree = ast.parse(MODULES[name].read_text())
        imported = {
            n.module if isinstance(n, ast.ImportFrom) else a.name
            for n in ast.walk(tree)
            if isinstance(n, (ast.Import, ast.ImportFrom))
            for a in (n.names if isinstance(n, ast.Import) else [n])
        }
        forbidden = {
            m
            for m in imported
            if m and m.startswith(("slack_", "sqlite", "bot.storage", "bot.deps", "bot.slack"))
        }
        assert not forbidden, f"{name} imports {forbidden}"


def test_at_most_a_dozen_modules_at_the_top():
    top = [p.name for p in BOT.glob("*.py")]
    assert len(top) <= 12, top


def test_every_package_says_what_it_holds():
    for init in BOT.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text()))
        assert doc and len(doc) > 30, f"{init.relative_to(BOT.parent)} has no real docstring"


def test_sql_lives_in_the_stores():
    """One way to the data: only storage and the stores (and the sandbox) speak SQL."""
    allowed = {
        "bot.storage.database",
        "bot.storage.migrations",
        "bot.storage.channels",
        "bot.storage.prefs",
        "bot.storage.installs",
        "bot.reviews.store",
        "bot.failures.store",
        "bot.nudges.store",
        "bot.team_prompts.store",
    }
    for name, path in MODULES.items():
        text = path.read_text()
        speaks_sql = any(w in text for w in ("SELECT ", "UPDATE ", "DELETE FROM", ".execute("))
        if speaks_sql:
            assert name in allowed, f"{name} speaks SQL; its store should"
