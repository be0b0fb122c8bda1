"""Every table the migrations must agree with: the models of each room, gathered here once
(the Alembic environment and the test that compares models with migrations read METADATA)."""

from __future__ import annotations

# Each room's models register their tables on Base.metadata when imported.
import portal.accounts.models
import portal.catalogue.versions
import portal.coverage.models
import portal.jobs.models
import portal.submissions.models
import portal.subscriptions.models  # noqa: F401
from portal.store.models import Base

METADATA = Base.metadata
