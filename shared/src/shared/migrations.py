"""Alembic per service: a shared env.py body and a programmatic `upgrade head`."""

import asyncio
import time
from collections.abc import Iterable

from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.schema import SchemaItem


def alembic_config(package: str, database_url: str) -> Config:
    """Alembic config for the `migrations` folder inside a service package."""
    config = Config()
    config.set_main_option("script_location", f"{package}:migrations")
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_sync(package: str, database_url: str) -> None:
    """Apply all migrations of a service (blocking; call from a thread inside an event loop)."""
    command.upgrade(alembic_config(package, database_url), "head")


async def _current_heads(database_url: str) -> set[str]:
    engine = create_async_engine(database_url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            heads = await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_heads()
            )
    finally:
        await engine.dispose()
    return set(heads)


def at_head(package: str, database_url: str) -> bool:
    """Whether the database carries every migration head this code knows (and no other)."""
    config = alembic_config(package, database_url)
    wanted = set(ScriptDirectory.from_config(config).get_heads())
    return asyncio.run(_current_heads(database_url)) == wanted


def wait_for_head(
    package: str, database_url: str, timeout_s: float, interval_s: float = 2.0
) -> None:
    """Return once the database is at head (another process migrates it: a Kubernetes Job);
    raise TimeoutError after timeout_s, saying why it is not."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if at_head(package, database_url):
                return
            reason = "migrations not applied yet"
        except (OSError, SQLAlchemyError) as error:
            reason = f"database unreachable: {type(error).__name__}"
        if time.monotonic() >= deadline:
            raise TimeoutError(
                f"{package}: database not at migration head after {timeout_s:g} s ({reason})"
            )
        time.sleep(interval_s)


async def upgrade(package: str, database_url: str) -> None:
    """Apply all migrations of a service without blocking the event loop."""
    await asyncio.to_thread(upgrade_sync, package, database_url)


def run_env(metadata: MetaData, tables: Iterable[str]) -> None:
    """Body of every service's env.py: migrate only the tables that service owns."""
    owned = set(tables)

    def include_object(
        obj: SchemaItem, name: str | None, type_: str, reflected: bool, compare_to: object
    ) -> bool:
        return type_ != "table" or name in owned

    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is not set"
    if context.is_offline_mode():
        context.configure(
            url=url,
            target_metadata=metadata,
            include_object=include_object,
            render_as_batch=True,
            compare_type=True,
            literal_binds=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return

    def migrate(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            include_object=include_object,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(migrate)
            await connection.commit()
        await engine.dispose()

    asyncio.run(run_async())


def make_append_only(table: str) -> None:
    """Inside a migration: the table refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL)."""
    from alembic import op

    refusal = f"{table} is append-only"
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {table}_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{refusal}'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse()"
        )
        return
    for change in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{change.lower()} BEFORE {change} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{refusal}'); END"
        )


def drop_append_only(table: str) -> None:
    """Inside a downgrade: remove what `make_append_only` made."""
    from alembic import op

    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {table}_refuse()")
        return
    for change in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{change}")


def create_audit_table(table: str) -> None:
    """Inside a migration: a service's append-only audit table (shared.audit.AuditRecordBase)."""
    import sqlalchemy as sa
    from alembic import op
    from sqlmodel.sql.sqltypes import AutoString

    op.create_table(
        table,
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject", AutoString(length=120), nullable=False),
        sa.Column("role", AutoString(length=32), nullable=False),
        sa.Column("branch", AutoString(length=64), nullable=True),
        sa.Column("patient_ref", AutoString(length=40), nullable=True),
        sa.Column("action", AutoString(length=8), nullable=False),
        sa.Column("operation", AutoString(length=200), nullable=False),
        sa.Column("record", AutoString(length=300), nullable=False),
        sa.Column("purpose", AutoString(length=32), nullable=False),
        sa.Column("legal_basis", AutoString(length=40), nullable=True),
        sa.Column("outcome", AutoString(length=16), nullable=False),
        sa.Column("trace_id", AutoString(length=32), nullable=True),
        sa.PrimaryKeyConstraint("audit_id"),
    )
    op.create_index(f"ix_{table}_at", table, ["at"])
    op.create_index(f"ix_{table}_patient_ref", table, ["patient_ref"])
    make_append_only(table)


def drop_audit_table(table: str) -> None:
    """Inside a downgrade: remove what `create_audit_table` made."""
    from alembic import op

    drop_append_only(table)
    op.drop_index(f"ix_{table}_patient_ref", table_name=table)
    op.drop_index(f"ix_{table}_at", table_name=table)
    op.drop_table(table)


def consent_to_stays(service: str) -> None:
    """Inside a migration: a consuming service's per-patient consent (`<service>_consent`)
    becomes per stay (`<service>_stay_consent`), copied to every episode of the patient it
    knows, as intake copies its own (the same answers, at the same versions)."""
    import sqlalchemy as sa
    from alembic import op
    from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

    table = f"{service}_stay_consent"
    op.create_table(
        table,
        sa.Column("episode_id", AutoString(length=40), nullable=False),
        sa.Column("patient_ref", AutoString(length=40), nullable=False),
        sa.Column("status", AutoString(length=16), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("episode_id"),
    )
    op.create_index(f"ix_{table}_patient_ref", table, ["patient_ref"])
    op.execute(
        f"INSERT INTO {table} (episode_id, patient_ref, status, recorded_at, version) "
        "SELECT e.episode_id, e.patient_ref, c.status, CURRENT_TIMESTAMP, c.version "
        f"FROM {service}_episode e JOIN {service}_consent c ON c.patient_ref = e.patient_ref"
    )
    op.drop_table(f"{service}_consent")


def consent_to_patients(service: str) -> None:
    """Inside a downgrade: back to per-patient consent, each patient keeping the answer of
    their latest recorded stay (a decline becomes a withdrawal, which v1 knew)."""
    import sqlalchemy as sa
    from alembic import op
    from sqlmodel.sql.sqltypes import AutoString

    table = f"{service}_stay_consent"
    op.create_table(
        f"{service}_consent",
        sa.Column("patient_ref", AutoString(length=40), nullable=False),
        sa.Column("status", AutoString(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("patient_ref"),
    )
    op.execute(
        f"INSERT INTO {service}_consent (patient_ref, status, version) SELECT s.patient_ref, "
        "CASE s.status WHEN 'declined' THEN 'withdrawn' ELSE s.status END, s.version "
        f"FROM {table} s WHERE s.episode_id = (SELECT l.episode_id FROM {table} l "
        "WHERE l.patient_ref = s.patient_ref ORDER BY l.recorded_at DESC, l.episode_id LIMIT 1)"
    )
    op.drop_index(f"ix_{table}_patient_ref", table_name=table)
    op.drop_table(table)
