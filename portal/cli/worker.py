"""`portal worker`: runs the background jobs (connector intakes, subscriber deliveries) with
huey's consumer on the configured queue — SQLite in the data directory, or Redis when
PORTAL_REDIS_URL is set, where several `portal worker` processes on several machines share
the queue. `portal serve --with-worker` runs one in-process instead (`make run`)."""

from __future__ import annotations

import logging
import threading
from typing import Annotated

import typer

from portal.cli.state import state
from portal.composition import Portal

IN_PROCESS_POLL_SECONDS = 0.5  # the in-process worker's wait when the queue is empty
log = logging.getLogger(__name__)


def worker_command(
    ctx: typer.Context,
    workers: Annotated[int, typer.Option(min=1, help="Jobs run at once (threads).")] = 1,
) -> None:
    """Run background jobs (connector intakes, deliveries) until stopped (Ctrl-C)."""
    st = state(ctx)
    portal = Portal.open(st.settings)
    jobs = portal.jobs
    where = "Redis" if st.settings.redis_url else "SQLite"
    st.err.print(f"worker: {workers} thread(s) on the {where} queue; kinds: "
                 f"{', '.join(jobs.kinds)} (Ctrl-C stops)", highlight=False)  # fmt: skip
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    consumer = jobs.huey.create_consumer(workers=workers, worker_type="thread",
                                         periodic=False, initial_delay=0.1, max_delay=1.0)  # fmt: skip
    try:
        consumer.run()
    finally:
        portal.close()


def start_in_process(portal: Portal) -> threading.Event:
    """One worker thread in this process (`portal serve --with-worker`): the demo needs no
    other process. Set the returned event to stop it."""
    stop = threading.Event()
    jobs = portal.jobs

    def loop() -> None:
        while not stop.is_set():
            try:
                if jobs.run_pending() or jobs.release_due():
                    continue
            except Exception:  # one job's crash is its own (recorded); the loop carries on
                log.exception("in-process worker")
            stop.wait(IN_PROCESS_POLL_SECONDS)

    threading.Thread(target=loop, name="portal-worker", daemon=True).start()
    return stop
