"""A department's metadata (a recipe's `metadata:` block) travels: convert writes it into
datapackage.json, publish into the catalogue — on the embedded catalogue (SQLite,
PostgreSQL) and on the real CKAN — and package_show gives it back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from portal.catalogue import Catalogue
from portal.catalogue.metadata import DatasetMetadata, MetadataInvalid
from portal.catalogue.publish import Options, Publisher, publish
from portal.pipeline import convert
from portal.settings import Settings
from portal.workspace import Workspace
from tests.conftest import TEST_DATA

QUIET = Options(sleep=lambda s: None, who="test-clerk")
METADATA = """
metadata:
  title: 焼津市 行事予定
  description: 市の主な行事の予定です。
  department: 生涯学習課
  contact_phone: "054-626-1139"
  contact_email: gakushu@city.example.jp
  contact_url: https://city.example.jp/form/event
  update_frequency: 毎月
  keywords: [行事, 生涯学習]
  license: cc-by-sa
"""


def recipe_with(tmp_path: Path, block: str) -> Path:
    """The CP932 event recipe beside its source in tmp_path, with `block` appended."""
    for name in ("event-cp932.yaml", "event-cp932.csv"):
        shutil.copy(TEST_DATA / "convert" / name, tmp_path / name)
    recipe = tmp_path / "event-cp932.yaml"
    recipe.write_text(recipe.read_text(encoding="utf-8") + block, encoding="utf-8")
    return recipe


def converted_with(settings: Settings, tmp_path: Path, block: str, out: str) -> Path:
    result = convert(recipe_with(tmp_path, block), Workspace.of(settings), tmp_path / out)
    return result.files["csv"].parent


def test_the_metadata_reads_back_from_the_catalogue(
    publisher: Publisher, catalogue: Catalogue, publish_settings: Settings, tmp_path: Path,
    suffix: str,
) -> None:  # fmt: skip
    folder = converted_with(publish_settings, tmp_path, METADATA, "with")
    written = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert written["portal"]["metadata"]["department"] == "生涯学習課"
    publish(folder, publisher, QUIET)
    shown = catalogue.package_show(f"222127-event-{suffix}")
    assert shown is not None
    assert shown["title"] == "焼津市 行事予定"
    assert shown["notes"] == "市の主な行事の予定です。"
    assert shown["maintainer"] == "生涯学習課"
    assert shown["maintainer_email"] == "gakushu@city.example.jp"
    assert shown["license_id"] == "cc-by-sa"
    extras = {e["key"]: e["value"] for e in shown["extras"]}
    assert extras["contact_phone"] == "054-626-1139"
    assert extras["contact_url"] == "https://city.example.jp/form/event"
    assert (
        extras["frequency"] == "http://publications.europa.eu/resource/authority/frequency/MONTHLY"
    )
    assert {"行事", "生涯学習", "自治体標準ODS"} <= {t["name"] for t in shown["tags"]}
    read = DatasetMetadata.from_package(shown, not_keywords={"自治体標準ODS", "イベント"})
    given = DatasetMetadata.parse(written["portal"]["metadata"])
    # CKAN answers tags sorted by name: the keywords come back, not their order.
    assert set(read.keywords) == set(given.keywords)
    assert read.model_copy(update={"keywords": ()}) == given.model_copy(update={"keywords": ()})


def test_metadata_left_out_later_leaves_the_catalogue(
    publisher: Publisher, catalogue: Catalogue, publish_settings: Settings, tmp_path: Path,
    suffix: str,
) -> None:  # fmt: skip
    publish(converted_with(publish_settings, tmp_path, METADATA, "with"), publisher, QUIET)
    without = converted_with(publish_settings, tmp_path, "", "without")
    assert publish(without, publisher, QUIET).action == "update"
    shown = catalogue.package_show(f"222127-event-{suffix}")
    assert shown is not None
    assert not shown.get("maintainer") and not shown.get("maintainer_email")
    assert "contact_phone" not in {e["key"] for e in shown["extras"]}
    assert shown["title"] == "イベント一覧（静岡県焼津市）"


def test_a_wrong_value_in_the_recipe_names_its_line(settings: Settings, tmp_path: Path) -> None:
    block = "\nmetadata:\n  department: 生涯学習課\n  contact_email: gakushu(at)city\n"
    recipe = recipe_with(tmp_path, block)
    line = recipe.read_text(encoding="utf-8").splitlines().index("  contact_email: gakushu(at)city")
    with pytest.raises(MetadataInvalid) as refused:
        convert(recipe, Workspace.of(settings), tmp_path / "out")
    assert refused.value.location is not None and refused.value.location.line == line + 1
    assert "「gakushu(at)city」はメールアドレスではありません" in refused.value.message_ja
    assert refused.value.exit_code == 2
