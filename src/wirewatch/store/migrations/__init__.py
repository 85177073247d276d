"""Alembic migrations: append-only, one file per change, each run in a transaction."""
