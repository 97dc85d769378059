"""Turning command-line values into operation parameters, as `aws` does: `file://` values, manifests
(path, `-`, inline YAML), `--cli-input-json`, `--generate-cli-skeleton`, job ids from arguments or stdin.
"""

from __future__ import annotations

import os
import sys

import click

from ..errors import InputError
from ..service import KNOWN_CODES, OPERATIONS

MANIFEST_SUFFIXES = (".yaml", ".yml", ".txt", ".manifest", ".json")
MAX_STDIN = 16 * 1024 * 1024


class AnyCase(click.ParamType):
    """One of a few words, in any case; converted to (and completed as) the service's spelling."""

    def __init__(self, name: str, words, what: str):
        self.name, self.words, self.what = name, tuple(words), what

    def convert(self, value, param, ctx):
        for known in self.words:
            if str(value).lower() == known.lower():
                return known
        self.fail(f"{value!r} is not {self.what}; use one of {', '.join(self.words)}", param, ctx)

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        return [CompletionItem(w) for w in self.words if w.lower().startswith(incomplete.lower())]


class JobIdType(click.ParamType):
    """A job id: non-empty, printable; completes from the ids this machine has seen."""

    name = "JOB_ID"

    def convert(self, value, param, ctx):
        text = value.strip() if isinstance(value, str) else ""
        if not text and isinstance(value, str):
            self.fail("a job id cannot be empty", param, ctx)
        if not text or not text.isprintable() or " " in text or len(text) > 64:
            self.fail(f"{value!r} is not a job id", param, ctx)
        return text

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        from .completion import seen_job_ids

        return [CompletionItem(i) for i in seen_job_ids() if i.startswith(incomplete.upper())]


class PathArgument(click.ParamType):
    """A string that TAB-completes as a file or directory path (no check here: the command checks,
    with a better message, and a manifest may also be `-` or inline text)."""

    def __init__(self, kind: str, metavar: str):
        self.kind, self.name = kind, metavar

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        return [CompletionItem(incomplete, type=self.kind)]


JOB_TYPE = AnyCase("Import|Export", ("Import", "Export"), "a job type")
STATUS_CODE = AnyCase("CODE", KNOWN_CODES, "a status code")
JOB_ID = JobIdType()
FILE = PathArgument("file", "FILE")
DIRECTORY = PathArgument("dir", "DIR")


