"""Man pages from the CLI's own help: man/importexport.1 and man/importexport-COMMAND.1 for every command.

    python -m importexport_cli.cli.manpages man/        # writes the pages (a test regenerates and diffs)
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import __version__
from . import GLOBAL_OPTIONS, root

EXIT_STATUS = [
    ("0", "Success (with several ids: every one succeeded)."),
    ("1", "wait: the job ended in another state; signature verify: no match."),
    ("124", "wait: --timeout passed first."),
    ("130", "Interrupted (Ctrl-C); nothing half-written is left behind."),
    ("252", "The command line or an input is invalid; nothing was sent."),
    ("253", "Configuration or credentials are missing or invalid."),
    ("254", "The service answered with an error; its code and message are printed."),
    ("255", "Anything else: network failure after retries, unreadable response."),
]
ENVIRONMENT = [
    ("AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN", "Credentials (unless --profile is given)."),
    ("AWS_PROFILE", "The profile to use (default: default)."),
    ("AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE", "Where the shared credentials and config files are."),
    ("AWS_DEFAULT_REGION, AWS_REGION", "Region for signing with a custom endpoint."),
    ("IMPORTEXPORT_ENDPOINT_URL", "Endpoint URL, or `local` for the embedded emulator."),
    ("AWS_ENDPOINT_URL_IMPORTEXPORT, AWS_ENDPOINT_URL", "Endpoint URL."),
    ("AWS_DEFAULT_OUTPUT", "Output format."),
    ("AWS_CA_BUNDLE, AWS_MAX_ATTEMPTS", "CA bundle; attempts per request."),
    ("HTTPS_PROXY, NO_PROXY", "Proxy settings."),
    ("IMPORTEXPORT_EMULATOR_DB", "The embedded emulator's store."),
    ("NO_COLOR", "No colour in tables."),
]
FILES = [
    ("~/.aws/credentials, ~/.aws/config", "Profiles: keys, credential_process, region, output, endpoint_url, "
                                          "max_attempts, ca_bundle."),
    ("DIR/SIGNATURE", "The signature file written by --signature-dir (atomically)."),
    ("~/.local/share/importexport/emulator.sqlite3", "The embedded emulator's jobs."),
    ("~/.cache/importexport/job-ids", "Job ids seen, for TAB completion."),
]


def _escape(text: str) -> str:
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(("\\&" + line) if line.startswith((".", "'")) else line for line in text.split("\n"))


def _paragraphs(help_text: str) -> list[str]:
    """click's help text -> roff: paragraphs, with \\b blocks kept as they are written."""
    out = []
    import inspect

    for block in inspect.cleandoc(help_text).split("\n\n"):
        if block.startswith("\b\n"):
            out += [".PP", ".nf", _escape(block[2:]), ".fi"]
        else:
            out += [".PP", _escape(" ".join(block.split()))]
    return out


def _options(command: click.Command, ctx: click.Context) -> list[str]:
    out = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None or getattr(param, "hidden", False):
            continue
        names, help_text = record
        out += [".TP", f"\\fB{_escape(names)}\\fR", _escape(help_text)]
    return out


def _table(title: str, rows) -> list[str]:
    out = [f".SH {title}"]
    for term, text in rows:
        out += [".TP", f"\\fB{_escape(term)}\\fR", _escape(text)]
    return out


def page(path: tuple[str, ...], command: click.Command) -> str:
    name = "-".join(("importexport",) + path)
    ctx = click.Context(command, info_name=" ".join(("importexport",) + path), **root.context_settings)
    usage = " ".join(command.collect_usage_pieces(ctx))
    summary = command.get_short_help_str(limit=200) if path else "a client for AWS Import/Export"
    lines = [f'.TH "{name.upper()}" "1" "" "importexport {__version__}" "User Commands"',
             ".SH NAME", f"{_escape(name)} \\- {_escape(summary)}",
             ".SH SYNOPSIS", f"\\fB{_escape(ctx.info_name)}\\fR {_escape(usage)}",
             ".SH DESCRIPTION", *_paragraphs(command.help or "")]
    options = _options(command, ctx)
    if options:
        lines += [".SH OPTIONS", *options]
    if path:
        lines += [".SH GLOBAL OPTIONS", ".PP",
                  _escape("Accepted before or after the command: " + ", ".join(
                      decls[0] for decls, _ in GLOBAL_OPTIONS) + "; see importexport(1).")]
    if isinstance(command, click.Group):
        lines += _table("COMMANDS", [(f"importexport {' '.join(path + (n,))}",
                                      command.get_command(ctx, n).get_short_help_str(limit=200))
                                     for n in command.list_commands(ctx)])
    lines += _table("EXIT STATUS", EXIT_STATUS) + _table("ENVIRONMENT", ENVIRONMENT) + _table("FILES", FILES)
    see_also = "importexport(1)" if path else ", ".join(f"{n}(1)" for n in sorted(pages()) if n != "importexport")
    lines += [".SH SEE ALSO", _escape(see_also)]
    return "\n".join(lines) + "\n"


def commands(group: click.Group = root, path: tuple[str, ...] = ()):
    ctx = click.Context(group, **root.context_settings)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield path + (name,), command
        if isinstance(command, click.Group):
            yield from commands(command, path + (name,))


def pages() -> dict[str, str]:
    names = {"importexport": ()}
    names.update({"-".join(("importexport",) + p): p for p, _ in commands()})
    return names


def render_all() -> dict[str, str]:
    """File name -> page text, for the root and every command."""
    found = dict(commands())
    return {f"{name}.1": page(path, found[path] if path else root) for name, path in pages().items()}


def main(directory: str) -> None:
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    for filename, text in render_all().items():
        (target / filename).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "man")
