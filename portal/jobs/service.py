"""`Jobs`: enqueue work by kind, idempotent by key, run it on huey, keep its state queryable.

One huey task ("portal.job") carries a job id; the kinds' handlers are looked up here. The
retries are ours, not huey's: a failure that may pass (a peer down, a timeout) puts the job
back on huey's schedule after an exponential backoff; bad input (a PortalError of status
4xx, or one that says `retryable = False`) fails the job at once — trying it again would
fail the same way. Each attempt is written to the `jobs` table before and after it runs.
"""

from __future__ import annotations

import builtins
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from huey import Huey
from huey.api import Task, TaskWrapper
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.errors import PortalError
from portal.jobs.models import JobRow
from portal.store import Store

if TYPE_CHECKING:
    from portal.composition import Portal

log = logging.getLogger(__name__)

JobState = Literal["queued", "running", "done", "failed"]
Handler = Callable[["Portal", dict[str, Any]], dict[str, Any]]
TASK_NAME = "portal.job"
IDLE_POLL_SECONDS = 0.05  # run_until_idle's wait for a scheduled retry to fall due
MAX_BACKOFF_SECONDS = 300.0
LIST_LIMIT = 50


class JobKindUnknown(PortalError):
    code = "job-kind-unknown"
    status = 500
    template_en = "no handler for jobs of kind '{kind}' in this process"
    template_ja = "種類「{kind}」のジョブを処理する仕組みがこのプロセスにありません"
    hint_en = "run `portal worker` from the same version of the portal as the server"
    hint_ja = "サーバーと同じ版のポータルで `portal worker` を動かしてください"


class JobCrashed(PortalError):
    """An unexpected exception in a handler, as the job's error (no traceback leaves)."""

    code = "job-crashed"
    status = 500
    template_en = "the job failed unexpectedly: {reason}"
    template_ja = "ジョブが予期せず失敗しました: {reason}"
    hint_en = "the worker's log has the details"
    hint_ja = "詳細はワーカーのログにあります"


class JobAbandoned(PortalError):
    """An attempt whose worker stopped (killed, machine lost) while it ran: huey had already
    taken the task, so nothing would ever run the job again without `portal jobs recover`."""

    code = "job-abandoned"
    status = 503  # not the job's input: its worker went away (retryable)
    template_en = "the job's attempt began at {started} and was still running {minutes} min later: its worker stopped"
    template_ja = "ジョブの試行は {started} に始まり、{minutes} 分後も実行中のままでした。ワーカーが停止しています"
    hint_en = (
        "`portal jobs recover` tried it again while its retries lasted; check the workers' logs"
    )
    hint_ja = (
        "`portal jobs recover` が再試行回数の範囲で再実行しました。ワーカーのログを確認してください"
    )


@dataclass(frozen=True)
class JobRecord:
    id: str
    kind: str
    key: str | None
    state: JobState
    attempts: int
    payload: dict[str, Any]
    result: dict[str, Any] | None
    error: dict[str, Any] | None
    created: datetime
    updated: datetime
    owner: str | None

    @classmethod
    def of(cls, row: JobRow) -> JobRecord:
        return cls(id=row.id, kind=row.kind, key=row.key, state=row.state,  # type: ignore[arg-type]
                   attempts=row.attempts, payload=dict(row.payload), result=row.result,
                   error=row.error, created=row.created, updated=row.updated, owner=row.owner)  # fmt: skip

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def to_dict(self) -> dict[str, Any]:
        """What the API shows: the state and the report, not the payload nor who asked."""
        return {"id": self.id, "kind": self.kind, "state": self.state, "attempts": self.attempts,
                "result": self.result, "error": self.error,
                "created": self.created.isoformat(), "updated": self.updated.isoformat()}  # fmt: skip


@dataclass(frozen=True)
class Kind:
    handler: Handler
    retries: int
    backoff_seconds: float


