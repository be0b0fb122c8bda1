"""Alembic's environment, driven from code (portal.store.database): no alembic.ini.

The Store hands over its connection, inside the transaction (and lock) it opened, so the
engine's settings apply (SQLite pragmas) and an upgrade is all or nothing. Without one
(the `alembic` command on a hand-made config), the URL in the config is used.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from portal.store.models import VERSION_TABLE, modelled
from portal.store.schema import METADATA


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=METADATA,
        include_name=modelled,
        compare_type=True,
        compare_server_default=True,
        version_table=VERSION_TABLE,
        # SQLite alters a table by copying it: later migrations write op.batch_alter_table.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = context.config.attributes.get("connection")
    if isinstance(given, Connection):
        _run(given)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection and no sqlalchemy.url in the Alembic config")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported: use `portal db upgrade`")
run_migrations_online()
