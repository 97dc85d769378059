"""`importexport` and `python -m importexport_cli`: answers --version before importing click."""

from __future__ import annotations

import os
import sys


def main() -> None:
    argv = sys.argv[1:]
    if argv == ["--version"]:
        from . import __version__

        sys.stdout.write(f"importexport {__version__}\n")
        sys.exit(0)
    # httpx imports its own command-line client (click, rich, pygments: ~30 ms) at import time; we never
    # use it, and a None entry makes that import fail, which httpx handles (SPEC 9: start-up budgets).
    sys.modules.setdefault("httpx._main", None)
    from .cli import run

    try:
        code = run(argv)
    except SystemExit as exc:
        if "_IMPORTEXPORT_COMPLETE" not in os.environ:
            raise
        code = exc.code if isinstance(exc.code, int) else 0  # click ends a TAB completion this way
    _exit_now(code)


def _exit_now(code: int) -> None:
    """Flush and end without tearing down every loaded module (~7 ms, a sixth of the --help budget).
    Safe because every file we write is closed and synced before run() returns, and we register no
    exit handlers; `emulator serve` ends by SystemExit and never gets here."""
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):  # a closed pipe ends quietly
        pass
    try:
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code)


if __name__ == "__main__":
    main()
