"""Validation in bounded memory: what a big file costs does not grow with its rows."""

from __future__ import annotations

import subprocess
import sys

CATALOGUE_LIBRARIES = ("sqlalchemy", "alembic", "ckanapi")


def test_validating_loads_no_catalogue_libraries() -> None:
    """`portal validate` opens no database and no CKAN: building its settings and workspace
    must not import them (they cost 0.4 s and 40 MiB, more than validating takes)."""
    code = (
        "import sys\n"
        "from portal.settings import Settings\n"
        "from portal.validation import validate\n"
        "from portal.workspace import Workspace\n"
        "Workspace.of(Settings())\n"
        f"print(sorted(m for m in {CATALOGUE_LIBRARIES!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
