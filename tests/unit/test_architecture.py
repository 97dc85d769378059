"""The import rules of ARCHITECTURE.md: arrows point down, and each outside library has one room."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "importexport_cli"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (lazy imports inside functions count too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level:
            base = ".".join(package.split(".")[: len(package.split(".")) - (node.level - 1)])
            module = f"{base}.{node.module}" if node.module else base
            found |= {module} | {f"{module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add(node.module)
    return found


FILES = {module_name(p): imports(p) for p in PACKAGE.rglob("*.py")}


def users_of(prefix: str) -> set[str]:
    return {name for name, found in FILES.items() if any(m == prefix or m.startswith(prefix + ".") for m in found)}


def test_each_outside_library_has_one_room():
    assert users_of("click") <= {n for n in FILES if n.startswith("importexport_cli.cli")}
    assert users_of("rich") <= {"importexport_cli.output"}
    assert users_of("lxml") <= {"importexport_cli.wire.xml"}
    assert users_of("httpx") <= {"importexport_cli.client", "importexport_cli.emulator"}
    assert users_of("sqlite3") <= {"importexport_cli.emulator.store"}
    assert users_of("gunicorn") <= {"importexport_cli.emulator.server"}


def test_arrows_point_down():
    assert users_of("importexport_cli.cli") <= {n for n in FILES if n.startswith("importexport_cli.cli")} | {
        "importexport_cli.__main__"}
    emulator = {n for n in FILES if n.startswith("importexport_cli.emulator")}
    for name in emulator:
        assert not any(m.startswith(("importexport_cli.client", "importexport_cli.cli", "importexport_cli.workflows",
                                     "importexport_cli.output")) for m in FILES[name]), name
    core = {"importexport_cli.client", "importexport_cli.workflows", "importexport_cli.manifest",
            "importexport_cli.output", "importexport_cli.signature_file", "importexport_cli.config"}
    for name in core:
        assert not any(m.startswith("importexport_cli.emulator") for m in FILES[name]), name
    for name in (n for n in FILES if n.startswith("importexport_cli.wire")):
        assert all(not m.startswith("importexport_cli.") or m.startswith(("importexport_cli.wire",
                                                                           "importexport_cli.service"))
                   for m in FILES[name]), name
