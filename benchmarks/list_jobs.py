"""`list-jobs` over 100,000 jobs against `emulator serve`: peak memory of the client (budget: under
80 MiB, SPEC 9) and wall time, for each streamed output format.

    python benchmarks/list_jobs.py [--venv DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import tempfile
import time

from _common import Emulator, clean_venv, env_with_keys, seed_jobs


def peak_rss_mib(command: list[str], env) -> tuple[float, float]:
    """Run command in a fresh child (via a wrapper so earlier children do not count)."""
    wrapper = ("import resource, subprocess, sys\n"
               "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    start = time.perf_counter()
    done = subprocess.run(["python3", "-c", wrapper, *command], capture_output=True, text=True, env=env, check=True)
    return int(done.stdout.strip()) / 1024, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv")
    parser.add_argument("--jobs", type=int, default=100_000)
    args = parser.parse_args()
    venv = clean_venv(args.venv)
    cli, python = str(venv / "bin" / "importexport"), str(venv / "bin" / "python")
    db = os.path.join(tempfile.mkdtemp(), "many.sqlite3")
    seed_jobs(db, args.jobs, python)
    with Emulator(cli, db=db) as server:
        for fmt in ("json", "jsonl", "text"):
            mib, seconds = peak_rss_mib([cli, "list-jobs", "--output", fmt, "--endpoint-url", server.url],
                                           env_with_keys())
            verdict = "within budget" if mib < 80 else "OVER the 80 MiB budget"
            print(f"list-jobs --output {fmt:<5} over {args.jobs} jobs: peak {mib:5.1f} MiB, {seconds:5.1f} s - {verdict}")
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this script itself: {baseline:.1f} MiB)")


if __name__ == "__main__":
    main()
