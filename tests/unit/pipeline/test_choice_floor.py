"""Which standard dataset a file is (portal/pipeline/choice.py through `suggest`): every
signal — columns, values, sheet name, title rows, file name — with its evidence, and an
honest "not sure" (a person chooses) below the floor, between close candidates and for a
kind of table the reference has no dataset for. And `portal recipe suggest` saying so."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from portal.localgov import Directory
from portal.pipeline.choice import CONFIDENCE_FLOOR, MARGIN, Context, datasets_named
from portal.pipeline.suggest import Suggestion, suggest
from portal.standards import Registry
from tests.conftest import DATASETS_DIR

CHOICE = Path(__file__).parents[2] / "data" / "messy" / "choice"


def chosen(name: str, registry: Registry, directory: Directory, **kw: str) -> Suggestion:
    return suggest(CHOICE / name, registry, directory, **kw)


def evidence(s: Suggestion) -> str:
    return " | ".join(s.candidates[0].evidence)


def test_care_list_with_service_marks_is_care_service(
    registry: Registry, directory: Directory
) -> None:
    s = chosen("kanazawa_kaigo_jigyosho.csv", registry, directory)
    assert (s.dataset, s.sure) == ("care_service", True)  # was AED: ○ columns as 小児対応設備
    said = evidence(s)
    assert "column names 事業所番号, 訪問介護, 通所介護" in said
    assert "of 8 values of 事業所名 name such things" in said
    assert s.candidates[0].evidence_ja[0].startswith("列の一致")


def test_marks_alone_say_nothing(tmp_path: Path, registry: Registry, directory: Directory) -> None:
    path = tmp_path / "list.csv"  # two columns of ○ and nothing that says what they mark
    path.write_text("施設名,住所,A,B\n中央会館,石川県金沢市広坂1-1-1,○,\n西部会館,石川県金沢市西念3-4-5,,○\n"
                    "東部会館,石川県金沢市森山2-3-10,○,○\n南部会館,石川県金沢市泉野町4-2-8,○,\n", encoding="utf-8")  # fmt: skip
    s = suggest(path, registry, directory)
    assert not s.sure and s.dataset != "aed"
    assert any("under the floor" in en for en, _ in s.doubts)


def test_tourism_list_named_by_its_file(registry: Registry, directory: Directory) -> None:
    s = chosen("naha_kanko_spot.csv", registry, directory)
    assert (s.dataset, s.sure) == ("tourism", True)
    assert "file name naha_kanko_spot.csv names kanko" in evidence(s)


def test_title_row_names_the_dataset(registry: Registry, directory: Directory) -> None:
    s = chosen("nara_kanko_shisetsu.csv", registry, directory)
    assert (s.dataset, s.sure) == ("tourism", True)
    assert "title row 「奈良市 観光施設一覧」 names 観光" in evidence(s)
    s = chosen("toyohashi_wifi_title.csv", registry, directory)  # 名称, 住所, 電話番号 only
    assert (s.dataset, s.sure) == ("public_wireless_lan", True)
    assert "names 無線LAN, Wi-Fi" in evidence(s)


def test_sheet_name_names_the_dataset(registry: Registry, directory: Directory) -> None:
    s = chosen("gifu_shisetsu.xlsx", registry, directory)  # generic headers, sheet AED設置施設
    assert (s.dataset, s.sure) == ("aed", True)
    assert "sheet name 「AED設置施設」 names AED" in evidence(s)
    assert "シート名「AED設置施設」に「AED」" in " ".join(s.candidates[0].evidence_ja)


def test_population_table_under_a_title(registry: Registry, directory: Directory) -> None:
    s = chosen("matsuyama_nenreibetsu.xlsx", registry, directory)
    assert (s.dataset, s.sure) == ("population_by_area_age", True)  # was wireless LAN
    said = evidence(s)
    assert "title row 「年齢別人口」 names 人口" in said
    assert "column names 0～4歳, 5～9歳" in said


def test_generic_facility_list_asks(registry: Registry, directory: Directory) -> None:
    s = chosen("maebashi_list.csv", registry, directory)
    assert not s.sure
    assert len(s.candidates) > 2
    assert s.candidates[0].score - s.candidates[1].score < MARGIN
    assert any("public_facility" == c.dataset for c in s.candidates)
    assert [ja for en, ja in s.doubts if "ahead of the next" in en]


def test_table_of_no_standard_asks(registry: Registry, directory: Directory) -> None:
    s = chosen("sapporo_josetsu_rosen.csv", registry, directory)
    assert not s.sure and s.dataset_score < CONFIDENCE_FLOOR
    assert any("under the floor" in en for en, _ in s.doubts)


def test_a_kind_the_reference_lacks_is_never_sure(registry: Registry, directory: Directory) -> None:
    s = chosen("kumamoto_shitei_hinanjo.csv", registry, directory)
    assert not s.sure
    assert s.candidates[0].dataset == "evacuation_space"
    assert any("標準データセットに「指定避難所」はありません" in ja for _, ja in s.doubts)
    asked = chosen("kumamoto_shitei_hinanjo.csv", registry, directory, dataset="evacuation_space")
    assert asked.sure and asked.dataset == "evacuation_space"
    assert any("指定避難所" in ja for _, ja in asked.doubts)  # still said
    assert "# NOT SURE / 要確認: " in asked.to_yaml(CHOICE)


def test_a_dataset_given_is_sure_and_a_poor_fit_is_said(
    registry: Registry, directory: Directory
) -> None:
    s = chosen("sapporo_josetsu_rosen.csv", registry, directory, dataset="aed")
    assert s.sure and s.dataset == "aed"
    assert any(en.startswith("the columns fit aed only") for en, _ in s.doubts)


# The CLI


def test_cli_not_sure_writes_nothing_and_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from portal.cli import main

    draft = tmp_path / "draft.yaml"
    source = CHOICE / "maebashi_list.csv"
    assert main(["recipe", "suggest", str(source), "--out", str(draft)]) == 3
    out, err = capsys.readouterr()
    assert not draft.exists() and out == ""
    assert "Not sure which standard dataset this is" in err
    assert "どの標準データセットか確定できません" in err
    assert "1. " in err and "columns fit" in err and "列の一致" in err
    assert "--dataset KEY" in err and f"portal recipe suggest {source} --dataset " in err
    assert main(["recipe", "suggest", str(source)]) == 3  # nor printed
    assert "# Draft recipe" not in capsys.readouterr().out


def test_cli_with_dataset_writes_and_says_what_the_reference_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from portal.cli import main

    draft = tmp_path / "draft.yaml"
    source = CHOICE / "kumamoto_shitei_hinanjo.csv"
    assert main(["recipe", "suggest", str(source), "--out", str(draft)]) == 3
    assert "指定避難所" in capsys.readouterr().err
    args = ["recipe", "suggest", str(source), "--dataset", "evacuation_space", "--out", str(draft)]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert draft.is_file() and "draft recipe written" in err
    assert "標準データセットに「指定避難所」はありません" in err
    assert (
        "the reference defines no standard dataset for designated evacuation shelters"
        in err.replace("\n", " ")
    )


def test_service_marks_become_the_list_of_services(tmp_path: Path, registry: Registry,
                                                   directory: Directory) -> None:  # fmt: skip
    """The ○ columns of a care list are the 実施サービス: the converted CSV lists them."""
    from portal.pipeline.convert import convert
    from portal.settings import Settings
    from portal.workspace import Workspace

    s = chosen("kanazawa_kaigo_jigyosho.csv", registry, directory)
    recipe = tmp_path / "kaigo.yaml"
    recipe.write_text(s.to_yaml(tmp_path), encoding="utf-8")
    assert "実施サービス: {marked: {columns: [訪問介護, 通所介護, 短期入所生活介護, 居宅介護支援]}}" in (
        recipe.read_text(encoding="utf-8"))  # fmt: skip
    settings = Settings(datasets_dir=DATASETS_DIR, data_dir=tmp_path / "var")
    result = convert(recipe, Workspace.of(settings), tmp_path / "out")
    with result.files["csv"].open(encoding="utf-8-sig") as fh:
        services = [row["実施サービス"] for row in csv.DictReader(fh)]
    assert services[:3] == ["訪問介護;通所介護;居宅介護支援", "通所介護", "訪問介護;居宅介護支援"]
    assert s.unused_columns == []


def test_datasets_named_by_the_file_itself(registry: Registry) -> None:
    """What the title rows, sheet and file name say the file is (for a conversion into
    another dataset to be doubted)."""
    named = datasets_named(
        registry, Context("gifu_shisetsu.xlsx", "AED設置施設", ("岐阜市 施設一覧",))
    )
    assert list(named) == ["aed"]
    assert named["aed"] == [
        ("sheet name 「AED設置施設」 names AED", "シート名「AED設置施設」に「AED」")
    ]
    assert datasets_named(registry, Context("maebashi_list.csv")) == {}


def test_romaji_words_in_file_names(registry: Registry) -> None:
    assert list(datasets_named(registry, Context("R6_hoikuen_ichiran.xlsx"))) == ["preschool"]
    assert list(datasets_named(registry, Context("kaigohoken_jigyosho.csv"))) == ["care_service"]
    assert datasets_named(registry, Context("shared_list.csv")) == {}  # no "aed" inside a word


def test_a_dataset_given_that_the_file_contradicts_is_said(
    registry: Registry, directory: Directory
) -> None:
    s = chosen("gifu_shisetsu.xlsx", registry, directory, dataset="public_wireless_lan")
    assert s.sure and s.dataset == "public_wireless_lan"  # a person's choice stands …
    assert ("the file says it is another dataset: sheet name 「AED設置施設」 names AED (aed); "
            "not public_wireless_lan") in [en for en, _ in s.doubts]  # fmt: skip
    assert chosen("gifu_shisetsu.xlsx", registry, directory, dataset="aed").doubts == []
