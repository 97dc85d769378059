"""`get-status` of 1,000 ids in one call against `emulator serve` (budget: under 5 s, SPEC 9).

    python benchmarks/bulk_status.py [--venv DIR] [--ids N] [--concurrency N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time

from _common import Emulator, clean_venv, env_with_keys, seed_jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv")
    parser.add_argument("--ids", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    venv = clean_venv(args.venv)
    cli, python = str(venv / "bin" / "importexport"), str(venv / "bin" / "python")
    db = os.path.join(tempfile.mkdtemp(), "bulk.sqlite3")
    ids = seed_jobs(db, args.ids, python)
    with Emulator(cli, db=db) as server:
        start = time.perf_counter()
        done = subprocess.run([cli, "get-status", "-", "--concurrency", str(args.concurrency), "--endpoint-url",
                               server.url], input="\n".join(ids), capture_output=True, text=True, env=env_with_keys())
        seconds = time.perf_counter() - start
    documents = json.loads(done.stdout)
    ok = sum("Error" not in d for d in documents)
    in_order = [d["JobId"] for d in documents] == ids
    verdict = "within budget" if seconds < 5 else "OVER the 5 s budget"
    print(f"get-status of {len(ids)} ids: {seconds:.2f} s ({len(ids) / seconds:.0f} ids/s), {ok} ok, "
          f"in input order: {in_order}, exit {done.returncode} - {verdict}")


if __name__ == "__main__":
    main()
