"""The case table (cases.yaml) as jobs, and what each job must show a person.

A job is one command on one bad input. `execute` runs it in a fresh sandbox (see
harness.py) and `problems` lists every way what the person saw differs from what the
table says they should see — empty when the case holds.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

import yaml

from tests.badinput.harness import (
    OUT_OF_MEMORY,
    Published,
    Run,
    Sandbox,
    published,
    run_portal,
)

HERE = Path(__file__).parent
CASES_FILE = HERE / "cases.yaml"
COMMITTED = HERE / "files"
AED_STANDARD = COMMITTED / "aed-standard.yaml.tmpl"
COMMANDS = ("validate", "suggest", "convert", "publish", "catalogue-list")
WALL_GUARD_SECONDS = 60.0  # a hang guard only: a good run takes one to three seconds
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
ENGLISH = re.compile(r"[A-Za-z]{3,}")
RUN_KEYS = {"cmd", "name", "args", "exit", "says", "lacks", "finds", "files", "changes",
            "max_seconds"}  # fmt: skip
CASE_KEYS = {"id", "input", "recipe", "quirk", "why", "env", "sentinels", "runs"}


@dataclass(frozen=True)
class Job:
    case: dict[str, Any]
    run: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.case['id']}-{self.run.get('name', self.run['cmd'])}"

    @property
    def cmd(self) -> str:
        return str(self.run["cmd"])

    @property
    def expected_exit(self) -> int:
        return int(self.run["exit"])

    @property
    def needs(self) -> set[str]:
        """Input files this job reads (so the 1 GiB one is made only when asked for)."""
        return {self.case["input"]}


def load_jobs(path: Path = CASES_FILE) -> list[Job]:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Job(case, run) for case in cases for run in case["runs"]]


@dataclass
class Outcome:
    run: Run
    outside: list[str]  # files written or changed outside --out and the data directory
    before: Published
    after: Published
    listing: Run | None  # `portal catalogue list` after a publish


@dataclass(frozen=True)
class Baseline:
    """A data directory in which good datasets are published, and how it looked."""

    data: Path
    published: Published
    listing: str


def recipe_for(job: Job, box: Sandbox) -> Path:
    name = job.case.get("recipe")
    if name is None:
        raise ValueError(f"{job.id}: {job.cmd} needs a recipe")
    if name != "aed-standard":
        return box.inputs / name
    path = box.inputs / f"aed-standard--{Path(job.case['input']).stem}.yaml"
    template = Template(AED_STANDARD.read_text(encoding="utf-8"))
    path.write_text(template.substitute(source=job.case["input"]), encoding="utf-8")
    return path


def command(job: Job, box: Sandbox) -> list[str]:
    args = [str(a) for a in job.run.get("args", [])]
    source = str(box.inputs / job.case["input"])
    if job.cmd == "validate":
        return ["validate", source, *([] if "--format" in args else ["--format", "json"]), *args]
    if job.cmd == "suggest":
        return ["recipe", "suggest", source, *args]
    if job.cmd == "convert":
        return ["convert", str(recipe_for(job, box)), "--out", str(box.out), *args]
    if job.cmd == "publish":
        return ["publish", str(recipe_for(job, box)), *args]
    return ["catalogue", "list", *args]


def environment(job: Job, box: Sandbox) -> dict[str, str]:
    env = {"PORTAL_DATA_DIR": str(box.data)}
    for key, value in (job.case.get("env") or {}).items():
        env[key] = Template(str(value)).substitute(SANDBOX=str(box.root))
    return env


def execute(job: Job, root: Path, inputs: Path, baseline: Baseline) -> Outcome:
    box = Sandbox.make(root, inputs, baseline.data, job.case.get("sentinels", []))
    args = command(job, box)  # before the snapshot: it may write the recipe into in/
    before_tree = box.state()
    timeout = float(job.run.get("max_seconds", WALL_GUARD_SECONDS)) * 2
    run = run_portal(args, box.cwd, environment(job, box), min(timeout, WALL_GUARD_SECONDS))
    listing = None
    if job.cmd == "publish" and not job.run.get("changes"):
        listing = run_portal(["catalogue", "list"], box.cwd, {"PORTAL_DATA_DIR": str(box.data)}, 60)
    outcome = Outcome(run, box.outside_writes(before_tree), baseline.published,
                      published(box.data), listing)  # fmt: skip
    _drop_inputs(box)
    return outcome


def _drop_inputs(box: Sandbox) -> None:
    """The inputs are hard links: removing them keeps nothing big alive after the session."""
    shutil.rmtree(box.inputs, ignore_errors=True)


# --- what a person must see --------------------------------------------------------------------


def problems(job: Job, outcome: Outcome, baseline: Baseline) -> list[str]:
    run, spec = outcome.run, job.run
    if run.exit is None:
        return [f"no answer within {run.seconds:.0f} s (hang guard)"]
    found = _process(run) + _exit(job, run) + _text(spec, run)
    if "max_seconds" in spec and run.seconds > spec["max_seconds"]:
        found.append(f"took {run.seconds:.1f} s, more than {spec['max_seconds']} s")
    if job.cmd == "validate" and run.exit in (0, 1) and "--format" not in spec.get("args", []):
        found += _findings(spec, run)
    if job.cmd == "convert":
        found += _files(spec, run)
    found += [f"wrote outside --out and the data directory: {f}" for f in outcome.outside]
    found += _catalogue(job, outcome, baseline)
    return found


def _process(run: Run) -> list[str]:
    out = []
    if run.signal:
        out.append(f"killed by {run.signal}")
    out += [f"out of memory under the cap: {m!r}" for m in OUT_OF_MEMORY if m in run.output]
    if "Traceback" in run.output:
        out.append("a traceback was printed")
    if "internal error" in run.output.lower():
        out.append("an internal error was reported")
    return out


def _exit(job: Job, run: Run) -> list[str]:
    out = []
    if run.exit != job.expected_exit:
        out.append(f"exit {run.exit}, expected {job.expected_exit}")
    # validate's 1 is a report and convert's 1 a summary ("not valid / 要修正"); any other
    # refusal is an error line.
    refused = job.expected_exit == 2 or (
        job.expected_exit == 1 and job.cmd in ("publish", "catalogue-list")
    )
    if refused:
        lines = [line for line in run.stderr.splitlines() if line.startswith("error [")]
        if not any(JAPANESE.search(line) and ENGLISH.search(line) for line in lines):
            out.append("no error line in English and Japanese")
    return out


def _text(spec: dict[str, Any], run: Run) -> list[str]:
    out = [f"does not say {s!r}" for s in spec.get("says", []) if str(s) not in run.output]
    out += [f"says {s!r}, which it must not" for s in spec.get("lacks", []) if str(s) in run.output]
    return out


def _findings(spec: dict[str, Any], run: Run) -> list[str]:
    try:
        report = json.loads(run.stdout)
    except ValueError:
        return ["the JSON report cannot be read"]
    out = []
    for wanted in spec.get("finds", []):
        if not any(all(f.get(k) == v for k, v in wanted.items()) for f in report["errors"]):
            seen = sorted({(f["code"], f.get("row"), f.get("field")) for f in report["errors"]},
                          key=str)  # fmt: skip
            out.append(f"no finding {wanted}; the report has {seen[:12]}")
    for finding in report["errors"]:
        if not (JAPANESE.search(finding["message_ja"]) and ENGLISH.search(finding["message_en"])):
            out.append(f"finding {finding['code']} is not in English and Japanese")
    return out


def _files(spec: dict[str, Any], run: Run) -> list[str]:
    out_dir = Path(run.args[run.args.index("--out") + 1])
    out = []
    for check in spec.get("files", []):
        paths = sorted(out_dir.glob(check["glob"]))
        if not paths:
            out.append(f"no file {check['glob']} was written")
        text = "".join(p.read_text(encoding="utf-8-sig", errors="replace") for p in paths)
        out += [f"{check['glob']} lacks {s!r}" for s in check.get("contains", []) if s not in text]
        out += [f"{check['glob']} holds {s!r}" for s in check.get("lacks", []) if s in text]
    return out


def _catalogue(job: Job, outcome: Outcome, baseline: Baseline) -> list[str]:
    allowed = set(job.run.get("changes", []))
    changed = [c for c in outcome.before.changed(outcome.after) if c not in allowed]
    if allowed:  # a replaced dataset stores new files; the old ones are its business
        changed = [c for c in changed if not c.startswith("file ")]
    out = [f"published before and changed: {c}" for c in changed]
    if job.expected_exit != 0:
        out += [f"added although refused: {a}" for a in outcome.before.added(outcome.after)]
    if outcome.listing is not None and not allowed:
        if table_rows(outcome.listing.stdout) != table_rows(baseline.listing):
            out.append("`portal catalogue list` differs from before:\n" + outcome.listing.stdout)
    return out


def table_rows(listing: str) -> list[str]:
    """The datasets of `portal catalogue list` (its title holds the sandbox's path)."""
    return [line for line in listing.splitlines() if line.startswith("│")]


def table_problems(jobs: list[Job]) -> list[str]:
    """Mistakes in cases.yaml itself: unknown keys, commands, missing expectations."""
    out = []
    ids = [j.id for j in jobs]
    out += [f"duplicate test id {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for job in jobs:
        out += [f"{job.id}: unknown key {k}" for k in set(job.case) - CASE_KEYS]
        out += [f"{job.id}: unknown key {k}" for k in set(job.run) - RUN_KEYS]
        if job.cmd not in COMMANDS:
            out.append(f"{job.id}: unknown command {job.cmd}")
        if "exit" not in job.run or not job.case.get("why") or not job.case.get("quirk"):
            out.append(f"{job.id}: every run needs exit, every case quirk and why")
        if job.cmd in ("convert", "publish") and "recipe" not in job.case:
            out.append(f"{job.id}: {job.cmd} needs the case's recipe")
    return out
