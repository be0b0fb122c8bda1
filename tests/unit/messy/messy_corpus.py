"""The messy corpus (tests/data/messy/): reading each file's expected outputs and running the
portal on the file as a clerk would (suggest, convert the recipe, validate), once per session.

The format of `<name>.expected.yaml` is in tests/data/messy/README.md. Every check returns the
problems it saw as plain sentences, so a failing case says everything that went wrong at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from portal.errors import PortalError
from portal.formats.layout_reader import data_rows, read_table
from portal.pipeline import convert
from portal.pipeline.suggest import Suggestion, suggest
from portal.standards import Registry
from portal.validation import Report
from portal.validation.validate import Options, validate
from portal.workspace import Workspace
from tests.conftest import TEST_DATA

MESSY = TEST_DATA / "messy"
EXPECTED_SUFFIX = ".expected.yaml"
CHOOSE = "choose"
TOP_KEYS = {"quirk", "dataset", "candidates", "publisher", "mapping", "mapping_exact", "unmapped",
            "sheet", "convert", "validate", "defects"}  # fmt: skip
CONVERT_KEYS = {"valid", "findings", "absent", "recipe", "error"}
VALIDATE_KEYS = {"dataset", "valid", "findings", "absent"}
# A code no conversion can use: a wrong-dataset conversion of a file that names no publisher
# still needs a real one, or convert refuses the placeholder 000000 and the check proves nothing.
FALLBACK_LGCODE = "131016"  # 東京都千代田区
# The wrong dataset when the ranking offers none: two common ones, the first not the right one.
FALLBACK_WRONG = ("public_facility", "aed")

Pair = tuple[str, tuple[str, ...]]  # (field, source columns in order)


@dataclass(frozen=True)
class Case:
    """One file of the corpus and what a person knows is right about it."""

    path: Path  # the data file
    expected_path: Path
    expected: dict[str, Any]

    @property
    def family(self) -> str:
        folder = self.path.parent
        return folder.relative_to(MESSY).as_posix() if folder.is_relative_to(MESSY) else folder.name

    @property
    def name(self) -> str:
        return self.expected_path.name.removesuffix(EXPECTED_SUFFIX)

    @property
    def id(self) -> str:
        return f"{self.family}/{self.name}"

    @property
    def dataset(self) -> str:
        return str(self.expected.get("dataset"))

    @property
    def sheet(self) -> str | int | None:
        sheet = self.expected.get("sheet")
        return sheet if isinstance(sheet, str | int) else None

    @property
    def publisher(self) -> str | None:
        value = self.expected.get("publisher")
        return None if value is None else str(value)

    @property
    def mapping_dataset(self) -> str:
        """The dataset the mapping is for: the expected one, or with `choose` the first
        candidate listed."""
        if self.dataset != CHOOSE:
            return self.dataset
        return str((self.expected.get("candidates") or [""])[0])

    @cached_property
    def mapping(self) -> set[Pair]:
        out: set[Pair] = set()
        for name, sources in (self.expected.get("mapping") or {}).items():
            columns = sources if isinstance(sources, list) else [sources]
            out.add((str(name), tuple(str(c) for c in columns)))
        return out


def discover(root: Path = MESSY) -> list[Case]:
    """Every `<name>.expected.yaml` under root with the data file beside it."""
    return [load_case(p) for p in sorted(root.rglob(f"*{EXPECTED_SUFFIX}"))]


def load_case(expected_path: Path) -> Case:
    stem = expected_path.name.removesuffix(EXPECTED_SUFFIX)
    data = [
        p for p in expected_path.parent.glob(f"{stem}.*")
        if p != expected_path and p.suffix.lower() in {".csv", ".xlsx", ".xls", ".tsv", ".txt"}
    ]  # fmt: skip
    try:
        loaded = yaml.safe_load(expected_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:  # one broken file must not hide the others' results
        loaded = {"__error__": " ".join(str(exc).split())}
    if not isinstance(loaded, dict):
        loaded = {"__error__": "not a YAML mapping"}
    return Case(data[0] if len(data) == 1 else expected_path.with_suffix(""), expected_path, loaded)


def format_problems(case: Case) -> list[str]:
    """What is wrong with the expected file itself (unknown keys, no data file)."""
    e, where = case.expected, case.expected_path.name
    problems = []
    if "__error__" in e:
        return [f"{where}: {e['__error__']}"]
    if not case.path.is_file():
        problems.append(f"{where}: no single data file {case.name}.csv|.xlsx beside it")
    problems += [f"{where}: unknown key {k!r} (see tests/data/messy/README.md)"
                 for k in sorted(set(e) - TOP_KEYS)]  # fmt: skip
    for key, allowed in (("convert", CONVERT_KEYS), ("validate", VALIDATE_KEYS)):
        part = e.get(key)
        if part is not None and not isinstance(part, dict):
            problems.append(f"{where}: `{key}` must be a mapping")
        elif part:
            problems += [f"{where}: unknown key {key}.{k}" for k in sorted(set(part) - allowed)]
    if "dataset" not in e:
        problems.append(f"{where}: `dataset` is required (a key or `choose`)")
    if e.get("dataset") == CHOOSE and e.get("mapping") and not e.get("candidates"):
        problems.append(f"{where}: with `choose`, a mapping needs `candidates` (it is the first's)")
    return problems


# Running the portal


@dataclass
class Run:
    """What the portal did with one file (filled as far as the expected file asks)."""

    suggestion: Suggestion | None = None
    error: str = ""  # suggest raised: the message a clerk would see
    mapped: Suggestion | None = None  # the suggestion for the mapping's dataset
    convert_report: Report | None = None
    convert_error: PortalError | None = None
    convert_rows: list[int] = field(default_factory=list)  # output row k+2 ← source row [k]
    validate_report: Report | None = None
    wrong_dataset: str = ""
    wrong_valid: bool | None = None  # None: refused (not valid either)
    wrong_note: str = ""


def sure_of(s: Suggestion) -> bool | None:
    """`Suggestion.sure` (None while the suggester has no such attribute)."""
    value = getattr(s, "sure", None)
    return None if value is None else bool(value)


def candidates_of(s: Suggestion) -> list[str]:
    found = getattr(s, "candidates", None)
    if found is not None:
        return [str(getattr(c, "dataset", c)) for c in found]
    return [s.dataset] + [k for k, _ in s.alternatives]


def pairs_of(s: Suggestion) -> set[Pair]:
    return {(m.field, tuple(m.sources)) for m in s.matches}


class Runner:
    """Runs the portal on corpus files with one registry, directory and scratch folder."""

    def __init__(self, workspace: Workspace, scratch: Path) -> None:
        self.workspace = workspace
        self.registry: Registry = workspace.registry
        self.scratch = scratch

    def suggest(self, case: Case, dataset: str | None = None) -> Suggestion:
        return suggest(case.path, self.registry, self.workspace.directory, dataset=dataset,
                       sheet=case.sheet)  # fmt: skip

    def run(self, case: Case) -> Run:
        run = Run()
        try:
            run.suggestion = self.suggest(case)
        except PortalError as exc:
            run.error = f"suggest refused the file: {exc}"
            return run
        run.mapped = self._mapped(case, run.suggestion)
        convert_spec = case.expected.get("convert")
        if convert_spec:
            self._convert(case, run, convert_spec)
        if case.expected.get("validate"):
            run.validate_report = self._validate(case)
        if case.dataset != CHOOSE and case.dataset in self.registry:
            self._convert_wrong(case, run)
        return run

    def _mapped(self, case: Case, s: Suggestion) -> Suggestion | None:
        wanted = case.mapping_dataset
        if not wanted or wanted not in self.registry:
            return None
        return s if s.dataset == wanted else self.suggest(case, wanted)

    def _recipe_for(self, case: Case, s: Suggestion, label: str) -> Path:
        folder = self.scratch / case.family / case.name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{label}.yaml"
        path.write_text(s.to_yaml(folder), encoding="utf-8")
        return path

    def _convert(self, case: Case, run: Run, spec: dict[str, Any]) -> None:
        if spec.get("recipe"):
            recipe = case.expected_path.parent / str(spec["recipe"])
        else:
            s = run.mapped or run.suggestion
            assert s is not None
            if case.publisher and not s.lgcode:  # the publisher check reports this; convert on
                s = replace(s, lgcode=case.publisher)  # a copy: the suggestion is judged as made
            recipe = self._recipe_for(case, s, "suggested")
        try:
            result = convert(recipe, self.workspace, self.scratch / case.id / "out")
        except PortalError as exc:
            run.convert_error = exc
            return
        run.convert_report = result.report
        skipped = {s.row for s in result.outcome.skipped}
        run.convert_rows = [n for n in self._source_rows(case) if n not in skipped]

    def _source_rows(self, case: Case) -> list[int]:
        with read_table(case.path, sheet=case.sheet) as table:
            return [n for n, _ in data_rows(table.rows, table.layout)]

    def _validate(self, case: Case) -> Report:
        spec = case.expected["validate"]
        dataset = spec.get("dataset") or case.dataset
        return validate(case.path, self.workspace, Options(dataset=str(dataset), per_group=None))

    def _convert_wrong(self, case: Case, run: Run) -> None:
        assert run.suggestion is not None
        ranked = [k for k in candidates_of(run.suggestion) if k in self.registry]
        ranked += list(FALLBACK_WRONG)
        wrong = next(k for k in ranked if self.registry.get(k).slug != case.dataset)
        run.wrong_dataset = wrong
        s = self.suggest(case, wrong)
        s.lgcode = s.lgcode or case.publisher or FALLBACK_LGCODE
        try:
            result = convert(self._recipe_for(case, s, f"wrong-{wrong}"), self.workspace,
                             self.scratch / case.id / "wrong")  # fmt: skip
        except PortalError as exc:
            run.wrong_valid, run.wrong_note = None, f"refused: {exc.code}"
            return
        run.wrong_valid = result.report.valid
        errors = sorted({f.code for f in result.report.findings.kept() if f.is_error})
        run.wrong_note = f"errors: {', '.join(errors) or 'none'}"
