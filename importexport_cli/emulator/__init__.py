"""The offline emulator of the AWS Import/Export service (SPEC section 8)."""

from __future__ import annotations

import os


def default_db_path() -> str:
    """The embedded emulator's store: IMPORTEXPORT_EMULATOR_DB, else the user's data directory."""
    if os.environ.get("IMPORTEXPORT_EMULATOR_DB"):
        return os.environ["IMPORTEXPORT_EMULATOR_DB"]
    from platformdirs import user_data_dir

    return os.path.join(user_data_dir("importexport", appauthor=False), "emulator.sqlite3")


def local_app():
    from .app import EmulatorApp, EmulatorConfig

    stage = os.environ.get("IMPORTEXPORT_EMULATOR_STAGE_SECONDS") or "60"
    try:
        seconds = float(stage)
        if not seconds >= 0:
            raise ValueError
    except ValueError:
        raise ValueError(f"IMPORTEXPORT_EMULATOR_STAGE_SECONDS must be a number of seconds, not {stage!r}") from None
    return EmulatorApp(EmulatorConfig(default_db_path(), stage_seconds=seconds))


def local_transport():
    """An httpx transport that hands requests to the emulator in this process."""
    import httpx

    return httpx.WSGITransport(app=local_app())
