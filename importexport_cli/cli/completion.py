"""completion bash|zsh|fish, and the small local cache of job ids that TAB completes from.

TAB never makes a network call: job ids come from the ids this machine's commands have printed.
"""

from __future__ import annotations

import os
import sys

import click

from . import command

CACHE_SIZE = 200
PROG = "importexport"
COMPLETE_VAR = "_IMPORTEXPORT_COMPLETE"


def _cache_path() -> str:
    directory = os.environ.get("IMPORTEXPORT_CACHE_DIR")
    if not directory and sys.platform.startswith("linux"):  # platformdirs' answer, without its import
        directory = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
                                 "importexport")
    if not directory:
        from platformdirs import user_cache_dir

        directory = user_cache_dir("importexport", appauthor=False)
    return os.path.join(directory, "job-ids")


def seen_job_ids() -> list[str]:
    try:
        with open(_cache_path(), encoding="utf-8") as handle:
            return [line.strip() for line in handle if line.strip()]
    except OSError:
        return []


def remember(job_ids: list[str]) -> None:
    """Put ids at the front of the cache (newest first, no repeats); never fails a command."""
    try:
        ids = list(dict.fromkeys([*job_ids, *seen_job_ids()]))[:CACHE_SIZE]
        path = _cache_path()
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temp = f"{path}.{os.getpid()}.tmp"
        with open(temp, "w", encoding="utf-8") as handle:
            handle.write("\n".join(ids) + "\n")
        os.replace(temp, path)
    except OSError:
        pass


def completion_script(shell: str) -> str:
    from click.shell_completion import get_completion_class

    from . import root

    return get_completion_class(shell)(root, {}, PROG, COMPLETE_VAR).source()


@command("completion")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion_print(shell):
    """Print the completion script for SHELL.

    \b
    Examples (install):
      bash:  importexport completion bash > ~/.local/share/bash-completion/completions/importexport
      zsh:   importexport completion zsh > "${fpath[1]}/_importexport"
      fish:  importexport completion fish > ~/.config/fish/completions/importexport.fish
    """
    click.echo(completion_script(shell), nl=False)


SCRIPT_FILES = {"bash": "importexport.bash", "zsh": "importexport.zsh", "fish": "importexport.fish"}


def write_scripts(directory: str) -> None:
    """Write the three scripts checked in under completions/ (a test regenerates and diffs them)."""
    os.makedirs(directory, exist_ok=True)
    for shell, name in SCRIPT_FILES.items():
        with open(os.path.join(directory, name), "w", encoding="utf-8") as handle:
            handle.write(completion_script(shell))


if __name__ == "__main__":
    write_scripts(sys.argv[1] if len(sys.argv) > 1 else "completions")
