"""The huey instance the settings describe. Nothing here runs at import time: no module-level
Huey; `Jobs` registers its task on the instance it is given."""

from __future__ import annotations

from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey

from portal.settings import Settings

JOBS_DIR = "jobs"  # under the data directory: huey's SQLite queue
QUEUE_NAME = "portal-jobs"


def make_huey(settings: Settings, name: str = QUEUE_NAME) -> Huey:
    """RedisHuey on PORTAL_REDIS_URL when set (several `portal worker` share it), else a
    SqliteHuey file in <data dir>/jobs/. Results are not kept by huey: the portal's `jobs`
    table holds them. `name` keeps test queues apart on one Redis."""
    if settings.redis_url:
        return RedisHuey(name, url=settings.redis_url, results=False)
    folder: Path = settings.data_dir / JOBS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(folder / "huey.db"), results=False)