def file_value(value: str | None, what: str) -> str | None:
    """`file://PATH` -> the file's text (as aws loads any parameter); other values unchanged."""
    if value is None or not value.startswith("file://"):
        return value
    path = value[len("file://"):]
    try:
        with open(os.path.expanduser(path), encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        raise InputError(f"{what}: file {path} does not exist") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise InputError(f"{what}: cannot read {path!r}: {exc}") from None


def _looks_like_path(value: str) -> bool:
    if "\n" in value or ": " in value or value.rstrip().endswith(":"):
        return False
    return (os.sep in value or value.startswith(("~", ".")) or value.lower().endswith(MANIFEST_SUFFIXES))


def read_manifest(value: str, what: str = "--manifest") -> tuple[str, str]:
    """A manifest argument -> (text, name for messages).  Nothing is fetched over the network."""
    from ..manifest import decode

    if value.startswith(("http://", "https://")):
        raise InputError(f"{what}: {value} is a URL; importexport never fetches manifests from the network "
                         "(download it and pass the file)")
    if value.startswith("fileb://"):
        value = "file://" + value[len("fileb://"):]
    if value == "-":
        data = sys.stdin.buffer.read(MAX_STDIN)
        return decode(data, "<stdin>"), "<stdin>"
    if value.startswith("file://"):
        return read_manifest_file(value[len("file://"):], what)
    if _looks_like_path(value) or (len(value) < 4096 and "\n" not in value
                                   and os.path.isfile(os.path.expanduser(value))):
        return read_manifest_file(value, what)
    return decode(value.encode("utf-8"), what), what


def read_manifest_file(path: str, what: str) -> tuple[str, str]:
    """A manifest file -> (text, its path for messages); one byte past the limit is enough to refuse it."""
    from ..manifest import MAX_BYTES, decode

    return decode(_read_bytes(path, what, MAX_BYTES + 1), path), path


def _read_bytes(path: str, what: str, limit: int) -> bytes:
    try:
        with open(os.path.expanduser(path), "rb") as handle:
            return handle.read(limit)
    except FileNotFoundError:
        raise InputError(f"{what}: {path} does not exist") from None
    except IsADirectoryError:
        raise InputError(f"{what}: {path} is a directory") from None
    except OSError as exc:
        raise InputError(f"{what}: cannot read {path}: {exc.strerror}") from None
    except ValueError:  # a NUL byte in the path
        raise InputError(f"{what}: {path!r} is not a valid path") from None


def job_ids_from(*sources) -> list[str]:
    """Job ids from arguments and options, in order: `-` reads one id a line from stdin, and a JSON
    list (`'["A","B"]'`) is accepted as `aws` accepts it.  Every id, wherever it came from, is checked."""
    ids: list = []
    for value in (v for source in sources for v in source or ()):
        if value == "-":
            ids += [line.strip() for line in sys.stdin if line.strip()]
        elif isinstance(value, str) and value.lstrip().startswith("["):
            import json

            try:
                items = json.loads(value)
            except ValueError:
                raise InputError(f"job ids: {value!r} is not a JSON list") from None
            if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
                raise InputError(f"job ids: {value!r} must be a JSON list of job ids")
            ids += items
        else:
            ids.append(value)
    return [JOB_ID.convert(job_id, None, None) for job_id in ids]


def input_options(function):
    """--cli-input-json and --generate-cli-skeleton, as every `aws` command has them."""
    function = click.option("--generate-cli-skeleton", "skeleton", is_flag=False, flag_value="input",
                            default=None, type=click.Choice(["input", "output"]),
                            help="Print a JSON skeleton of the parameters for --cli-input-json, "
                                 "and send nothing.")(function)
    return click.option("--cli-input-json", "input_json", metavar="JSON",
                        help="Read parameters from JSON (or file://PATH); flags given too take "
                             "precedence.")(function)


def skeleton(operation: str) -> dict:
    values = {"string": "", "boolean": True, "integer": 0, "list": [""]}
    result = {}
    for member in OPERATIONS[operation].inputs:
        result[member.name] = "Import" if member.name == "JobType" else values[member.type]
    return result


def print_skeleton(operation: str, kind: str) -> None:
    import json

    if kind == "output":
        shape = OPERATIONS[operation].output
        data = {k: ([] if isinstance(v, tuple) else v) for k, v in shape.items()}
    else:
        data = skeleton(operation)
    click.echo(json.dumps(data, indent=4))


def merge_input_json(operation: str, input_json: str | None, flags: dict) -> dict:
    """Parameters from --cli-input-json, overridden by flags that were given (not None)."""
    params: dict = {}
    if input_json is not None:
        import json

        text = file_value(input_json, "--cli-input-json")
        try:
            params = json.loads(text)
        except ValueError as exc:
            raise InputError(f"--cli-input-json is not valid JSON: {exc}") from None
        if not isinstance(params, dict):
            raise InputError("--cli-input-json must be a JSON object")
        known = {m.name: m for m in OPERATIONS[operation].inputs}
        for name, value in params.items():
            if name not in known:
                raise InputError(f"--cli-input-json: unknown parameter {name!r} for {operation}; "
                                 f"known: {', '.join(known)}")
            wanted = {"string": str, "boolean": bool, "integer": int, "list": list}[known[name].type]
            if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
                raise InputError(f"--cli-input-json: {name} must be a {known[name].type}")
    params.update({k: v for k, v in flags.items() if v is not None})
    return params


def require(params: dict, operation: str, flag_names: dict[str, str]) -> None:
    for member in OPERATIONS[operation].inputs:
        if member.required and params.get(member.name) in (None, "", []):
            raise InputError(f"missing {flag_names.get(member.name, member.name)}")
