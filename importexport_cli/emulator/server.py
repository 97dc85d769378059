"""`emulator serve`: the emulator app on gunicorn (a production, multi-threaded WSGI server).

Socket-level faults live here, at the server layer: gunicorn hands the client's socket to the app in
`gunicorn.socket`, which the Faults middleware uses to cut connections.
"""

from __future__ import annotations

import sys

from .app import EmulatorApp, EmulatorConfig
from .faults import Faults


def serve(config: EmulatorConfig, host: str, port: int, *, faults=(), seed: int | None = None,
          workers: int = 2, threads: int = 16, announce=None) -> None:
    from gunicorn.app.base import BaseApplication

    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def when_ready(server):
        if announce:
            announce()
        sys.stdout.flush()

    class Server(BaseApplication):
        def load_config(self):
            settings = {
                "bind": [bind], "workers": workers, "threads": threads, "worker_class": "gthread",
                "accesslog": None, "errorlog": "-", "loglevel": "warning", "keepalive": 30,
                "timeout": 120, "graceful_timeout": 3, "when_ready": when_ready,
                "proc_name": "importexport-emulator", "worker_connections": 1000,
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):
            app = EmulatorApp(config)
            _date_from(app.clock)
            if faults:
                return Faults(app, list(faults), seed, socket_of=lambda environ: environ.get("gunicorn.socket"))
            return app

    Server().run()


def _date_from(clock) -> None:
    """gunicorn replaces the app's Date header with its own, from the machine's clock; make its Date the
    emulator's clock (SPEC 8: the app sets Date; --clock-offset must show in it)."""
    from email.utils import formatdate

    import gunicorn.util

    gunicorn.util.http_date = lambda timestamp=None: formatdate(clock() if timestamp is None else timestamp,
                                                                usegmt=True)
