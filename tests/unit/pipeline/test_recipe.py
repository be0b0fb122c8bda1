"""Recipes: a mistake is reported with the recipe's line and the valid choices."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.localgov import load as load_directory
from portal.pipeline.recipe import RecipeInvalid, load
from portal.standards import Registry
from tests.conftest import DATASETS_DIR, SAMPLES_DIR

GOOD = f"""\
version: 1
source:
  path: {SAMPLES_DIR}/aed/yaizu_aed_legacy.csv
target:
  dataset: aed
  lgcode: "222127"
constants:
  地方公共団体名: 静岡県焼津市
columns:
  名称: {{from: 名称, normalize: [trim]}}
  所在地_町字: {{from: 住所, normalize: [{{address: town}}]}}
  ID: {{from: NO}}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "recipe.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    return load(write(tmp_path, text), Registry(DATASETS_DIR), load_directory(), [SAMPLES_DIR])


def test_a_good_recipe_loads(tmp_path: Path) -> None:
    recipe = load_text(tmp_path, GOOD)
    assert recipe.dataset == "aed" and recipe.lgcode == "222127"
    assert recipe.columns["所在地_町字"].normalize == [("address", "town")]
    assert recipe.source == SAMPLES_DIR / "aed" / "yaizu_aed_legacy.csv"


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("  名称: {from: 名称, normalize: [trim]}", "  名称: {from: 名称, normalise: [trim]}", 10,
         ["'normalise' is not a key of columns.名称", "valid keys: blank, expr, fill_down, from, join, marked, normalize, on_error, round, sum"]),
        ("normalize: [trim]}", "normalize: [trimm]}", 10, ["unknown normaliser 'trimm'", "valid: address, coordinate"]),
        ("{address: town}", "{address: street}", 11, ["option of 'address'", "'street' is not one of"]),
        ("  dataset: aed", "  dataset: aedd", 5, ["unknown dataset 'aedd'", "did you mean aed"]),
        ('  lgcode: "222127"', '  lgcode: "222128"', 6, ["'222128' is not an existing"]),
        ("  ID: {from: NO}", "  IDD: {from: NO}", 12, ["'IDD' is not a field of aed", "did you mean ID"]),
        ("version: 1", "version: 2", 1, ["version", "valid: 1"]),
        ("  path: ", "  paht: ", 3, ["'paht' is not a key of source"]),
    ],
)  # fmt: skip
def test_mistakes_name_the_line_and_the_choices(
    tmp_path: Path, old: str, new: str, line: int, words: list[str]
) -> None:
    assert old in GOOD
    with pytest.raises(RecipeInvalid) as err:
        load_text(tmp_path, GOOD.replace(old, new))
    assert err.value.location is not None and err.value.location.line == line
    for w in words:
        assert w in err.value.message_en
    assert err.value.message_ja and err.value.exit_code == 2


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(RecipeInvalid) as err:
        load_text(tmp_path, GOOD.replace("  dataset: aed", "  dataset: [aed"))
    # The parser notices an unclosed [ on the line after it: it points there.
    assert "not valid YAML" in err.value.message_en and err.value.location.line == 6  # type: ignore[union-attr]
    assert err.value.message_en.startswith("recipe.yaml, line 6: ")


def test_a_glob_takes_the_newest_file(tmp_path: Path) -> None:
    older, newer = tmp_path / "aed_2025.csv", tmp_path / "aed_2026.csv"
    for p in (older, newer):
        p.write_text(
            (SAMPLES_DIR / "aed" / "yaizu_aed_legacy.csv").read_text(encoding="utf-8"),
            encoding="utf-8",
        )
    import os

    os.utime(older, (1_700_000_000, 1_700_000_000))
    recipe = load_text(
        tmp_path, GOOD.replace(f"{SAMPLES_DIR}/aed/yaizu_aed_legacy.csv", "aed_*.csv")
    )
    assert recipe.source == newer
    with pytest.raises(RecipeInvalid, match="no file matches"):
        load_text(
            tmp_path, GOOD.replace(f"{SAMPLES_DIR}/aed/yaizu_aed_legacy.csv", "nothing_*.csv")
        )
