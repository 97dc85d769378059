"""The emulator's SQLite job store: the only place with SQL.

WAL mode with synchronous=FULL, so a CreateJob acknowledged to a client survives kill -9; one connection
per thread; writes take the lock up front (BEGIN IMMEDIATE) and wait for it (busy timeout) rather than
failing with "database is locked".
"""

from __future__ import annotations

import json
import random
import sqlite3
import threading
from pathlib import Path

from ..service import JOB_ID_ALPHABET

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL,
    job_type TEXT NOT NULL,
    manifest TEXT NOT NULL,
    device_id TEXT NOT NULL,
    log_bucket TEXT,
    log_prefix TEXT,
    created REAL NOT NULL,
    canceled REAL,
    signature TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_by_account ON jobs (account, created DESC, seq DESC);
CREATE TABLE IF NOT EXISTS labels (
    token TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    body TEXT NOT NULL
);
"""
JOB_COLUMNS = ("job_id", "account", "job_type", "manifest", "device_id", "log_bucket", "log_prefix",
               "created", "canceled", "signature")


class Store:
    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._rng = random.SystemRandom()
        self._connection().executescript(SCHEMA)

    def _connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA busy_timeout=30000")
            db.row_factory = sqlite3.Row
            self._local.db = db
        return db

    class _Transaction:
        def __init__(self, db):
            self.db = db

        def __enter__(self):
            self.db.execute("BEGIN IMMEDIATE")
            return self.db

        def __exit__(self, kind, *_):
            self.db.execute("COMMIT" if kind is None else "ROLLBACK")

    def _write(self):
        return self._Transaction(self._connection())

    def new_job_id(self) -> str:
        return "".join(self._rng.choice(JOB_ID_ALPHABET) for _ in range(5))

    def insert_job(self, job: dict, sign) -> str:
        """Store a job under a fresh id (retrying on the rare collision); `sign(job_id)` gives its
        signature.  Returns the id."""
        while True:
            job_id = self.new_job_id()
            row = {**job, "job_id": job_id, "signature": sign(job_id)}
            try:
                with self._write() as db:
                    db.execute(f"INSERT INTO jobs ({', '.join(JOB_COLUMNS)}) VALUES "
                               f"({', '.join('?' * len(JOB_COLUMNS))})", [row.get(c) for c in JOB_COLUMNS])
                return job_id
            except sqlite3.IntegrityError:
                continue

    def count_since(self, account: str, since: float) -> int:
        row = self._connection().execute(
            "SELECT COUNT(*) FROM jobs WHERE account = ? AND created >= ?", (account, since)).fetchone()
        return row[0]

    def get_job(self, account: str, job_id: str) -> dict | None:
        row = self._connection().execute(
            "SELECT * FROM jobs WHERE job_id = ? AND account = ?", (job_id, account)).fetchone()
        return dict(row) if row else None

    def list_jobs(self, account: str, marker: str | None, limit: int) -> tuple[list[dict], bool] | None:
        """Newest first, after `marker`; None when the marker is not one of the account's jobs."""
        db = self._connection()
        where, args = "account = ?", [account]
        if marker:
            anchor = db.execute("SELECT created, seq FROM jobs WHERE job_id = ? AND account = ?",
                                (marker, account)).fetchone()
            if anchor is None:
                return None
            where += " AND (created < ? OR (created = ? AND seq < ?))"
            args += [anchor["created"], anchor["created"], anchor["seq"]]
        rows = db.execute(f"SELECT job_id, created, canceled, job_type FROM jobs WHERE {where} "
                          "ORDER BY created DESC, seq DESC LIMIT ?", args + [limit + 1]).fetchall()
        return [dict(r) for r in rows[:limit]], len(rows) > limit

    def update_job(self, account: str, job_id: str, **fields) -> None:
        sets = ", ".join(f"{name} = ?" for name in fields)
        with self._write() as db:
            db.execute(f"UPDATE jobs SET {sets} WHERE job_id = ? AND account = ?",
                       [*fields.values(), job_id, account])

    def cancel_job(self, account: str, job_id: str, when: float) -> bool:
        """Mark canceled unless it already is; False when someone else got there first."""
        with self._write() as db:
            changed = db.execute("UPDATE jobs SET canceled = ? WHERE job_id = ? AND account = ? AND "
                                 "canceled IS NULL", (when, job_id, account)).rowcount
        return changed == 1

    def add_label(self, token: str, account: str, label: dict) -> None:
        with self._write() as db:
            db.execute("INSERT INTO labels (token, account, body) VALUES (?, ?, ?)",
                       (token, account, json.dumps(label)))

    def get_label(self, token: str) -> dict | None:
        row = self._connection().execute("SELECT body FROM labels WHERE token = ?", (token,)).fetchone()
        return json.loads(row["body"]) if row else None

    def reset(self) -> int:
        with self._write() as db:
            count = db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0]
            db.execute("DELETE FROM jobs")
            db.execute("DELETE FROM labels")
        return count

    def bulk_insert(self, rows: list[dict]) -> None:
        """Many jobs at once, ids given (benchmarks and tests seed large stores with it)."""
        with self._write() as db:
            db.executemany(f"INSERT INTO jobs ({', '.join(JOB_COLUMNS)}) VALUES "
                           f"({', '.join('?' * len(JOB_COLUMNS))})", [[r.get(c) for c in JOB_COLUMNS]
                                                                       for r in rows])
