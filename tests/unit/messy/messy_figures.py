"""The corpus's figures: per family and overall, and what falls short of the done-when."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from tests.unit.messy.messy_checks import Verdict


@dataclass
class Figures:
    files: int = 0
    right: int = 0
    choose: int = 0
    wrong: int = 0
    publisher_named: int = 0
    publisher_right: int = 0
    right_pairs: int = 0
    suggested_pairs: int = 0
    expected_pairs: int = 0
    defects_found: int = 0
    defects_planted: int = 0
    wrong_converted: int = 0
    wrong_valid: int = 0
    failing: int = 0

    def add(self, v: Verdict) -> None:
        self.files += 1
        self.right += v.dataset == "right"
        self.choose += v.dataset == "choose"
        self.wrong += v.dataset == "wrong"
        named = v.case.publisher is not None
        self.publisher_named += named
        self.publisher_right += named and v.publisher == "right"
        self.right_pairs += v.right_pairs
        self.suggested_pairs += v.suggested_pairs
        self.expected_pairs += v.expected_pairs
        self.defects_found += v.defects_found
        self.defects_planted += v.defects_planted
        self.wrong_converted += bool(v.wrong_dataset)
        self.wrong_valid += bool(v.wrong_valid)
        self.failing += bool(v.problems)

    @property
    def precision(self) -> float:
        return self.right_pairs / self.suggested_pairs if self.suggested_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.right_pairs / self.expected_pairs if self.expected_pairs else 1.0


def by_family(verdicts: list[Verdict]) -> dict[str, Figures]:
    out: dict[str, Figures] = defaultdict(Figures)
    for v in verdicts:
        out[v.case.family].add(v)
        out["ALL"].add(v)
    return dict(sorted(out.items(), key=lambda kv: (kv[0] == "ALL", kv[0])))


COLUMNS = ("family", "files", "right", "choose", "wrong", "publisher", "precision", "recall",
           "defects", "wrong→valid", "failing")  # fmt: skip


def table(verdicts: list[Verdict]) -> str:
    rows = [COLUMNS]
    for family, f in by_family(verdicts).items():
        rows.append((
            family, str(f.files), str(f.right), str(f.choose), str(f.wrong),
            f"{f.publisher_right}/{f.publisher_named}",
            f"{f.precision:.3f} ({f.right_pairs}/{f.suggested_pairs})",
            f"{f.recall:.3f} ({f.right_pairs}/{f.expected_pairs})",
            f"{f.defects_found}/{f.defects_planted}",
            f"{f.wrong_valid}/{f.wrong_converted}", str(f.failing),
        ))  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    missed = [f"  {v.case.id}: {d}" for v in verdicts for d in v.missed_defects]
    if missed:
        lines += ["planted defects not reported:", *missed]
    return "\n".join(lines)


def corpus_problems(verdicts: list[Verdict], precision: float, recall: float) -> list[str]:
    """Each of the done-when's conditions the corpus does not meet, with the files at fault."""
    total = by_family(verdicts).get("ALL", Figures())
    problems = []
    if total.precision < precision or total.recall < recall:
        problems.append(
            f"mapping precision {total.precision:.3f} / recall {total.recall:.3f} over the corpus "
            f"(done when ≥ {precision} / ≥ {recall})"
        )
    wrong = [v.case.id for v in verdicts if v.dataset == "wrong"]
    if wrong:
        problems.append(f"dataset neither right nor an honest choose: {wrong}")
    publisher = [v.case.id for v in verdicts if v.case.publisher and v.publisher == "wrong"]
    if publisher:
        problems.append(f"publisher wrong where the file names it: {publisher}")
    valid = [f"{v.case.id} → {v.wrong_dataset}" for v in verdicts if v.wrong_valid]
    if valid:
        problems.append(f"wrong-dataset conversions reported valid: {valid}")
    return problems
