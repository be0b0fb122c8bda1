"""Background work (issue 15): a queue on huey (SQLite by default, Redis when
PORTAL_REDIS_URL is set) with the jobs' state kept in the portal's own database, queryable
by id. `Portal.open` builds one `Jobs`; `portal worker` consumes it."""

from portal.jobs.queue import make_huey
from portal.jobs.service import Handler, JobRecord, Jobs, JobState

__all__ = ["Handler", "JobRecord", "JobState", "Jobs", "make_huey"]
