"""Who registers job kinds: each entry's `register_jobs(jobs)` is called when a Portal's queue
is built, in the server and in every `portal worker` alike (a worker must know every kind the
server enqueues). A part with background work adds its line here."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal.jobs.service import Jobs

REGISTRARS = (
    "portal.jobs.ping",  # ping: which worker runs (operators, tests)
    "portal.connectors.intake",  # connector-intake: a platform's notice taken in
    "portal.subscriptions.delivery",  # subscription-delivery: a notice to a subscriber
    "portal.connectors.ngsi.plugin",  # ngsi-push: published rows to an NGSI-v2 broker
)


def register_all(jobs: Jobs) -> None:
    for module in REGISTRARS:
        importlib.import_module(module).register_jobs(jobs)
