"""The "ping" job: answers which worker ran it. An operator (or a test) enqueues one to see
that `portal worker` runs and which of several took it."""

from __future__ import annotations

import os
import socket
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from portal.composition import Portal
    from portal.jobs.service import Jobs

PING_JOB = "ping"
MAX_PING_SECONDS = 5.0  # a ping may hold its worker this long (to see work spread)


def ping(_portal: Portal, payload: dict[str, Any]) -> dict[str, Any]:
    seconds = min(float(payload.get("seconds") or 0), MAX_PING_SECONDS)
    if seconds > 0:
        time.sleep(seconds)
    return {"pong": True, "host": socket.gethostname(), "pid": os.getpid()}


def register_jobs(jobs: Jobs) -> None:
    jobs.register(PING_JOB, ping, retries=0)