def retryable(exc: BaseException) -> bool:
    """Whether trying again may help: not for bad input (a 4xx PortalError), unless the error
    class says otherwise with a `retryable` attribute."""
    said = getattr(exc, "retryable", None)
    if isinstance(said, bool):
        return said
    return not (isinstance(exc, PortalError) and 400 <= exc.status < 500)


class Jobs:
    """The portal's queue: built once by `Portal.open` (as `portal.jobs`)."""

    def __init__(self, store: Store, huey: Huey, portal: Portal | None = None) -> None:
        self.store = store
        self.huey = huey
        self.portal = portal  # handed to handlers; set by Portal.open
        self._kinds: dict[str, Kind] = {}
        self._task: TaskWrapper = huey.task(name=TASK_NAME)(self._run)

    def register(self, kind: str, handler: Handler, *, retries: int = 3,
                 backoff_seconds: float = 2.0) -> None:  # fmt: skip
        """Handle jobs of `kind` with `handler(portal, payload) -> result`: idempotent, as a
        job may run again after a crash; `retries` attempts after the first."""
        self._kinds[kind] = Kind(handler, retries, backoff_seconds)

    @property
    def kinds(self) -> list[str]:
        return sorted(self._kinds)

    def enqueue(self, kind: str, payload: dict[str, Any], *, key: str | None = None,
                owner: str | None = None) -> JobRecord:  # fmt: skip
        """A new job, queued; with a `key` already known for that kind, the existing job
        and nothing queued (a repeated notice does nothing twice)."""
        if key is not None and (known := self._by_key(kind, key)) is not None:
            return known
        now = datetime.now(UTC)
        row = JobRow(id=uuid.uuid4().hex, kind=kind, key=key, state="queued", attempts=0,
                     payload=payload, result=None, error=None, created=now, updated=now,
                     owner=owner)  # fmt: skip
        try:
            with self.store.writing() as session:
                session.add(row)
                session.flush()
                record = JobRecord.of(row)
        except IntegrityError:  # the same key enqueued at the same moment elsewhere
            known = self._by_key(kind, key) if key is not None else None
            if known is None:
                raise
            return known
        self._task(record.id)
        return record

    def get(self, job_id: str) -> JobRecord | None:
        with self.store.writing() as session:
            row = session.get(JobRow, job_id)
            return JobRecord.of(row) if row is not None else None

    def list(self, kind: str | None = None, state: str | None = None,
             limit: int = LIST_LIMIT) -> list[JobRecord]:  # fmt: skip
        query = select(JobRow).order_by(JobRow.created.desc()).limit(limit)
        if kind is not None:
            query = query.where(JobRow.kind == kind)
        if state is not None:
            query = query.where(JobRow.state == state)
        with self.store.writing() as session:
            return [JobRecord.of(row) for row in session.scalars(query)]

    def run_until_idle(self, timeout: float = 30) -> int:
        """Run the queued jobs in this process (and retries as they fall due) until none is
        left or `timeout` seconds have passed; how many tasks it took from the queue."""
        deadline, ran = time.monotonic() + timeout, 0
        while time.monotonic() < deadline:
            if self.run_pending():
                ran += 1
                continue
            if self.release_due():
                continue
            if self.huey.pending_count() == 0 and self.huey.scheduled_count() == 0:
                break
            time.sleep(IDLE_POLL_SECONDS)
        return ran

    def run_pending(self) -> bool:
        """Run one queued task if there is one (the in-process worker's step)."""
        task: Task | None = self.huey.dequeue()
        if task is None:
            return False
        self.huey.execute(task)
        return True

    def release_due(self) -> int:
        """Queue the scheduled retries whose time has come (the consumer's scheduler does
        this in `portal worker`); how many."""
        due = self.huey.read_schedule()
        for task in due:
            self.huey.enqueue(task)
        return len(due)

    def recover(self, older_than: timedelta) -> tuple[JobRecord, ...]:
        """Jobs still `running` whose attempt began more than `older_than` ago — their worker
        stopped — each counted as a failed attempt (`job-abandoned`): queued again while its
        kind's retries last (handlers are idempotent), else `failed`. Rows are locked as they
        are taken (PostgreSQL), so two operators running it at once recover each job once.
        `older_than` must be longer than any attempt takes: a job still running is not told."""
        now = datetime.now(UTC)
        query = (
            select(JobRow)
            .where(JobRow.state == "running", JobRow.updated < now - older_than)
            .with_for_update(skip_locked=True)
        )
        again: builtins.list[str] = []
        with self.store.writing() as session:
            rows = builtins.list(session.scalars(query))
            for row in rows:
                kind = self._kinds.get(row.kind)
                error = JobAbandoned(started=f"{row.updated:%Y-%m-%d %H:%M:%S} UTC",
                                     minutes=int((now - row.updated).total_seconds() // 60))  # fmt: skip
                retry = kind is not None and row.attempts <= kind.retries
                row.state, row.error, row.updated = (
                    ("queued" if retry else "failed"),
                    error.to_dict(),
                    now,
                )
                if retry:
                    again.append(row.id)
            session.flush()
            records = tuple(JobRecord.of(row) for row in rows)
        for job_id in again:  # after the commit: a worker taking it sees it queued
            self._task(job_id)
        return records

    def _by_key(self, kind: str, key: str) -> JobRecord | None:
        with self.store.writing() as session:
            row = session.scalars(
                select(JobRow).where(JobRow.kind == kind, JobRow.key == key)
            ).first()
            return JobRecord.of(row) if row is not None else None

    def _run(self, job_id: str) -> None:
        """One attempt of a job (huey's task body)."""
        started = self._start(job_id)
        if started is None:
            return  # unknown, or already finished (a duplicate delivery of the task)
        record, kind = started
        try:
            if kind is None:
                raise JobKindUnknown(kind=record.kind)
            if self.portal is None:
                raise JobCrashed(reason="the queue is not attached to a portal")
            result = kind.handler(self.portal, record.payload)
        except Exception as exc:  # every failure is the job's, recorded; none escapes to huey
            self._failed(record, kind, exc)
            return
        self._finish(record.id, "done", result=result)

    def _start(self, job_id: str) -> tuple[JobRecord, Kind | None] | None:
        with self.store.writing() as session:
            row = session.get(JobRow, job_id)
            if row is None or row.state in ("done", "failed"):
                return None
            row.state, row.attempts, row.updated = "running", row.attempts + 1, datetime.now(UTC)
            session.flush()
            record = JobRecord.of(row)
        return record, self._kinds.get(record.kind)

    def _failed(self, record: JobRecord, kind: Kind | None, exc: Exception) -> None:
        error = exc if isinstance(exc, PortalError) else JobCrashed(reason=type(exc).__name__)
        if not isinstance(exc, PortalError):
            log.exception("job %s (%s) failed", record.id, record.kind)
        if kind is not None and retryable(exc) and record.attempts <= kind.retries:
            delay = min(kind.backoff_seconds * 2 ** (record.attempts - 1), MAX_BACKOFF_SECONDS)
            log.info("job %s (%s) attempt %d failed (%s); again in %.1f s", record.id,
                     record.kind, record.attempts, error.code, delay)  # fmt: skip
            self._finish(record.id, "queued", error=error.to_dict())
            self._task.schedule((record.id,), delay=delay)
            return
        self._finish(record.id, "failed", error=error.to_dict())

    def _finish(self, job_id: str, state: JobState, *, result: dict[str, Any] | None = None,
                error: dict[str, Any] | None = None) -> None:  # fmt: skip
        with self.store.writing() as session:
            row = session.get(JobRow, job_id)
            if row is None:
                return
            row.state, row.result, row.error = state, result, error
            row.updated = datetime.now(UTC)
