"""Session fixtures of the bad-input corpus: the inputs, a catalogue with good datasets
already published, and every selected job started at once on a small pool of workers."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.badinput.corpus import COMMITTED, Baseline, Job, Outcome, execute
from tests.badinput.harness import published, run_portal
from tests.badinput.inputs import GENERATORS, generate
from tests.conftest import TEST_DATA

# Child processes are mostly start-up (imports) and a little work; two at a time keep both
# cores busy without starving the other tests on a 2-core machine.
WORKERS = int(os.environ.get("BADINPUT_WORKERS", "2"))
BIG_INPUTS = {"line-1gib.csv"}  # made only when a selected job reads it, removed at the end
# Good datasets published before any bad input is tried: a failed publish must leave them alone.
GOOD_RECIPES = [TEST_DATA / "api" / "aed-settsu.yaml", TEST_DATA / "convert" / "facility-filters.yaml"]  # fmt: skip


def selected_jobs(session: pytest.Session) -> list[Job]:
    jobs = []
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and isinstance(callspec.params.get("job"), Job):
            jobs.append(callspec.params["job"])
    return jobs


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("badinput")


@pytest.fixture(scope="session")
def inputs(request: pytest.FixtureRequest, workspace: Path) -> Iterator[Path]:
    """Every input in one folder: the committed files and the generated ones."""
    folder = workspace / "inputs"
    folder.mkdir()
    for path in COMMITTED.iterdir():
        shutil.copy2(path, folder / path.name)
    needed = set().union(*(job.needs for job in selected_jobs(request.session)))
    generate(folder, [n for n in GENERATORS if n not in BIG_INPUTS or n in needed])
    yield folder
    for name in BIG_INPUTS:
        (folder / name).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def baseline(workspace: Path) -> Baseline:
    source = workspace / "good"
    source.mkdir()
    for recipe in GOOD_RECIPES:
        for path in recipe.parent.glob(recipe.stem + ".*"):
            shutil.copy2(path, source / path.name)
    data = workspace / "good-var"
    env = {"PORTAL_DATA_DIR": str(data)}
    done = run_portal(["publish", *(str(source / r.name) for r in GOOD_RECIPES)], source, env, 120)
    assert done.exit == 0, done.output
    listing = run_portal(["catalogue", "list"], source, env, 60)
    assert listing.exit == 0 and "272248-aed" in listing.stdout, listing.output
    return Baseline(data, published(data), listing.stdout)


@pytest.fixture(scope="session")
def outcomes(
    request: pytest.FixtureRequest, workspace: Path, inputs: Path, baseline: Baseline
) -> Iterator[dict[str, Future[Outcome]]]:
    """Every selected job, started now in test order; a test waits for its own."""
    pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="badinput")
    futures = {
        job.id: pool.submit(execute, job, workspace / "runs" / job.id, inputs, baseline)
        for job in selected_jobs(request.session)
    }
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)
