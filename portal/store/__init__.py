"""The portal's own state in one database: SQLite by default, PostgreSQL at scale.

SQLAlchemy 2 models (models.py), Alembic migrations shipped in the package (migrations/),
and `Store` (database.py) which opens a database and keeps its schema current.

A new migration, after changing models.py (from the checkout; the scratch database is
first brought to the current head, then compared with the models):

    python -c "from portal.store import Store; from alembic import command; \
      s = Store.open('sqlite:////tmp/scratch.db'); s.upgrade(); \
      command.revision(s.config(), autogenerate=True, message='what changed', rev_id='0002')"

then read and edit the generated file: autogenerate is a draft, not the migration.
"""

from portal.store.database import Status, Store

__all__ = ["Status", "Store"]
