"""Every case of cases.yaml, as a clerk would meet it at the terminal.

One parametrised test: the table says what a person must see for each bad input and each
command; corpus.py says what "see" means (exit status, the message in both languages, no
traceback, memory under the cap, nothing written outside --out, the published datasets
untouched).
"""

from __future__ import annotations

from concurrent.futures import Future

import pytest

from tests.badinput.corpus import Baseline, Job, Outcome, load_jobs, problems, table_problems

JOBS = load_jobs()


def _param(job: Job) -> object:
    return pytest.param(job, id=job.id)


def test_the_table_is_complete() -> None:
    assert table_problems(JOBS) == []
    assert len({job.case["id"] for job in JOBS}) >= 40


@pytest.mark.parametrize("job", [_param(job) for job in JOBS])
def test_bad_input(job: Job, outcomes: dict[str, Future[Outcome]], baseline: Baseline) -> None:
    outcome = outcomes[job.id].result()
    found = problems(job, outcome, baseline)
    run = outcome.run
    assert not found, (
        f"{job.id}: {job.case['quirk']}\nexpected: {job.case['why']}\n"
        f"$ portal {' '.join(run.args)}\nexit {run.exit} after {run.seconds:.1f} s\n"
        + "\n".join(f"- {p}" for p in found)
        + f"\n--- stdout\n{run.stdout[-3000:]}\n--- stderr\n{run.stderr[-3000:]}"
    )
