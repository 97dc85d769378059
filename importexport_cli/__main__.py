"""`importexport` and `python -m importexport_cli`: answers --version before importing click."""

from __future__ import annotations

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

    sys.exit(run(argv))


if __name__ == "__main__":
    main()
