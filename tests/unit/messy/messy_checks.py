"""Judging one corpus file's run against its expected outputs: the problems in plain words
and the figures the corpus-wide test adds up (tests/data/messy/README.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from portal.pipeline.suggest import Suggestion
from portal.validation import Report
from tests.unit.messy.messy_corpus import CHOOSE, Case, Pair, Run, candidates_of, pairs_of, sure_of

# The "done when" (issue 13): over the whole corpus, and per file unless the file asks
# for an exact mapping (the standard family: files already in the current layout).
PRECISION_FLOOR = 0.98
RECALL_FLOOR = 0.9


@dataclass
class Verdict:
    case: Case
    problems: list[str] = field(default_factory=list)
    dataset: str = ""  # "right" | "choose" (honest) | "wrong"
    publisher: str = ""  # "right" | "wrong" | "none named" (and none guessed)
    right_pairs: int = 0
    suggested_pairs: int = 0
    expected_pairs: int = 0
    defects_found: int = 0
    defects_planted: int = 0
    missed_defects: list[str] = field(default_factory=list)
    wrong_dataset: str = ""
    wrong_valid: bool | None = None
    wrong_note: str = ""

    @property
    def precision(self) -> float:
        return self.right_pairs / self.suggested_pairs if self.suggested_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.right_pairs / self.expected_pairs if self.expected_pairs else 1.0


def judge(case: Case, run: Run) -> Verdict:
    v = Verdict(case)
    if run.suggestion is None:
        v.problems.append(run.error or "suggest gave nothing")
        v.dataset, v.publisher = "wrong", "wrong"
        v.expected_pairs = len(case.mapping)
        return v
    _judge_dataset(v, case, run.suggestion)
    _judge_publisher(v, case, run.suggestion)
    _judge_mapping(v, case, run.mapped)
    _judge_convert(v, case, run)
    _judge_validate(v, case, run.validate_report)
    _judge_defects(v, case, run)
    v.wrong_dataset, v.wrong_valid, v.wrong_note = (
        run.wrong_dataset,
        run.wrong_valid,
        run.wrong_note,
    )
    if run.wrong_valid:
        v.problems.append(
            f"converted INTO the wrong dataset {run.wrong_dataset}, the report says valid (適合)"
        )
    return v


def _judge_dataset(v: Verdict, case: Case, s: Suggestion) -> None:
    sure, candidates = sure_of(s), candidates_of(s)
    shown = f"suggested {s.dataset} ({s.dataset_score:.2f}), sure={sure}, candidates {candidates}"
    if case.dataset == CHOOSE:
        missing = [k for k in case.expected.get("candidates") or [] if k not in candidates]
        if sure is None:
            v.problems.append(f"expected `choose` but Suggestion has no `sure` yet; {shown}")
        elif sure:
            v.problems.append(f"expected `choose` (not sure) but suggest is sure; {shown}")
        if missing:
            v.problems.append(f"candidates {missing} missing from the choice; {shown}")
        v.dataset = "choose" if sure is False and not missing else "wrong"
        return
    if s.dataset != case.dataset:
        honest = sure is False and case.dataset in candidates
        v.dataset = "choose" if honest else "wrong"
        v.problems.append(f"dataset: expected {case.dataset}; {shown}")
    elif sure is False:
        v.dataset = "choose"
        v.problems.append(f"dataset {case.dataset} is right but suggest is not sure; {shown}")
    else:
        v.dataset = "right"


def _judge_publisher(v: Verdict, case: Case, s: Suggestion) -> None:
    expected, got = case.publisher, s.lgcode
    if expected is None:
        v.publisher = "none named" if got is None else "wrong"
        if got is not None:
            v.problems.append(
                f"publisher: the file names none, suggest says {got} ({s.lgcode_reason})"
            )
    elif got == expected:
        v.publisher = "right"
    else:
        v.publisher = "wrong"
        v.problems.append(f"publisher: expected {expected}, got {got} ({s.lgcode_reason})")


def _judge_mapping(v: Verdict, case: Case, s: Suggestion | None) -> None:
    expected = case.mapping
    got: set[Pair] = pairs_of(s) if s is not None else set()
    right = expected & got
    v.right_pairs, v.suggested_pairs, v.expected_pairs = len(right), len(got), len(expected)
    floors = (1.0, 1.0) if case.expected.get("mapping_exact") else (PRECISION_FLOOR, RECALL_FLOOR)
    if expected and (v.precision < floors[0] or v.recall < floors[1]):
        wrong = sorted(got - expected)
        missed = sorted(expected - got)
        v.problems.append(
            f"mapping precision {v.precision:.2f} recall {v.recall:.2f} (floors {floors[0]}/"
            f"{floors[1]}); wrong: {_pairs(wrong)}; missed: {_pairs(missed)}"
        )
    used = {c for _, sources in got for c in sources}
    kept_out = [c for c in case.expected.get("unmapped") or [] if c in used]
    if kept_out:
        v.problems.append(f"columns that must stay unused were mapped: {kept_out}")


def _pairs(pairs: list[Pair]) -> str:
    return "; ".join(f"{f} ← {' + '.join(c)}" for f, c in pairs) or "none"


def _codes(report: Report) -> set[str]:
    return set(report.findings.by_code)


def _judge_findings(v: Verdict, what: str, report: Report, spec: dict[str, Any]) -> None:
    codes = _codes(report)
    missing = [c for c in spec.get("findings") or [] if c not in codes]
    present = [c for c in spec.get("absent") or [] if c in codes]
    if missing:
        v.problems.append(f"{what}: findings {missing} not reported (got {sorted(codes)})")
    if present:
        v.problems.append(f"{what}: findings {present} reported but must not be")


def _judge_convert(v: Verdict, case: Case, run: Run) -> None:
    spec = case.expected.get("convert")
    if not spec:
        return
    error = run.convert_error
    if spec.get("error"):
        if error is None or error.code != spec["error"]:
            got = error.code if error is not None else "a conversion"
            v.problems.append(f"convert: expected error {spec['error']}, got {got}")
        return
    if error is not None:
        v.problems.append(f"convert refused the recipe: {error.code}: {error}")
        return
    report = run.convert_report
    assert report is not None
    if "valid" in spec and report.valid != bool(spec["valid"]):
        errors = sorted({f.code for f in report.findings.kept() if f.is_error})
        v.problems.append(f"convert: expected valid={spec['valid']}, got {report.valid} ({errors})")
    _judge_findings(v, "convert", report, spec)


def _judge_validate(v: Verdict, case: Case, report: Report | None) -> None:
    if report is None:
        return
    spec = case.expected["validate"]
    if "valid" in spec and report.valid != bool(spec["valid"]):
        errors = sorted({f.code for f in report.findings.kept() if f.is_error})
        v.problems.append(
            f"validate: expected valid={spec['valid']}, got {report.valid} ({errors})"
        )
    _judge_findings(v, "validate", report, spec)


def _judge_defects(v: Verdict, case: Case, run: Run) -> None:
    """A planted defect is found when a report has its code on its source row (and field)."""
    seen: set[tuple[str, int | None, str | None]] = set()
    if run.validate_report is not None:
        seen |= {(f.code, f.row, f.field) for f in run.validate_report.findings.kept()}
    if run.convert_report is not None:
        rows = run.convert_rows  # the output's row r is the source's rows[r - 2]
        for f in run.convert_report.findings.kept():
            source_row = (
                rows[f.row - 2] if f.row is not None and 2 <= f.row < len(rows) + 2 else None
            )
            seen.add((f.code, source_row, f.field))
    for defect in case.expected.get("defects") or []:
        v.defects_planted += 1
        if any(_is(defect, code, row, name) for code, row, name in seen):
            v.defects_found += 1
        else:
            v.missed_defects.append(", ".join(f"{k} {val}" for k, val in defect.items()))


def _is(defect: dict[str, Any], code: str, row: int | None, name: str | None) -> bool:
    return (
        defect.get("code") == code
        and ("row" not in defect or defect["row"] == row)
        and ("field" not in defect or defect["field"] == name)
    )
