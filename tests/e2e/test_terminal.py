"""At home in a terminal: what start-up imports, TAB completion, the job-id cache."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ..conftest import CLI, EXAMPLE, run_cli

pytestmark = pytest.mark.e2e
HEAVY = ("httpx", "lxml", "rich", "yaml", "jmespath", "sqlite3", "platformdirs")
PROBE = ("import os, sys\nos._exit = lambda code: None\nsys.argv = ['importexport'] + sys.argv[1:]\n"
         "try:\n    from importexport_cli.__main__ import main; main()\nexcept SystemExit: pass\n"
         "print(sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)")


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["get-status", "--help"], ["list-jobs", "--help"],
                                  ["manifest", "validate", "--help"], ["emulator", "serve", "--help"]])
def test_help_and_version_import_nothing_heavy(args):
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args], capture_output=True, text=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"
    if args == ["--version"]:
        assert "click" not in done.stderr


def test_version_is_answered_before_click_is_imported():
    code = ("import sys\nsys.argv = ['importexport', '--version']\n"
            "try:\n    from importexport_cli.__main__ import main; main()\nexcept SystemExit: pass\n"
            "print('click' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.startswith("importexport ") and done.stderr.strip() == "False"


def complete(words: str, env=None) -> list[str]:
    parts = words.split(" ")
    environment = {**os.environ, "_IMPORTEXPORT_COMPLETE": "bash_complete", "COMP_WORDS": words,
                   "COMP_CWORD": str(len(parts) - 1), **(env or {})}
    done = subprocess.run([CLI], capture_output=True, text=True, env=environment, timeout=30)
    return done.stdout.splitlines()


def test_completion_of_commands_options_and_choices():
    assert complete("importexport get-st") == ["plain,get-status"]
    assert complete("importexport create-job --job-type ") == ["plain,Import", "plain,Export"]
    assert "plain,--signature-dir" in complete("importexport create-job --sig")
    assert complete("importexport create-job --manifest ") == ["file,"]
    assert complete("importexport create-job --signature-dir ") == ["dir,"]
    assert "plain,jsonl" in complete("importexport --output ")
    assert "plain,never" in complete("importexport get-status --color ")  # a global option after the command
    assert complete("importexport wait X --until Compl") == ["plain,Complete"]


def test_job_ids_complete_from_the_ids_this_machine_has_seen(local):
    # no network on TAB: the ids come from what earlier commands printed
    created = local("create-job", "--job-type", "Import", "--manifest",
                    str(EXAMPLE))
    job_id = created.json()["JobId"]
    local("get-status", "ZZZZZ", job_id)  # a failed id is not remembered
    offered = complete("importexport get-status ", env={"IMPORTEXPORT_ENDPOINT_URL": "http://127.0.0.1:9"})
    assert offered == [f"plain,{job_id}"]


def test_completion_command_prints_each_script():
    for shell, marker in (("bash", "complete -o nosort"), ("zsh", "#compdef importexport"), ("fish", "complete --no-files --command importexport")):
        result = run_cli("completion", shell)
        assert result.code == 0 and marker in result.out, shell
