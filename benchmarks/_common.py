"""Helpers shared by the benchmark scripts: a clean virtual environment with the project installed,
an `emulator serve` on a free port, and median timings."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_KEY = "AKIAIOSFODNN7EXAMPLE"
TEST_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def clean_venv(path: str | None) -> Path:
    """A virtual environment holding only the project (made once, reused when given)."""
    venv = Path(path) if path else Path(tempfile.gettempdir()) / "importexport-bench-venv"
    if not (venv / "bin" / "importexport").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", str(ROOT)], check=True)
    return venv


def median_seconds(command: list[str], runs: int, env=None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Emulator:
    """`importexport emulator serve` on a free port, stopped on exit."""

    def __init__(self, cli: str, *args: str, db: str | None = None):
        self.port = free_port()
        self.db = db or os.path.join(tempfile.mkdtemp(), "bench.sqlite3")
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([cli, "emulator", "serve", "--port", str(self.port), "--db", self.db,
                                         "--stage-seconds", "0", *args], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the emulator did not start")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(10)


def env_with_keys() -> dict:
    return {**os.environ, "AWS_ACCESS_KEY_ID": TEST_KEY, "AWS_SECRET_ACCESS_KEY": TEST_SECRET,
            "AWS_DEFAULT_REGION": "us-east-1"}


def seed_jobs(db: str, count: int, python: str) -> list[str]:
    """Put `count` jobs of the test account straight into an emulator store (through the store's own
    bulk insert, in the venv's python); returns their ids, newest first."""
    script = f"""
import random, time
from importexport_cli.emulator.store import Store
from importexport_cli.emulator.jobs import sign_job
from importexport_cli.service import JOB_ID_ALPHABET
manifest = open({str(ROOT / 'examples' / 's3-import.yaml')!r}).read()
rng = random.Random(1)
ids = set()
while len(ids) < {count}:
    ids.add(''.join(rng.choice(JOB_ID_ALPHABET) for _ in range(5)))
ids = sorted(ids)
now = time.time() - {count}
rows = [dict(job_id=i, account={TEST_KEY!r}, job_type='Import', manifest=manifest, device_id='49382',
             log_bucket='my-bucket', log_prefix=None, created=now + n, canceled=None,
             signature=sign_job({TEST_SECRET!r}, i, manifest)) for n, i in enumerate(ids)]
store = Store({db!r})
for start in range(0, len(rows), 10000):
    store.bulk_insert(rows[start:start + 10000])
print('\\n'.join(reversed(ids)))
"""
    done = subprocess.run([python, "-c", script], capture_output=True, text=True, check=True)
    return done.stdout.split()
