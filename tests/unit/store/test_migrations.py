"""Migrations are the only way the schema changes: they agree with the models, go down and
up again, and a database the code does not know (newer, behind, someone else's) is refused
with a message that says what to do."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from portal.store import Store
from portal.store.database import MIGRATIONS
from portal.store.errors import DatabaseBehind, DatabaseNewerThanCode, DatabaseNotPortal
from portal.store.models import modelled
from portal.store.schema import METADATA

# This portal's migrations, oldest first, and the newest.
CHAIN = tuple(reversed([s.revision for s in ScriptDirectory(str(MIGRATIONS)).walk_revisions()]))
HEAD = CHAIN[-1]
LATER = "9000"  # a later portal's revision
NEXT_MIGRATION = f'''"""A later portal's migration (test only)."""
import sqlalchemy as sa
from alembic import op

revision = "{LATER}"
down_revision = "{HEAD}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("later", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("later")
'''


@pytest.fixture
def newer_migrations(tmp_path: Path) -> Path:
    """The migrations of a later portal: this one's and one more."""
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / f"{LATER}_later.py").write_text(NEXT_MIGRATION, encoding="utf-8")
    return folder


def test_models_and_migrations_agree(store: Store) -> None:
    store.ensure_current()
    with store.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"include_name": modelled, "compare_type": True, "compare_server_default": True},
        )
        differences = compare_metadata(context, METADATA)
    assert differences == []


def test_status_reports_pending_then_none(store: Store) -> None:
    before = store.status()
    assert before.current == () and before.pending == CHAIN and before.empty
    after = store.upgrade()
    assert after.current == (HEAD,) and after.pending == () and after.up_to_date
    assert store.status() == after
    assert {"packages", "resources", "publish_log", "rate_limits"} <= set(after.tables)


def test_downgrade_to_base_and_upgrade_again(store: Store) -> None:
    store.upgrade()
    down = store.downgrade("base")
    assert down.current == () and down.pending == CHAIN and down.tables == ()
    again = store.upgrade()
    assert again.up_to_date and again.tables == store.status().tables


def test_an_empty_database_is_set_up_at_start(store: Store) -> None:
    status = store.ensure_current()
    assert status.current == status.heads == (HEAD,)


def test_an_unknown_revision_is_refused_with_a_clear_error(store: Store) -> None:
    store.upgrade()
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9f3e0c2a7b1d'"))
    assert store.status().unknown == ("9f3e0c2a7b1d",)
    for attempt in (store.ensure_current, store.upgrade):
        with pytest.raises(DatabaseNewerThanCode) as caught:
            attempt()
        error = caught.value
        assert error.code == "database-newer-than-code" and error.exit_code == 2
        assert "9f3e0c2a7b1d" in error.message_en and HEAD in error.message_en
        assert "9f3e0c2a7b1d" in error.message_ja and "新しいポータル" in error.message_ja
        assert "backup" in error.to_dict()["hint_en"]
        assert "バックアップ" in error.to_dict()["hint_ja"]
        assert "password" not in error.message_en.lower()


def test_a_newer_portal_upgrades_only_when_told(store: Store, newer_migrations: Path) -> None:
    store.upgrade()  # this portal's schema, with data in it
    newer = Store.open(store.engine.url, migrations=newer_migrations)
    try:
        with pytest.raises(DatabaseBehind) as caught:
            newer.ensure_current()
        assert caught.value.code == "database-behind"
        assert LATER in caught.value.message_en and HEAD in caught.value.message_ja
        assert "portal db upgrade" in caught.value.to_dict()["hint_en"]
        assert newer.ensure_current(upgrade=True).current == (LATER,)
    finally:
        newer.close()
    # … and this (older) portal now refuses the database the newer one migrated.
    with pytest.raises(DatabaseNewerThanCode, match=LATER):
        store.ensure_current()


def test_someone_elses_database_is_refused(store: Store) -> None:
    with store.engine.begin() as connection:
        connection.execute(text("CREATE TABLE package (id INTEGER PRIMARY KEY)"))
    with pytest.raises(DatabaseNotPortal) as caught:
        store.ensure_current(upgrade=True)
    assert "package" in caught.value.message_en and caught.value.exit_code == 2
    assert store.status().current == ()


def test_two_processes_starting_at_once_migrate_once(store: Store) -> None:
    other = Store.open(store.engine.url)
    barrier, results, errors = threading.Barrier(2), [], []

    def start(s: Store) -> None:
        barrier.wait()
        try:
            results.append(s.ensure_current().current)
        except Exception as exc:  # the assertion below shows it
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(s,)) for s in (store, other)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        other.close()
    assert errors == [] and results == [(HEAD,), (HEAD,)]
