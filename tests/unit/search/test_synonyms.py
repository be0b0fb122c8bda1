"""Residents' words expanded with the synonyms held as data: widths and case folded, a city's own
file merged over the bundled one, a broken file named; the row names a dataset carries bounded."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from portal.search import row_names as names_module
from portal.search.categories import UnknownCategory, category_named, category_of
from portal.search.related import related_searches
from portal.search.row_names import MAX_BYTES, MAX_NAMES, SEPARATOR, row_names
from portal.search.synonyms import BadSynonyms, synonyms


def test_a_residents_word_stands_for_the_standards_words() -> None:
    (evacuation,) = synonyms().expand("避難所")
    assert evacuation[0] == "避難所"  # the word as typed comes first
    assert {"指定緊急避難場所", "指定避難所"} <= set(evacuation)
    (nursery,) = synonyms().expand("保育園")
    assert "子育て施設" in nursery and "幼稚園" in nursery


def test_width_case_and_separators_do_not_matter() -> None:
    spellings = ["Wi-Fi", "wifi", "WiFi", "ＷｉＦｉ", "ｗｉ－ｆｉ"]
    for spelling in spellings:
        (alternatives,) = synonyms().expand(spelling)
        assert "公衆無線LAN" in alternatives, spelling


def test_every_word_is_expanded_on_its_own() -> None:
    evacuation, place = synonyms().expand(
        "避難所\u3000焼津"
    )  # an ideographic space, as an IME types
    assert "指定緊急避難場所" in evacuation
    assert place == ("焼津",)
    assert synonyms().expand("*:*") == () and synonyms().expand("  ") == ()


def test_related_terms_go_one_way() -> None:
    (hall,) = synonyms().expand("公民館")
    assert "公共施設" in hall
    (facilities,) = synonyms().expand("公共施設")
    assert "公民館" not in facilities


def test_a_citys_own_file_adds_its_words(tmp_path: Path) -> None:
    own = tmp_path / "synonyms.yaml"
    own.write_text(
        "groups:\n  - [ちびっこ広場, 公園]\nrelated:\n  公民館: [地区センター]\n", encoding="utf-8"
    )
    (playground,) = synonyms(own).expand("ちびっこ広場")
    assert "公園" in playground
    (hall,) = synonyms(own).expand("公民館")
    assert {"公共施設", "地区センター"} <= set(hall)  # the bundled term kept, the city's added
    (evacuation,) = synonyms(own).expand("避難所")
    assert "指定緊急避難場所" in evacuation


@pytest.mark.parametrize("text", ["groups: 避難所\n", "related: [a, b]\n", "groups: [\n"])
def test_a_broken_city_file_is_named(tmp_path: Path, text: str) -> None:
    own = tmp_path / "mine.yaml"
    own.write_text(text, encoding="utf-8")
    with pytest.raises(BadSynonyms) as raised:
        synonyms(own)
    assert raised.value.code == "bad-synonyms" and "mine.yaml" in str(raised.value)


def test_related_searches_for_a_query_that_found_nothing() -> None:
    suggested = related_searches("避難所 焼津", synonyms())
    assert {"避難所", "焼津", "指定緊急避難場所"} <= set(suggested)
    assert "避難所 焼津" not in suggested
    assert related_searches("ほげほげ", synonyms())[0] == "防災"  # nothing related: browse


def test_categories() -> None:
    assert category_of("evacuation_space") == "防災"
    assert category_of("preschool") == "子育て"
    assert category_named("Health and welfare").name == "医療・福祉"
    with pytest.raises(UnknownCategory):
        category_named("天気")


def write_names(path: Path, names: list[str], column: str = "名称") -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["ID", column, "住所"])
        writer.writerows([str(i), n, "焼津市"] for i, n in enumerate(names))
    return path


def test_row_names_are_distinct_and_in_row_order(tmp_path: Path) -> None:
    found = row_names(
        write_names(tmp_path / "a.csv", ["市役所本館", "大井川港公園", "市役所本館", ""])
    )
    assert found.split(SEPARATOR) == ["市役所本館", "大井川港公園"]
    assert row_names(write_names(tmp_path / "b.csv", ["x"], column="備考")) == ""
    assert row_names(tmp_path / "missing.csv") == ""


def test_row_names_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    many = [f"施設{i:05d}" for i in range(MAX_NAMES * 3)]
    found = row_names(write_names(tmp_path / "many.csv", many))
    assert len(found.split(SEPARATOR)) <= MAX_NAMES
    assert len(found.encode("utf-8")) <= MAX_BYTES
    monkeypatch.setattr(names_module, "MAX_BYTES", 40)
    assert len(row_names(write_names(tmp_path / "few.csv", many)).encode("utf-8")) <= 40
