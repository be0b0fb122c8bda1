"""The NGSI tests' fixtures: filip in a venv of its own, and a stand-in broker.

filip 0.8.1 (the FIWARE library whose models the entity payloads are checked against) pins
pandas 2.x and pydantic < 2.14, which the project's pins exclude: it gets its own venv,
.venv-filip beside .venv, built once (a stamp file names the version) and run by subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import missing

FILIP = "filip==0.8.1"
ROOT = Path(__file__).resolve().parents[3]
VENV = Path(os.environ.get("PORTAL_TEST_FILIP_VENV", ROOT / ".venv-filip"))
CHECKER = Path(__file__).with_name("filip_check.py")
BUILD_TIMEOUT_S = 900

FilipCheck = Callable[[list[dict[str, Any]], list[dict[str, Any]]], dict[str, list[str | None]]]


def _build() -> Path:
    python, stamp = VENV / "bin" / "python", VENV / ".stamp"
    if stamp.is_file() and stamp.read_text() == FILIP and python.is_file():
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True,
                   timeout=BUILD_TIMEOUT_S)  # fmt: skip
    subprocess.run([str(python), "-m", "pip", "install", "-q", FILIP], check=True,
                   timeout=BUILD_TIMEOUT_S, capture_output=True)  # fmt: skip
    stamp.write_text(FILIP)
    return python


@pytest.fixture(scope="session")
def filip_python() -> Path:
    try:
        return _build()
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        missing("filip venv", f"building {VENV} with {FILIP} failed: {exc} {detail[-500:]!r}",
                f"python3 -m venv {VENV} && {VENV}/bin/pip install {FILIP}")  # fmt: skip
        raise


@pytest.fixture(scope="session")
def filip_check(filip_python: Path) -> FilipCheck:
    """Each entity's and each batch's filip validation error (None where it validates)."""

    def check(entities: list[dict[str, Any]],
              batches: list[dict[str, Any]]) -> dict[str, list[str | None]]:  # fmt: skip
        done = subprocess.run(
            [str(filip_python), str(CHECKER)], input=json.dumps({"entities": entities,
            "batches": batches}), capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
        result: dict[str, list[str | None]] = json.loads(done.stdout)
        return result

    return check
