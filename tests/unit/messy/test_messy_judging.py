"""How the messy-corpus harness judges a run (tests/data/messy/README.md): the figures and the
problems a family owner reads must say what the portal did, so the judging itself is tested here
on suggestions made by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from portal.pipeline.choice import Candidate
from portal.pipeline.suggest import Match, Suggestion
from tests.unit.messy.messy_checks import judge
from tests.unit.messy.messy_corpus import Case, Run
from tests.unit.messy.messy_figures import by_family, corpus_problems

HERE = Path(__file__).resolve().parents[2] / "data" / "messy" / "standard"


def case(**expected: Any) -> Case:
    return Case(HERE / "made_up.csv", HERE / "made_up.expected.yaml", expected)


def suggestion(dataset: str, pairs: dict[str, list[str]], lgcode: str | None = "222127",
               sure: bool = True, candidates: tuple[str, ...] = ()) -> Suggestion:  # fmt: skip
    return Suggestion(
        source=HERE / "made_up.csv", sheet=None, header_row=1, dataset=dataset, dataset_score=0.9,
        alternatives=[], lgcode=lgcode, lgcode_reason="a made-up reason", constants={},
        constant_reasons={}, matches=[Match(f, s, 1.0, "made up", []) for f, s in pairs.items()],
        unmatched_fields=[], unused_columns=[], sure=sure,
        candidates=[Candidate(k, k, 0.5) for k in candidates],
    )  # fmt: skip


def run_of(s: Suggestion) -> Run:
    return Run(suggestion=s, mapped=s)


def test_mapping_is_scored_per_field_and_columns_pair() -> None:
    expected = case(dataset="aed", publisher="222127",
                    mapping={"名称": "施設名", "地方公共団体名": ["都道府県", "市町村"], "緯度": "lat"})  # fmt: skip
    got = suggestion("aed", {"名称": ["施設名"], "地方公共団体名": ["市町村", "都道府県"],
                             "経度": ["lat"]})  # fmt: skip
    v = judge(expected, run_of(got))
    assert (v.right_pairs, v.suggested_pairs, v.expected_pairs) == (1, 3, 3)
    assert any("wrong: 地方公共団体名 ← 市町村 + 都道府県; 経度 ← lat" in p for p in v.problems)


def test_choose_needs_an_unsure_suggestion_with_the_candidates() -> None:
    expected = case(dataset="choose", candidates=["care_service"], publisher=None)
    unsure = suggestion("aed", {}, lgcode=None, sure=False, candidates=("aed", "care_service"))
    assert judge(expected, run_of(unsure)).dataset == "choose"
    sure = suggestion("aed", {}, lgcode=None, sure=True, candidates=("aed", "care_service"))
    v = judge(expected, run_of(sure))
    assert v.dataset == "wrong" and any("but suggest is sure" in p for p in v.problems)


def test_a_wrong_best_guess_that_was_not_sure_counts_as_an_honest_choose_but_fails_the_file() -> (
    None
):
    expected = case(dataset="care_service", publisher="222127")
    v = judge(
        expected, run_of(suggestion("aed", {}, sure=False, candidates=("aed", "care_service")))
    )
    assert v.dataset == "choose" and v.problems
    assert corpus_problems([v], 0.98, 0.9) == []


def test_a_publisher_guessed_where_the_file_names_none_is_a_problem_of_the_file_only() -> None:
    v = judge(case(dataset="aed", publisher=None), run_of(suggestion("aed", {}, lgcode="131016")))
    assert v.publisher == "wrong" and any("the file names none" in p for p in v.problems)
    assert corpus_problems([v], 0.98, 0.9) == []  # the done-when: right wherever the file names it


def test_a_wrong_dataset_conversion_reported_valid_fails_the_file_and_the_corpus() -> None:
    run = run_of(suggestion("aed", {}))
    run.wrong_dataset, run.wrong_valid = "preschool", True
    v = judge(case(dataset="aed", publisher="222127"), run)
    assert any("INTO the wrong dataset preschool" in p for p in v.problems)
    assert corpus_problems([v], 0.98, 0.9) == [
        "wrong-dataset conversions reported valid: ['standard/made_up → preschool']"
    ]
    assert by_family([v])["ALL"].wrong_valid == 1


def test_converting_with_the_expected_publisher_leaves_the_suggestion_as_made(
    tmp_path: Path,
) -> None:
    from portal.localgov import load as load_directory
    from portal.settings import Settings
    from portal.standards import Registry
    from portal.workspace import Workspace
    from tests.conftest import DATASETS_DIR, REFERENCE_DIR
    from tests.unit.messy.messy_corpus import Runner

    data = tmp_path / "aed.csv"
    data.write_text("名称,緯度,経度\n市役所,34.86,138.32\n", encoding="utf-8")
    made = case(dataset="aed", publisher="222127", convert={"valid": True})
    made = Case(data, tmp_path / "aed.expected.yaml", made.expected)
    settings = Settings(datasets_dir=DATASETS_DIR, reference_dir=REFERENCE_DIR,
                        data_dir=tmp_path / "var")  # fmt: skip
    runner = Runner(Workspace.of(settings, Registry(DATASETS_DIR), load_directory()), tmp_path)
    run = Run(suggestion=suggestion("aed", {"名称": ["名称"]}, lgcode=None))
    run.mapped = run.suggestion
    runner._convert(made, run, made.expected["convert"])
    assert run.suggestion is not None and run.suggestion.lgcode is None
    assert judge(made, run).publisher == "wrong"
