"""The API (portal/api) and the public pages (portal/web) are two faces of one Portal: neither
imports the other, directly or through another module. They meet only in portal.server."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parents[2] / "portal"
APART = {"portal.web": "portal.api", "portal.api": "portal.web"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PORTAL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every module `path` names in an import, relative imports resolved."""
    package = (
        module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    )
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            out |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return out


def under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


@pytest.mark.parametrize(("side", "other"), APART.items())
def test_no_module_imports_the_other_side(side: str, other: str) -> None:
    files = sorted((PORTAL / side.split(".")[1]).rglob("*.py"))
    assert files, f"no modules found under {side}"
    crossing = [f"{module_name(f)} imports {name}" for f in files
                for name in sorted(imported(f)) if under(name, other)]  # fmt: skip
    assert crossing == []


@pytest.mark.parametrize(("side", "other"), APART.items())
def test_importing_one_side_loads_nothing_of_the_other(side: str, other: str) -> None:
    """Transitively too: a fresh interpreter that imports every module of one side."""
    modules = [module_name(f) for f in sorted((PORTAL / side.split(".")[1]).rglob("*.py"))]
    script = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(sorted(m for m in sys.modules if m == {other!r} or m.startswith({other + '.'!r})))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=PORTAL.parent, check=True)  # fmt: skip
    assert done.stdout.strip() == "[]"
