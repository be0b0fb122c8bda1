"""`publish_recipe()`: a recipe converted into its staging folder under the data dir, then
published from there — the one step `portal publish <recipe>` and the test catalogues use."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.catalogue.from_recipe import publish_recipe
from portal.catalogue.publish import Options
from portal.composition import Portal
from portal.pipeline import RecipeInvalid
from portal.settings import Settings
from portal.workspace import Workspace
from tests.conftest import TEST_DATA

QUIET = Options(sleep=lambda s: None, who="test-clerk")


def test_a_recipe_is_converted_under_the_data_dir_and_published(settings: Settings) -> None:
    publisher = Portal.open(settings, "embedded").publisher()
    catalogue = publisher.catalogue
    result = publish_recipe(
        TEST_DATA / "convert" / "event-cp932.yaml", publisher, Workspace.of(settings), QUIET
    )
    assert result.action == "create"
    shown = catalogue.package_show(result.plan.name)
    assert shown is not None and shown["title"]
    staged = settings.data_dir / "converted" / "event-cp932"
    assert (staged / "datapackage.json").is_file()
    again = publish_recipe(
        TEST_DATA / "convert" / "event-cp932.yaml", publisher, Workspace.of(settings), QUIET
    )
    assert again.action == "unchanged"


def test_a_recipe_that_does_not_convert_publishes_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    publisher = Portal.open(settings, "embedded").publisher()
    catalogue = publisher.catalogue
    recipe = tmp_path / "event-deep-header.yaml"
    text = (TEST_DATA / "convert" / "event-cp932.yaml").read_text(encoding="utf-8")
    source = TEST_DATA / "convert" / "event-cp932.csv"
    recipe.write_text(
        text.replace("  path: event-cp932.csv", f"  path: {source}\n  header_row: 1000"),
        encoding="utf-8",
    )
    with pytest.raises(RecipeInvalid) as raised:
        publish_recipe(recipe, publisher, Workspace.of(settings), QUIET)
    assert "header_row" in raised.value.message_en
    assert catalogue.package_list() == []
