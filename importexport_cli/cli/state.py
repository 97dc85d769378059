"""What the commands share, built once and lazily: Options -> Settings -> Client, and the output.

The root callback puts a State on ctx.obj; nothing is read or imported until a command asks.
"""

from __future__ import annotations

import sys

import click

from ..errors import ConfigError


class State:
    def __init__(self, ctx: click.Context):
        self.ctx = ctx
        self._settings = {}
        self._client = None
        self._query = None

    @property
    def given(self) -> dict:
        return self.ctx.meta.get("importexport.globals", {})

    def options(self):
        from ..config import Options
        from . import COLORS

        given = dict(self.given)
        given.pop("no_paginate", None)
        if "color" in given:
            given["color"] = COLORS[given["color"]]
        return Options(**given)

    def settings(self, need_credentials: bool = True):
        if need_credentials not in self._settings:
            from ..config import load_settings

            settings = load_settings(self.options(), stdout_isatty=sys.stdout.isatty(),
                                     need_credentials=need_credentials)
            if settings.debug:
                import logging

                logging.basicConfig(stream=sys.stderr, level=logging.DEBUG,
                                    format="%(asctime)s %(name)s: %(message)s")
                for noisy in ("httpcore", "httpx", "hpack"):
                    logging.getLogger(noisy).setLevel(logging.WARNING)
            self._settings[need_credentials] = settings
        return self._settings[need_credentials]

    @property
    def client(self):
        """The client, built on first use; a bad --query is refused here, before anything is sent."""
        if self._client is None:
            from ..client import Client

            self.query()
            settings = self.settings()
            transport = None
            if settings.is_local:
                from ..emulator import local_transport

                try:
                    transport = local_transport()
                except ValueError as exc:
                    raise ConfigError(str(exc)) from None
            self._client = Client(settings, transport, warn=self.notice)
            self.ctx.call_on_close(self._client.close)
        return self._client

    @property
    def output_format(self) -> str:
        return self.settings(need_credentials=False).output

    def query(self):
        if self._query is None and self.given.get("query"):
            from ..output import compile_query

            self._query = compile_query(self.given["query"])
        return self._query

    def emit(self, data, *, each: bool = False) -> None:
        """Print a result; with `each`, --query applies to every document of a list."""
        from ..output import apply_query, render

        settings = self.settings(need_credentials=False)
        remember_job_ids(data)
        if each and self.query() is not None:
            data = [apply_query(self.query(), item) for item in data]
            render(data, settings.output, sys.stdout, color=settings.color)
        else:
            render(data, settings.output, sys.stdout, query=self.query(), color=settings.color)

    def notice(self, message: str) -> None:
        click.echo(f"importexport: {message}", err=True)


def remember_job_ids(data) -> None:
    """Keep the job ids the user has seen, for TAB completion (never a network call on TAB)."""
    from .completion import remember

    ids = []
    for item in data if isinstance(data, list) else [data]:
        if isinstance(item, dict) and "Error" not in item:
            if isinstance(item.get("JobId"), str):
                ids.append(item["JobId"])
            ids += [j["JobId"] for j in item.get("Jobs", []) if isinstance(j, dict) and "JobId" in j]
    if ids:
        remember(ids)
