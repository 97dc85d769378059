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


@settings.command("list")
@click.pass_obj
def settings_list(state):
    """Print each effective setting and where it came from (flag, environment, profile, default),
    like `aws configure list`; secret keys and tokens are masked.

    \b
    Example:
      importexport --profile work config list
    """
    config = state.settings(need_credentials=False)
    sources = dict(config.sources)
    credentials, problem = None, None
    if config.credentials is not None:
        credentials = config.credentials
    else:
        try:
            credentials = state.settings().credentials
            sources = state.settings().sources
        except ConfigError as exc:
            problem = exc.message
    rows = [
        ("profile", config.profile, sources.get("profile", "default")),
        ("endpoint_url", config.endpoint_url, sources.get("endpoint_url", "default")),
        ("region", config.region, sources.get("region", "default")),
        ("output", config.output, sources.get("output", "default")),
        ("signature_version", config.signature_version,
         "--signature-version" if "signature_version" in state.given else "default"),
        ("max_attempts", str(config.max_attempts), sources.get("max_attempts", "default")),
        ("connect_timeout", f"{config.connect_timeout:g}s", "--connect-timeout"
         if "connect_timeout" in state.given else "default"),
        ("read_timeout", f"{config.read_timeout:g}s", "--read-timeout" if "read_timeout" in state.given
         else "default"),
        ("verify_ssl", str(config.verify), sources.get("verify_ssl", sources.get("ca_bundle", "default"))),
        ("access_key", credentials.access_key if credentials else "(none)",
         sources.get("credentials", problem or "not found")),
        ("secret_key", _mask(credentials.secret_key if credentials else None), sources.get("credentials", "")),
        ("session_token", _mask(credentials.token if credentials else None),
         sources.get("credentials", "") if credentials and credentials.token else ""),
    ]
    width = max(len(r[0]) for r in rows)
    value_width = min(48, max(len(r[1]) for r in rows))
    click.echo(f"{'Name':<{width}}  {'Value':<{value_width}}  Source")
    for name, value, source in rows:
        click.echo(f"{name:<{width}}  {value:<{value_width}}  {source}")
