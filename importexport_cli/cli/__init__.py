"""The root group, the global options, and the one place that turns errors into exit codes.

Global options are accepted before and after the command (as `aws` accepts them): those written after it
are moved in front of it before click parses (`hoist_global_options`).  The root lists its commands from
an index and imports a command's module only when that command runs; settings and the client are built
on first use, so `--help` reads no file and imports no httpx (SPEC 9).
"""

from __future__ import annotations

import sys

import click

from .. import __version__
from ..errors import DryRun, ExitCode, ImportExportError, ServiceError

GLOBALS = "importexport.globals"
COLORS = {"on": "always", "off": "never", "always": "always", "never": "never", "auto": "auto"}
EPILOG_GLOBALS = ("Global options (--output, --query, --endpoint-url, --profile, --region, --debug, "
                  "--dry-run, ...) may also follow the command; see `importexport --help`.")

GLOBAL_OPTIONS = [
    (("--endpoint-url",), dict(metavar="URL", help="Send requests to URL instead of the AWS endpoint; "
                                                    "`local` runs the embedded emulator.")),
    (("--profile",), dict(metavar="NAME", help="Use this profile of the shared config and credentials "
                                                "files (and only it).")),
    (("--region",), dict(metavar="REGION", help="Region for signing with a custom endpoint "
                                                 "(default us-east-1).")),
    (("--output",), dict(type=click.Choice(["table", "json", "jsonl", "text", "yaml"]),
                         help="Output format (default: table on a terminal, else json).")),
    (("--query",), dict(metavar="JMESPATH", help="A JMESPath expression applied to the result "
                                                  "before it is printed.")),
    (("--signature-version",), dict(type=click.Choice(["v4", "v2"]),
                                    help="Sign requests with SigV4 (default) or SigV2.")),
    (("--debug",), dict(is_flag=True, default=None, help="Log the wire exchange (secrets masked) and "
                                                         "show tracebacks.")),
    (("--dry-run",), dict(is_flag=True, default=None, help="Print the request that would be sent, and "
                                                           "send nothing.")),
    (("--no-verify-ssl",), dict(is_flag=True, default=None, help="Do not verify TLS certificates.")),
    (("--ca-bundle",), dict(metavar="FILE", help="Verify TLS certificates with this CA bundle.")),
    (("--connect-timeout", "--cli-connect-timeout", "connect_timeout"),
     dict(type=click.FloatRange(min=0), metavar="SECONDS", help="Connect timeout (default 60).")),
    (("--read-timeout", "--cli-read-timeout", "read_timeout"),
     dict(type=click.FloatRange(min=0), metavar="SECONDS", help="Read timeout (default 60).")),
    (("--max-attempts",), dict(type=click.IntRange(min=1), metavar="N",
                               help="Attempts per request, retries included (default 5).")),
    (("--color",), dict(type=click.Choice(list(COLORS)), help="Colour in tables: auto, always/on, "
                                                              "never/off (NO_COLOR is honoured).")),
    (("--credentials-file",), dict(metavar="FILE", help="Read accessKeyId and secretKey from the Java "
                                                        "tool's AWSCredentials.properties.")),
    (("--no-paginate",), dict(is_flag=True, default=None, help="list-jobs: make one call and print "
                                                               "IsTruncated.")),
]


def _remember(ctx: click.Context, param: click.Parameter, value):
    if value not in (None, False):
        ctx.meta.setdefault(GLOBALS, {})[param.name] = value
    return value


def global_options(function):
    for decls, kwargs in reversed(GLOBAL_OPTIONS):
        function = click.option(*decls, expose_value=False, callback=_remember, **kwargs)(function)
    return function


def _global_option_names() -> tuple[set[str], set[str]]:
    flags, valued = set(), set()
    for decls, kwargs in GLOBAL_OPTIONS:
        names = {d for d in decls if d.startswith("--")}
        (flags if kwargs.get("is_flag") else valued).update(names)
    return flags, valued


def hoist_global_options(args: list[str]) -> list[str]:
    """Move global options written after the command in front of it, as `aws` accepts them anywhere
    (`importexport get-status X --output text` == `importexport --output text get-status X`)."""
    flags, valued = _global_option_names()
    index = 0
    while index < len(args) and args[index].startswith("-") and args[index] != "--":
        index += 2 if args[index] in valued else 1
    hoisted, rest, tail = [], [], args[index:]
    position = 0
    while position < len(tail):
        token = tail[position]
        name, equals, _ = token.partition("=")
        if token == "--":
            rest += tail[position:]
            break
        step = 1
        if name in valued:
            step = 1 if equals else 2
            hoisted += tail[position:position + step]
        elif token in flags:
            hoisted.append(token)
        else:
            rest.append(token)
        position += step
    return args[:index] + hoisted + rest


