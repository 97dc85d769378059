"""config list: every effective setting, and where it came from (secrets masked)."""

from __future__ import annotations

import click

from ..errors import ConfigError
from . import group


@group("config")
def settings():
    """Show the effective configuration."""


def _mask(value: str | None) -> str:
    if not value:
        return "(none)"
    return "*" * 12 + value[-4:] if len(value) > 4 else "****"


SHOWN = ("profile", "endpoint_url", "region", "output", "signature_version", "max_attempts",
         "connect_timeout", "read_timeout", "verify", "color")


@settings.command("list")
@click.pass_obj
def settings_list(state):
    """Print each effective setting and where it came from (flag, environment, profile, default),
    like `aws configure list`; secret keys and tokens are masked.  A table on a terminal, else json.

    \b
    Example:
      importexport --profile work config list
    """
    try:
        config = state.settings()
        credentials_source = config.sources["credentials"]
    except ConfigError as exc:  # show everything else, and why there are no credentials
        config = state.settings(need_credentials=False)
        credentials_source = exc.message
    rows = [{"Name": name, "Value": str(getattr(config, name)), "Source": config.sources[name]} for name in SHOWN]
    credentials = config.credentials
    if credentials is None:
        rows.append({"Name": "credentials", "Value": "(none)", "Source": credentials_source})
    else:
        for name, value in (("access_key", credentials.access_key), ("secret_key", _mask(credentials.secret_key)),
                            ("session_token", _mask(credentials.token))):
            rows.append({"Name": name, "Value": value, "Source": credentials_source})
    state.emit(rows)
