"""Start-up and round-trip budgets (SPEC 9), as ratios against `python -c pass` of the same clean venv.

    python benchmarks/startup.py [--venv DIR] [--runs N]

Prints: --version (budget 1.5x), --help of the root and of a command, and a TAB completion (budget 5x),
the AWS CLI's --version for comparison, and one get-status against `emulator serve` next to
`aws importexport get-status` (budget: a third of its wall time).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys

from _common import ROOT, Emulator, clean_venv, env_with_keys, median_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", help="an existing clean venv with the project installed")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    venv = clean_venv(args.venv)
    python, cli = str(venv / "bin" / "python"), str(venv / "bin" / "importexport")
    base = median_seconds([python, "-c", "pass"], args.runs)
    print(f"python -c pass                    {base * 1000:7.1f} ms   1.00x")

    def show(label, command, budget=None, env=None):
        seconds = median_seconds(command, args.runs, env)
        ratio = seconds / base
        verdict = "" if budget is None else (" within budget" if ratio <= budget else f" OVER the {budget}x budget")
        print(f"{label:<33} {seconds * 1000:7.1f} ms {ratio:6.2f}x{verdict}")
        return seconds

    show("importexport --version", [cli, "--version"], 1.5)
    show("importexport --help", [cli, "--help"], 5)
    show("importexport get-status --help", [cli, "get-status", "--help"], 5)
    completion = {**os.environ, "_IMPORTEXPORT_COMPLETE": "bash_complete", "COMP_WORDS": "importexport get-st",
                  "COMP_CWORD": "1"}
    show("TAB completion (get-st<TAB>)", [cli], 5, env=completion)
    aws = shutil.which("aws")
    if aws:
        show("aws --version (reference)", [aws, "--version"])
    with Emulator(cli) as server:
        env = env_with_keys()
        created = subprocess.run([cli, "create-job", "--job-type", "Import", "--manifest",
                                  str(ROOT / "examples" / "s3-import.yaml"),
                                  "--endpoint-url", server.url], capture_output=True, env=env, check=True)
        job_id = json.loads(created.stdout)["JobId"]
        ours = show("importexport get-status (server)", [cli, "get-status", job_id, "--endpoint-url", server.url],
                    env=env)
        if aws:
            theirs = show("aws importexport get-status", [aws, "importexport", "get-status", "--job-id", job_id,
                                                          "--endpoint-url", server.url], env=env)
            verdict = "within budget" if ours <= theirs / 3 else "OVER budget"
            print(f"get-status round trip: ours / aws = {ours / theirs:.2f} (budget 0.33) {verdict}")
    print(f"python: {sys.version.split()[0]}, venv: {venv}")


if __name__ == "__main__":
    main()