# The command index: name -> (module in this package, attribute, one-line help).  `importexport --help`
# prints it without importing the command modules; a command's module is imported when it runs.
COMMANDS = {
    "create-job": ("jobs", "jobs_create", "Create a job from a manifest (CreateJob)."),
    "update-job": ("jobs", "jobs_update", "Replace a job's manifest (UpdateJob)."),
    "cancel-job": ("jobs", "jobs_cancel", "Cancel one or more jobs (CancelJob)."),
    "get-status": ("jobs", "jobs_status", "Show where jobs are and how they progress (GetStatus)."),
    "list-jobs": ("jobs", "jobs_list", "List your jobs, newest first (ListJobs)."),
    "wait": ("jobs", "jobs_wait", "Wait until a job reaches a status code."),
    "get-shipping-label": ("labels", "labels_get", "Get a prepaid shipping label (GetShippingLabel)."),
    "manifest": ("manifests", "manifests", "Check manifests offline; write a starter manifest."),
    "signature": ("signatures", "signatures", "Check the SIGNATURE file on a device."),
    "config": ("settings", "settings", "Show the effective configuration."),
    "emulator": ("emulate", "emulate", "Run the offline emulator of the service."),
    "completion": ("completion", "completion_print", "Print the TAB-completion script for bash, zsh or fish."),
}


class _PipeClosed(Exception):
    """stdout's reader went away (`| head`); click would turn that into exit 1, aws ends with 0."""


class RootGroup(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise _PipeClosed() from None

    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        import importlib

        module, attribute, _ = COMMANDS[name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), attribute)

    def format_commands(self, ctx, formatter):
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, _, short) in COMMANDS.items()])


@click.group(cls=RootGroup, context_settings={"help_option_names": ["-h", "--help"],
                                               "max_content_width": 100})
@global_options
@click.version_option(__version__, "--version", prog_name="importexport", message="%(prog)s %(version)s")
@click.pass_context
def root(ctx: click.Context):
    """A fast, scriptable client for AWS Import/Export (API 2010-06-01), and its offline emulator.

    A drop-in for `aws importexport ...`: the same parameters on the wire, the same JSON and text on
    stdout.  Try everything offline with `--endpoint-url local`.  Global options may come before or
    after the command.

    \b
    Examples:
      importexport --endpoint-url local create-job --job-type Import --manifest m.yaml --signature-dir /media/disk
      importexport get-status ABCDE --output table
      importexport list-jobs --max-items 10

    \b
    Exit codes: 0 success, 1 wait/verify outcome not reached, 124 wait timed out, 130 interrupted,
    252 invalid input (nothing sent), 253 configuration or credentials, 254 the service said no,
    255 network or anything else.
    """
    from .state import State

    ctx.obj = State(ctx)


def _completing() -> bool:
    import os

    return "_IMPORTEXPORT_COMPLETE" in os.environ


def _with_globals_when_completing(decorate):
    """Global options after a command are hoisted before click parses (see `run`); TAB completion
    parses without us, so there, and only there, every command carries the global options too."""
    if not _completing():
        return decorate
    return lambda function: decorate(global_options(function))


def command(name: str, **kwargs):
    """A top-level command; its one-line help comes from the index."""
    kwargs.setdefault("short_help", COMMANDS[name][2])
    kwargs.setdefault("epilog", EPILOG_GLOBALS)
    return _with_globals_when_completing(click.command(name, **kwargs))


class FamilyGroup(click.Group):
    """A command family (`manifest`, `emulator`, ...); its commands say that global options may follow."""

    def command(self, *args, **kwargs):
        kwargs.setdefault("epilog", EPILOG_GLOBALS)
        return _with_globals_when_completing(super().command(*args, **kwargs))


def group(name: str, **kwargs):
    kwargs.setdefault("short_help", COMMANDS[name][2])
    return click.group(name, cls=FamilyGroup, **kwargs)


def report(exc: BaseException, debug: bool) -> int:
    """The one translator: an exception -> a message on stderr and an exit code (SPEC section 3)."""
    if isinstance(exc, ImportExportError):
        detail = ""
        if isinstance(exc, ServiceError) and debug:
            detail = f" ({exc.operation}" + (f", request id {exc.request_id}" if exc.request_id else "") + ")"
        click.echo(f"importexport: error: {exc.message}{detail}", err=True)
        if exc.hint:
            click.echo(f"importexport: hint: {exc.hint}", err=True)
        return int(exc.exit_code)
    click.echo(f"importexport: error: unexpected {type(exc).__name__}: {exc}", err=True)
    if not debug:
        click.echo("importexport: hint: run again with --debug for the details", err=True)
    return int(ExitCode.OTHER)


def run(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        code = root.main(args=hoist_global_options(args), prog_name="importexport", standalone_mode=False,
                         terminal_width=_terminal_width())
        # click returns the code given to ctx.exit(); other failures arrive as exceptions
        return code if isinstance(code, int) else int(ExitCode.OK)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except DryRun as exc:
        click.echo(exc.request.describe())
        return 0
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "importexport"
        click.echo(f"importexport: error: {exc.format_message()} (see: {where} --help)", err=True)
        return int(ExitCode.USAGE)
    except click.ClickException as exc:
        click.echo(f"importexport: error: {exc.format_message()}", err=True)
        return int(ExitCode.USAGE)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("\nimportexport: interrupted", err=True)
        return int(ExitCode.INTERRUPTED)
    except (BrokenPipeError, _PipeClosed):  # a closed pipe ends quietly
        _silence_stdout()
        return int(ExitCode.OK)
    except Exception as exc:  # noqa: BLE001 - ours, and the last line of defence: no bare tracebacks
        if debug:
            import traceback

            traceback.print_exc()
        return report(exc, debug)


def _terminal_width() -> int:
    """The width for help text (click would import shutil to ask; os answers as well, for less)."""
    import os

    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        columns = os.environ.get("COLUMNS", "")
        return int(columns) if columns.isdigit() else 80


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass

