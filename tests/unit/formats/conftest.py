"""Where the format readers' test files are."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.settings import PROJECT_ROOT

DATA = Path(__file__).parents[2] / "data" / "formats"
SAMPLES = PROJECT_ROOT.parent / "shared" / "samples"


@pytest.fixture
def data() -> Path:
    """tests/data/formats: the small committed files, one quirk each."""
    return DATA


@pytest.fixture
def samples() -> Path:
    """The real municipal CSVs (all UTF-8 without a BOM), beside the project."""
    assert SAMPLES.is_dir(), f"the real samples must sit beside the project: {SAMPLES}"
    return SAMPLES
