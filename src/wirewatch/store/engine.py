"""Opening an archive: the engine, SQLite's settings, and the migrations."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection

from wirewatch.errors import ConfigError, StoreError

HEAD = "0009"


#: The back ends an archive can live on, by SQLAlchemy's name for them.
BACKENDS = ("sqlite", "postgresql")


def database_url(target: str) -> str:
    """An SQLAlchemy URL for ``target``: a URL as given (PostgreSQL through psycopg 3),
    or a file path for SQLite."""
    if "://" in target:
        try:
            url = make_url(target)
        except sa.exc.ArgumentError:
            raise ConfigError(f"database {target!r}: not a database URL (e.g. postgresql://user@host/db)") from None
        backend = url.get_backend_name()
        if backend not in BACKENDS:
            shown = url.render_as_string(hide_password=True)
            raise ConfigError(f"database {shown!r}: wirewatch keeps archives on SQLite or PostgreSQL, not {backend}")
        if backend == "postgresql" and url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return "sqlite:///" + str(Path(target).expanduser())


def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: object) -> None:
    cursor = dbapi_conn.cursor()
    # WAL lets readers (the web app, a search) work while an import writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_engine(target: str) -> sa.Engine:
    """An engine on the archive at ``target`` (a path or an SQLAlchemy URL)."""
    url = database_url(target)
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        try:
            import psycopg  # noqa: F401 - the driver, named here so its absence is a message
        except ImportError:
            raise ConfigError("PostgreSQL needs the psycopg package: pip install 'wirewatch[postgresql]'") from None
        return sa.create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        folder = Path(parsed.database).parent
        if not folder.is_dir():
            raise StoreError(f"database {target!r}: folder {str(folder)!r} does not exist")
        if Path(parsed.database).exists() and not os.access(parsed.database, os.R_OK):
            raise StoreError(f"database {target!r}: the file cannot be read (permission denied)")
    engine = sa.create_engine(url)
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def current_revision(conn: sa.Connection) -> str | None:
    """The schema revision the archive is at; None for an empty database.

    Read with plain SQL: importing Alembic takes ~0.2 s, which every command would
    otherwise pay only to learn that there is nothing to upgrade.
    """
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    revision = conn.scalar(sa.text("SELECT version_num FROM alembic_version"))
    return None if revision is None else str(revision)


def upgrade(engine: sa.Engine) -> None:
    """Bring the schema to the newest revision (a no-op when it is there)."""
    try:
        with engine.connect() as conn:
            if current_revision(conn) == HEAD:
                return
    except sa.exc.OperationalError as exc:
        if engine.dialect.name == "sqlite":
            raise StoreError(
                f"{engine.url.database}: not a wirewatch archive or not an SQLite file ({exc.orig})"
            ) from exc
        where = engine.url.render_as_string(hide_password=True)
        raise StoreError(f"cannot reach the database {where}: {str(exc.orig).strip().splitlines()[0]}") from exc
    except sa.exc.DatabaseError as exc:
        raise StoreError(f"{engine.url.database}: not a wirewatch archive or not an SQLite file ({exc.orig})") from exc
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("wirewatch.store") / "migrations"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


class Writer:
    """Write transactions on an archive. On SQLite they take turns within the process
    (datasette's single writer): threads that write at once would otherwise meet
    SQLite's busy handler, which sleeps in steps of up to 100 ms. PostgreSQL writers
    run side by side."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock() if engine.dialect.name == "sqlite" else None

    @contextlib.contextmanager
    def begin(self, *, immediate: bool = False) -> Iterator[sa.Connection]:
        """A transaction, committed at the end. ``immediate``: on SQLite, hold the
        database's write lock from the first statement on (BEGIN IMMEDIATE), so that a
        read-then-write (a claim) is not overtaken by another process."""
        with self._lock or contextlib.nullcontext():
            if not (immediate and self._lock is not None):
                with self.engine.begin() as conn:
                    yield conn
                return
            with self.engine.connect() as conn:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.rollback()
                    raise
                conn.commit()
