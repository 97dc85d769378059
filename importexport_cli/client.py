"""Client(settings, transport=None): one call = serialize, sign, send, retry, parse.

The only module that knows httpx.  Retries: connection errors, 5xx, throttling and RequestTimeout, up to
`max_attempts` in all, with exponential backoff and full jitter.  Clock skew: one re-sign with the
server's clock.  CreateJob is not idempotent: after an attempt that may have reached the service the
client raises RequestMaybeSent instead of sending it again (workflows.create_job recovers the job).
"""

from __future__ import annotations

import logging
import random
import sys
import time
from typing import NamedTuple
from urllib.parse import urlsplit

from . import __version__
from .errors import BadResponseError, DryRun, InputError, RequestMaybeSent, ServiceError, TransportError
from .redact import mask_headers, mask_manifest, mask_params
from .service import (CLOCK_SKEW_CODES, CONTENT_TYPE, KNOWN_ERRORS, SIGNING_NAME, SIGNING_REGION,
                      THROTTLING_CODES, TRANSIENT_CODES)
from .wire import sigv2, sigv4
from .wire.query import QueryError, decode_form, encode_form, serialize
from .wire.xml import XmlError, parse_error, parse_response

log = logging.getLogger("importexport")
MAX_RESPONSE_BYTES = 8 * 1024 * 1024
SKEW_LIMIT = 300
LOCAL_BASE_URL = "http://importexport.local"


class Request(NamedTuple):
    method: str
    url: str
    headers: dict[str, str]
    body: bytes

    def describe(self) -> str:
        """The request as a person reads it, secrets masked (for --dry-run and --debug)."""
        lines = [f"{self.method} {self.url}"]
        lines += [f"{k}: {v}" for k, v in mask_headers(self.headers).items()]
        lines.append("")
        lines += [f"{k}={v}" for k, v in mask_params(list(decode_form(self.body).items()))]
        return "\n".join(lines)


class _Retryable(Exception):
    def __init__(self, message: str, *, sent: bool):
        super().__init__(message)
        self.sent = sent


