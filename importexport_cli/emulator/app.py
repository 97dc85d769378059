"""The emulator's WSGI app: decode, authenticate, dispatch, encode.

The same app serves `--endpoint-url local` (in process, through httpx's WSGI transport) and
`emulator serve`.  It answers every request with the service's XML (never a traceback) and a Date header
of its own, since the in-process transport has no server to add one.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path

from ..service import ACCEPTED_VERSIONS, OPERATIONS, SIGNING_NAME
from ..wire import sigv2, sigv4
from ..wire.query import QueryError, decode_form, parse_params
from ..wire.sigv4 import SignatureError
from ..wire.xml import encode_error, encode_response
from .jobs import Account, ApiError, Jobs, check_api_version
from .store import Store

log = logging.getLogger("importexport.emulator")
MAX_BODY = 2 * 1024 * 1024
TEST_ACCOUNT = Account("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
LABEL_PATH = re.compile(r"^/labels/([0-9a-f]{32})\.pdf$")


@dataclass
class EmulatorConfig:
    db_path: str
    accounts: list[Account] = field(default_factory=lambda: [TEST_ACCOUNT])
    stage_seconds: float = 60
    clock_offset: float = 0.0  # seconds the server's clock is ahead of the machine's


def load_accounts(path: str) -> list[Account]:
    """--accounts FILE: a JSON list of {access_key_id, secret_access_key, buckets[, daily_job_quota]}."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        accounts = [Account(a["access_key_id"], a["secret_access_key"],
                            None if a.get("buckets") in (None, "*") else frozenset(a["buckets"]),
                            int(a.get("daily_job_quota", 5000))) for a in data]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"cannot read accounts file {path}: {exc}") from None
    if not accounts:
        raise ValueError(f"accounts file {path} lists no account")
    return accounts


class EmulatorApp:
    def __init__(self, config: EmulatorConfig, clock=time.time):
        self.config = config
        self.clock = (lambda: clock() + config.clock_offset) if config.clock_offset else clock
        self.store = Store(config.db_path)
        self.jobs = Jobs(self.store, clock, config.stage_seconds)
        self.accounts = {a.access_key_id: a for a in config.accounts}

    def __call__(self, environ, start_response):
        request_id = str(uuid.uuid4())
        try:
            status, content_type, body = self.handle(environ, request_id)
        except ApiError as exc:
            status, content_type = exc.status, "text/xml"
            body = encode_error(exc.code, exc.message, request_id, sender=exc.status < 500)
        except Exception:  # never a traceback to the client; the server log has it
            log.exception("internal error handling request %s", request_id)
            status, content_type = 500, "text/xml"
            body = encode_error("InternalError", "We encountered an internal error. Please try again.",
                                request_id, sender=False)
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body))),
                   ("Date", formatdate(self.clock(), usegmt=True)), ("x-amzn-RequestId", request_id)]
        start_response(f"{status} {_REASONS.get(status, 'Error')}", headers)
        return [body]

    def handle(self, environ, request_id: str) -> tuple[int, str, bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = environ.get("PATH_INFO") or "/"
        query = environ.get("QUERY_STRING", "")
        label = LABEL_PATH.match(path)
        if label and method in ("GET", "HEAD"):
            pdf = self.jobs.label_pdf(label.group(1))
            if pdf is None:
                raise ApiError("NoSuchKey", "The specified label does not exist.", 404)
            return 200, "application/pdf", pdf
        body = self._read_body(environ) if method == "POST" else b""
        try:
            form = decode_form(body) if method == "POST" else {}
            url_params = decode_form(query.encode("latin-1"))
        except QueryError as exc:
            raise ApiError(exc.code, str(exc)) from None
        except UnicodeEncodeError:
            raise ApiError("MalformedQueryString", "The query string is not valid") from None
        signed_params = form if method == "POST" else url_params
        action = (form.get("Action") or url_params.get("Action") or form.get("Operation")
                  or url_params.get("Operation"))
        if not action:
            raise ApiError("MissingAction", "The request must contain the parameter Action")
        if action not in OPERATIONS:
            raise ApiError("InvalidAction", f"The action {action} is not valid for this web service.")
        version = signed_params.get("Version") or url_params.get("Version")
        if version not in ACCEPTED_VERSIONS:
            raise ApiError("InvalidVersionException",
                           f"Version {version!r} is not supported; use {ACCEPTED_VERSIONS[0]}")
        account = self._authenticate(environ, method, path, query, body, signed_params)
        try:
            params = parse_params(action, signed_params)
        except QueryError as exc:
            raise ApiError(exc.code, str(exc)) from None
        check_api_version(params)
        result = self._dispatch(action, account, params, _base_url(environ))
        return 200, "text/xml", encode_response(action, result, request_id)

    def _dispatch(self, action: str, account: Account, params: dict, base_url: str) -> dict:
        jobs = self.jobs
        if action == "CreateJob":
            return jobs.create_job(account, params, base_url)
        if action == "GetShippingLabel":
            return jobs.get_shipping_label(account, params, base_url)
        handler = {"GetStatus": jobs.get_status, "UpdateJob": jobs.update_job,
                   "CancelJob": jobs.cancel_job, "ListJobs": jobs.list_jobs}[action]
        return handler(account, params)

    def _read_body(self, environ) -> bytes:
        length = environ.get("CONTENT_LENGTH") or ""
        if length and not length.isdigit():
            raise ApiError("InvalidParameterException", "Content-Length is not a number")
        if length and int(length) > MAX_BODY:
            raise ApiError("RequestEntityTooLarge", f"The request body is larger than {MAX_BODY} bytes", 413)
        stream = environ["wsgi.input"]
        body = stream.read(int(length)) if length else stream.read(MAX_BODY + 1)
        if len(body) > MAX_BODY:
            raise ApiError("RequestEntityTooLarge", f"The request body is larger than {MAX_BODY} bytes", 413)
        return body

    def _authenticate(self, environ, method, path, query, body, params) -> Account:
        def secret_for(key):
            account = self.accounts.get(key)
            return account.secret_access_key if account else None

        headers = _headers(environ)
        try:
            if "authorization" in headers:
                signed = sigv4.verify(method, path, query, headers, body, secret_for, SIGNING_NAME,
                                      self.clock())
            elif "Signature" in params:
                signed = sigv2.verify(method, headers.get("host", ""), path, params, secret_for, self.clock())
            else:
                raise SignatureError("MissingAuthenticationToken", "Request is missing Authentication Token")
        except SignatureError as exc:
            raise ApiError(exc.code, str(exc), exc.status) from None
        return self.accounts[signed.access_key]


def _headers(environ) -> dict[str, str]:
    headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = environ[key]
    return headers


def _base_url(environ) -> str:
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT')}"
    return f"{environ.get('wsgi.url_scheme', 'http')}://{host}"


_REASONS = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 413: "Payload Too Large",
            500: "Internal Server Error", 503: "Service Unavailable"}
