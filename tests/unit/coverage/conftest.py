"""A portal with real publishes, on SQLite and PostgreSQL: 摂津市's AED list (valid, its
metadata saying it is updated monthly), 吹田市's (invalid: 要修正) and 焼津市's events."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.catalogue.from_recipe import publish_recipe
from portal.catalogue.publish import Options, Published
from portal.composition import Portal
from portal.settings import Settings
from tests.conftest import TEST_DATA

SETTSU, SUITA, YAIZU, IBARAKI = "272248", "272051", "222127", "272116"


def monthly_settsu_aed(folder: Path) -> Path:
    """摂津市's AED recipe with `metadata: update_frequency: monthly`."""
    text = (TEST_DATA / "api" / "aed-settsu.yaml").read_text(encoding="utf-8")
    source = TEST_DATA / "api" / "aed-settsu.csv"
    recipe = folder / "aed-settsu-monthly.yaml"
    recipe.write_text(text.replace("  path: aed-settsu.csv", f"  path: {source}")
                      + "metadata:\n  update_frequency: monthly\n", encoding="utf-8")  # fmt: skip
    return recipe


def publish(portal: Portal, recipe: Path) -> Published:
    return publish_recipe(recipe, portal.publisher(), portal.workspace, Options(allow_invalid=True))


@pytest.fixture
def coverage_settings(settings: Settings, database_url: str) -> Settings:
    return settings.model_copy(update={"database_url": database_url, "catalogue": "embedded"})


@pytest.fixture
def portal(coverage_settings: Settings, tmp_path: Path) -> Iterator[Portal]:
    opened = Portal.open(coverage_settings)
    for recipe in (monthly_settsu_aed(tmp_path), TEST_DATA / "api" / "aed-suita.yaml",
                   TEST_DATA / "convert" / "event-cp932.yaml"):  # fmt: skip
        publish(opened, recipe)
    yield opened
    opened.close()
