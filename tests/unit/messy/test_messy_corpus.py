"""The messy corpus (tests/data/messy/): every file suggested, converted and validated as a clerk
would, against what a person knows is right about it (issue 13's "done when").

One test per file (`-k legacy`, `-k hospital/…`) and one over the whole corpus, which prints a
table of figures per family (`pytest -s`). Each file is run once per session.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.localgov import load as load_directory
from portal.settings import Settings
from portal.standards import Registry
from portal.workspace import Workspace
from tests.conftest import DATASETS_DIR, REFERENCE_DIR
from tests.unit.messy.messy_checks import PRECISION_FLOOR, RECALL_FLOOR, Verdict, judge
from tests.unit.messy.messy_corpus import MESSY, Case, Runner, discover, format_problems, load_case
from tests.unit.messy.messy_figures import corpus_problems, table

CASES = discover()


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    scratch = tmp_path_factory.mktemp("messy")
    settings = Settings(datasets_dir=DATASETS_DIR, reference_dir=REFERENCE_DIR,
                        data_dir=scratch / "var")  # fmt: skip
    workspace = Workspace.of(settings, Registry(DATASETS_DIR), load_directory())
    with pytest.MonkeyPatch.context() as patch:
        # The 町字 lists a city drops in (町字マスター CSV): the addresses family's 三島市 list.
        patch.setenv("PORTAL_TOWNS_DIR", str(MESSY / "addresses" / "towns"))
        yield Runner(workspace, scratch)


_verdicts: dict[str, Verdict] = {}


def verdict(runner: Runner, case: Case) -> Verdict:
    if case.id not in _verdicts:
        _verdicts[case.id] = judge(case, runner.run(case))
    return _verdicts[case.id]


def test_the_corpus_has_files() -> None:
    assert CASES, "tests/data/messy/ holds no <name>.expected.yaml"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_messy_file(runner: Runner, case: Case) -> None:
    problems = format_problems(case)
    assert not problems, "\n".join(problems)
    v = verdict(runner, case)
    assert not v.problems, f"{case.id} ({case.expected.get('quirk', '')}):\n" + "\n".join(
        f"- {p}" for p in v.problems
    )


def test_messy_corpus_meets_the_done_when(runner: Runner) -> None:
    broken = [f"{c.id}: {p}" for c in CASES for p in format_problems(c)]
    assert not broken, "\n".join(broken)
    verdicts = [verdict(runner, c) for c in CASES]
    print("\n" + table(verdicts))
    problems = corpus_problems(verdicts, PRECISION_FLOOR, RECALL_FLOOR)
    assert not problems, "\n".join(problems)


def test_a_file_that_names_no_data_file_is_reported(tmp_path: Path) -> None:
    expected = tmp_path / "ghost.expected.yaml"
    expected.write_text("dataset: aed\npublisher: null\nmaping: {}\n", encoding="utf-8")
    case = Case(tmp_path / "ghost", expected, {"dataset": "aed", "maping": {}})
    problems = format_problems(case)
    assert any("no single data file" in p for p in problems)
    assert any("unknown key 'maping'" in p for p in problems)


def test_an_expected_file_that_is_not_yaml_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "broken.csv").write_text("名称\nA\n", encoding="utf-8")
    expected = tmp_path / "broken.expected.yaml"
    expected.write_text("quirk: a: b: c\ndataset: aed\n", encoding="utf-8")
    problems = format_problems(load_case(expected))
    assert len(problems) == 1 and "mapping values are not allowed" in problems[0]