class Client:
    def __init__(self, settings, transport=None, *, clock=time.time, sleep=time.sleep,
                 rng=random.random, warn=None):
        self.settings = settings
        self._transport = transport
        self._clock = clock
        self._sleep = sleep
        self._rng = rng
        self._warn = warn or (lambda message: print(f"importexport: {message}", file=sys.stderr))
        self._skew = 0.0
        self._last_error: ServiceError | None = None  # the answer that made us re-sign
        self._http = None
        base = LOCAL_BASE_URL if settings.is_local else settings.endpoint_url
        self.url = base.rstrip("/") + "/"
        parts = urlsplit(self.url)
        default_port = {"http": 80, "https": 443}[parts.scheme]
        self.host = parts.hostname + (f":{parts.port}" if parts.port not in (None, default_port) else "")
        if ":" in parts.hostname:  # IPv6 literal
            self.host = parts.netloc
        self.path = parts.path  # an endpoint may carry a path; the signature covers it
        self.region = SIGNING_REGION if settings.is_aws_endpoint else settings.region

    # -- the HTTP client, built on first use -----------------------------------------------------
    @property
    def http(self):
        if self._http is None:
            import httpx

            timeout = httpx.Timeout(self.settings.read_timeout, connect=self.settings.connect_timeout)
            transport = self._transport
            if transport is None and not _proxies_configured():
                transport = _LazyTransport(self.settings.verify)  # httpx ignores proxy variables with it
            self._http = httpx.Client(transport=transport, timeout=timeout, trust_env=True,
                                      verify=self.settings.verify,
                                      headers={"User-Agent": f"importexport/{__version__}"})
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def now(self) -> float:
        return self._clock() + self._skew

    # -- one request -------------------------------------------------------------------------------
    def prepare(self, operation: str, params: dict) -> Request:
        try:
            pairs = serialize(operation, params)
        except QueryError as exc:  # parameters the model does not know: nothing can be sent
            raise InputError(f"cannot build the {operation} request: {exc}") from None
        creds = self.settings.credentials
        headers = {"Content-Type": CONTENT_TYPE}
        if self.settings.signature_version == "v2":
            body = encode_form(sigv2.sign("POST", self.host, self.path, pairs, creds, self.now()))
        else:
            body = encode_form(pairs)
            headers.update(sigv4.sign("POST", self.host, self.path, "", headers, body, creds, self.region,
                                      SIGNING_NAME, self.now()))
        return Request("POST", self.url, {"Host": self.host, **headers}, body)

    def call(self, operation: str, params: dict) -> dict:
        """One operation, retried as SPEC 5 says; returns the parsed result (with ResponseMetadata)."""
        if self.settings.dry_run:
            raise DryRun(self.prepare(operation, params))
        idempotent = not (operation == "CreateJob" and not params.get("ValidateOnly"))
        attempts = self.settings.max_attempts
        resigned = False
        attempt = 0
        while True:
            attempt += 1
            started = self.now()
            request = self.prepare(operation, params)
            try:
                return self._send(operation, request)
            except _SkewedClock:
                if resigned:
                    raise self._last_error from None
                resigned = True
                attempt -= 1
                continue
            except _Retryable as exc:
                if not idempotent and exc.sent:
                    raise RequestMaybeSent(f"{operation} may have reached the service: {exc}",
                                           started) from None
                if attempt >= attempts:
                    raise TransportError(f"{exc} (gave up after {attempt} attempt"
                                         f"{'s' if attempt > 1 else ''})") from None
                delay = self._rng() * min(20.0, 0.5 * 2 ** (attempt - 1))
                log.debug("attempt %d failed (%s); retrying in %.2fs", attempt, exc, delay)
                self._sleep(delay)

    def _send(self, operation: str, request: Request) -> dict:
        import httpx

        log.debug("request:\n%s", request.describe())
        try:
            with self.http.stream(request.method, request.url, content=request.body,
                                  headers=request.headers) as response:
                body = self._read_bounded(response)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise _Retryable(f"cannot connect to {self.url}: {exc or type(exc).__name__}",
                             sent=False) from None
        except httpx.TimeoutException:
            raise _Retryable(f"no answer from {self.url} within {self.settings.read_timeout:g}s "
                             "(--read-timeout)", sent=True) from None
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise _Retryable(f"the connection to {self.url} failed: {exc or type(exc).__name__}",
                             sent=True) from None
        log.debug("response: HTTP %d %s\n%s", response.status_code, dict(response.headers),
                  mask_manifest(body[:4096].decode("utf-8", "replace")))
        if 200 <= response.status_code < 300:
            try:
                result = parse_response(operation, body)
            except XmlError as exc:
                raise BadResponseError(f"unreadable {operation} response (HTTP "
                                       f"{response.status_code}): {exc}") from None
            log.debug("request id %s", result.pop("ResponseMetadata", {}).get("RequestId"))
            return result
        return self._error(operation, response, body)

    def _read_bounded(self, response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_RESPONSE_BYTES:
            raise BadResponseError(f"the response announces {declared} bytes, more than any real "
                                   f"answer ({MAX_RESPONSE_BYTES} at most); not read")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_RESPONSE_BYTES:
                raise BadResponseError(f"the response is larger than any real answer "
                                       f"({MAX_RESPONSE_BYTES} bytes at most); stopped reading")
            chunks.append(chunk)
        return b"".join(chunks)

    def _error(self, operation: str, response, body: bytes):
        status = response.status_code
        try:
            code, message, request_id = parse_error(body)
        except XmlError as exc:
            if status >= 500:
                raise _Retryable(f"HTTP {status} with {exc}", sent=True) from None
            raise BadResponseError(f"HTTP {status} from {self.url}, and {exc}") from None
        error = ServiceError(code, message, request_id=request_id, http_status=status, operation=operation)
        if code in CLOCK_SKEW_CODES and self._correct_clock(response.headers.get("date")):
            self._last_error = error
            raise _SkewedClock()
        if status >= 500 or code in THROTTLING_CODES or code in TRANSIENT_CODES:
            raise _Retryable(f"{code}: {message} (HTTP {status})", sent=code not in THROTTLING_CODES)
        if code not in KNOWN_ERRORS:
            raise BadResponseError(f"HTTP {status} from {self.url} with an error code this service never sends: "
                                   f"{code}: {message}")
        raise error

    def _correct_clock(self, date_header: str | None) -> bool:
        if not date_header:
            return False
        from email.utils import parsedate_to_datetime

        try:
            server = parsedate_to_datetime(date_header).timestamp()
        except (TypeError, ValueError, IndexError):
            return False
        offset = server - self._clock()
        if abs(offset - self._skew) <= SKEW_LIMIT:
            return False
        self._skew = offset
        self._warn(f"warning: this machine's clock is {abs(offset):.0f}s "
                   f"{'behind' if offset > 0 else 'ahead of'} the server's; signed again with the "
                   "server's time")
        return True

    # -- several calls ---------------------------------------------------------------------------
    def list_pages(self, page_size: int | None = None, marker: str | None = None):
        """ListJobs pages, newest jobs first, following Marker = last JobId while IsTruncated."""
        while True:
            params = {"MaxJobs": page_size, "Marker": marker}
            page = self.call("ListJobs", {k: v for k, v in params.items() if v is not None})
            yield page
            jobs = page.get("Jobs", [])
            if not page.get("IsTruncated") or not jobs:
                return
            marker = jobs[-1]["JobId"]

    def download(self, url: str, sink, progress=None) -> int:
        """GET url into sink.write(); progress(done, total) after each chunk; returns the size."""
        import httpx

        try:
            with self.http.stream("GET", url) as response:
                if response.status_code != 200:
                    raise TransportError(f"downloading {url} failed: HTTP {response.status_code}")
                total = int(response.headers.get("content-length", 0) or 0) or None
                done = 0
                for chunk in response.iter_bytes():
                    sink.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
                return done
        except httpx.HTTPError as exc:
            raise TransportError(f"downloading {url} failed: {exc or type(exc).__name__}") from None


class _SkewedClock(Exception):
    pass


def _proxies_configured() -> bool:
    import os

    return any(os.environ.get(name) for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy",
                                                 "ALL_PROXY", "all_proxy"))


class _LazyTransport:
    """httpx's transport, built on first use, per scheme: building it loads the CA bundle (tens of
    milliseconds), which a plain-http endpoint such as the emulator never needs."""

    def __init__(self, verify):
        self._verify = verify
        self._transports = {}

    def handle_request(self, request):
        import httpx

        scheme = request.url.scheme
        if scheme not in self._transports:
            self._transports[scheme] = httpx.HTTPTransport(verify=self._verify if scheme == "https" else False)
        return self._transports[scheme].handle_request(request)

    def close(self) -> None:
        for transport in self._transports.values():
            transport.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
