"""The exception tree and the exit codes.

Commands raise these (and DryRun, which stops a --dry-run before anything is sent); exactly one place (`cli.report_error`) turns them into a message and an exit code.

    ImportExportError
     ├── InputError            252  the command line or an input is invalid; nothing was sent
     │    └── ManifestError         the manifest failed the local check (carries the problems)
     ├── ConfigError           253  configuration or credentials missing or invalid
     ├── ServiceError          254  the service answered with an error (code, message, request id)
     ├── OutcomeError          1    wait: the job ended elsewhere; signature verify: no match
     ├── WaitTimeout           124  wait: --timeout passed first
     └── TransportError        255  network failure after retries, unreadable response
          ├── BadResponseError      the response could not be read (HTML, malformed or hostile XML)
          ├── RequestMaybeSent      a non-idempotent call failed after its body may have arrived
          ├── AmbiguousCreateError  CreateJob may have reached the service and no single job matched
          └── SignatureWriteError   the job exists but its SIGNATURE could not be written
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    OUTCOME = 1
    TIMEOUT = 124
    INTERRUPTED = 130
    USAGE = 252
    CONFIG = 253
    SERVICE = 254
    OTHER = 255


class DryRun(Exception):
    """Not an error: --dry-run stopped before sending; `request` is what would have been sent."""

    def __init__(self, request):
        super().__init__("dry run")
        self.request = request


class ImportExportError(Exception):
    exit_code = ExitCode.OTHER

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputError(ImportExportError):
    exit_code = ExitCode.USAGE


class ManifestError(InputError):
    def __init__(self, message: str, problems=()):
        super().__init__(message)
        self.problems = list(problems)


class ConfigError(ImportExportError):
    exit_code = ExitCode.CONFIG


class ServiceError(ImportExportError):
    exit_code = ExitCode.SERVICE

    def __init__(self, code: str, message: str, *, request_id: str | None = None,
                 http_status: int | None = None, operation: str | None = None):
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.service_message = message
        self.request_id = request_id
        self.http_status = http_status
        self.operation = operation


class OutcomeError(ImportExportError):
    exit_code = ExitCode.OUTCOME


class WaitTimeout(ImportExportError):
    exit_code = ExitCode.TIMEOUT


class TransportError(ImportExportError):
    exit_code = ExitCode.OTHER


class BadResponseError(TransportError):
    pass


class RequestMaybeSent(TransportError):
    """Raised by the client instead of retrying CreateJob; `started_at` is when the attempt began."""

    def __init__(self, message: str, started_at: float):
        super().__init__(message)
        self.started_at = started_at


class AmbiguousCreateError(TransportError):
    pass


class SignatureWriteError(TransportError):
    pass
