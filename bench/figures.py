"""The figures a bench script reports, written as JSON for bench/report.py (`make bench`).

Every bench script collects its measurements in one `Figures` and, given `--json PATH`, writes
them with `Figures.write(path)`: a JSON list of objects with the keys name, value, unit,
baseline, ratio, goal, met and note. bench/report.py turns the lists of every script into
bench/REPORT.md.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    """One measured figure: `baseline` names the figure it is compared with (`ratio` = this
    value / the baseline's), `goal` says the target in words (e.g. "< 50 ms"), `met` whether
    the value reaches it, `note` what limits the figure when it does not (the profile's top
    entries)."""

    name: str
    value: float
    unit: str
    baseline: str | None = None
    ratio: float | None = None
    goal: str | float | None = None
    met: bool | None = None
    note: str = ""


class Figures:
    """The figures of one bench run, in the order they were added."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []

    def add(
        self,
        name: str,
        value: float,
        unit: str,
        *,
        baseline: str | None = None,
        ratio: float | None = None,
        goal: str | float | None = None,
        met: bool | None = None,
        note: str = "",
    ) -> Figure:
        figure = Figure(name, value, unit, baseline, ratio, goal, met, note)
        self.figures.append(figure)
        return figure

    def as_json(self) -> list[dict[str, object]]:
        return [asdict(figure) for figure in self.figures]

    def write(self, path: str | Path | None) -> None:
        """Write the figures to `path` (nothing when None, so `--json` can stay optional)."""
        if path is None:
            return
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.as_json(), ensure_ascii=False, indent=2)
        target.write_text(text + "\n", encoding="utf-8")
