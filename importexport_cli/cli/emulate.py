"""emulator serve / reset."""

from __future__ import annotations

import click

from ..errors import InputError
from . import group


@group("emulator")
def emulate():
    """Run the offline emulator of the AWS Import/Export service."""


@emulate.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port.")
@click.option("--db", "db_path", metavar="PATH", help="The SQLite store (default: the embedded "
                                                       "emulator's, in your data directory).")
@click.option("--accounts", metavar="FILE", help="JSON list of {access_key_id, secret_access_key, "
                                                  "buckets} replacing the test account.")
@click.option("--stage-seconds", type=click.FloatRange(min=0), default=60, show_default=True,
              help="How long each lifecycle stage lasts (0 holds jobs at the first stage).")
@click.option("--faults", metavar="SPEC", help='Injected faults, e.g. "500:0.1,throttle:0.05,reset:0.02".')
@click.option("--seed", type=int, help="Seed for the injected faults.")
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True,
              help="Server processes (each with 16 threads).")
@click.option("--clock-offset", type=float, default=0, metavar="SECONDS",
              help="Run the server's clock this far ahead (or behind): try clients' clock-skew handling.")
def emulate_serve(host, port, db_path, accounts, stage_seconds, faults, seed, workers, clock_offset):
    """Serve the emulator over HTTP, so `importexport`, `aws importexport` and boto3 can use it
    with --endpoint-url.  Stops cleanly on Ctrl-C or SIGTERM.

    \b
    Example:
      importexport emulator serve --port 8765 --stage-seconds 5 &
      aws importexport list-jobs --endpoint-url http://127.0.0.1:8765
    """
    from ..emulator import default_db_path
    from ..emulator.app import EmulatorConfig, TEST_ACCOUNT, load_accounts
    from ..emulator.faults import parse_faults
    from ..emulator.server import serve

    try:
        plan = parse_faults(faults) if faults else []
        account_list = load_accounts(accounts) if accounts else [TEST_ACCOUNT]
    except ValueError as exc:
        raise InputError(str(exc)) from None
    config = EmulatorConfig(db_path or default_db_path(), account_list, stage_seconds, clock_offset)
    shown = f"[{host}]" if ":" in host else host

    def announce():
        click.echo(f"importexport emulator listening on http://{shown}:{port}")
        click.echo(f"  store: {config.db_path}")
        for account in account_list:
            click.echo(f"  account: {account.access_key_id} / {account.secret_access_key}")
        if plan:
            click.echo(f"  faults: {faults} (seed {seed})")

    serve(config, host, port, faults=plan, seed=seed, workers=workers, announce=announce)


@emulate.command("reset")
@click.option("--yes", is_flag=True, help="Do not ask first.")
@click.option("--db", "db_path", metavar="PATH", help="The store to empty (default: the embedded one).")
def emulate_reset(yes, db_path):
    """Empty the embedded emulator's store (asks first on a terminal).

    \b
    Example:
      importexport emulator reset --yes
    """
    import sys

    from ..emulator import default_db_path
    from ..emulator.store import Store

    path = db_path or default_db_path()
    if not yes:
        if not sys.stdin.isatty():
            raise InputError("emulator reset asks first; pass --yes when not at a terminal")
        click.confirm(f"Delete every job in {path}?", abort=True)
    count = Store(path).reset()
    click.echo(f"removed {count} job{'s' if count != 1 else ''} from {path}", err=True)
