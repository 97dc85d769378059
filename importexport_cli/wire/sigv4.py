"""AWS Signature Version 4: sign (client) and verify (emulator).

The canonical request is built exactly as botocore's SigV4Auth builds it, so our requests verify with
AWS's own signer and the emulator accepts botocore's.  Service name `IngestionService`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime, timezone
from typing import NamedTuple
from urllib.parse import quote

ALGORITHM = "AWS4-HMAC-SHA256"
_AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$")


class SignatureError(ValueError):
    """A request whose signature does not verify; `code` and `status` are the service's answer."""

    def __init__(self, code: str, message: str, status: int = 403):
        super().__init__(message)
        self.code = code
        self.status = status


class Credentials(NamedTuple):
    access_key: str
    secret_key: str
    token: str | None = None


def amz_date(now: float) -> str:
    return datetime.fromtimestamp(now, timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _canonical_query(query: str) -> str:
    pairs = []
    for pair in query.split("&") if query else ():
        key, _, value = pair.partition("=")
        pairs.append((key, value))
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


def _canonical_path(path: str) -> str:
    return quote(path or "/", safe="/~")


def _header_value(value: str) -> str:
    return " ".join(value.split())


def canonical_request(method: str, path: str, query: str, headers: dict[str, str],
                      signed: list[str], body: bytes) -> str:
    lowered = {k.lower(): v for k, v in headers.items()}
    canonical_headers = "".join(f"{name}:{_header_value(lowered.get(name, ''))}\n" for name in signed)
    return "\n".join([method.upper(), _canonical_path(path), _canonical_query(query),
                      canonical_headers, ";".join(signed), hashlib.sha256(body).hexdigest()])


def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = ("AWS4" + secret).encode("utf-8")
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return key


def _signature(secret: str, stamp: str, scope: str, creq: str) -> str:
    date, region, service, _ = scope.split("/")
    string_to_sign = "\n".join([ALGORITHM, stamp, scope, hashlib.sha256(creq.encode("utf-8")).hexdigest()])
    return hmac.new(_signing_key(secret, date, region, service), string_to_sign.encode("utf-8"),
                    hashlib.sha256).hexdigest()


def sign(method: str, host: str, path: str, query: str, headers: dict[str, str], body: bytes,
         credentials: Credentials, region: str, service: str, now: float) -> dict[str, str]:
    """The headers to add to the request: X-Amz-Date, X-Amz-Security-Token, Authorization."""
    stamp = amz_date(now)
    added = {"X-Amz-Date": stamp}
    if credentials.token:
        added["X-Amz-Security-Token"] = credentials.token
    all_headers = {**headers, **added, "Host": host}
    signed = sorted(k.lower() for k in all_headers if k.lower() not in ("user-agent", "content-length"))
    creq = canonical_request(method, path, query, all_headers, signed, body)
    scope = f"{stamp[:8]}/{region}/{service}/aws4_request"
    signature = _signature(credentials.secret_key, stamp, scope, creq)
    added["Authorization"] = (f"{ALGORITHM} Credential={credentials.access_key}/{scope}, "
                              f"SignedHeaders={';'.join(signed)}, Signature={signature}")
    return added


class SignedBy(NamedTuple):
    access_key: str
    region: str
    token: str | None


def verify(method: str, path: str, query: str, headers: dict[str, str], body: bytes,
           secret_for, service: str, now: float, max_skew: float = 900) -> SignedBy:
    """Check a SigV4 Authorization header; `secret_for(access_key)` returns the secret or None."""
    lowered = {k.lower(): v for k, v in headers.items()}
    match = _AUTH_RE.match(lowered.get("authorization", ""))
    if not match:
        raise SignatureError("IncompleteSignature", "The Authorization header is not a valid SigV4 header",
                             400)
    credential, signed_names, given = match.groups()
    parts = credential.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request":
        raise SignatureError("IncompleteSignature", f"Credential {credential!r} is not well formed", 400)
    access_key, date, region, signed_service, _ = parts
    secret = secret_for(access_key)
    if secret is None:
        raise SignatureError("InvalidClientTokenId",
                             "The security token included in the request is invalid.")
    if signed_service != service:
        raise SignatureError("SignatureDoesNotMatch",
                             f"Credential should be scoped to correct service: '{service}'.")
    stamp = lowered.get("x-amz-date", "")
    try:
        signed_at = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        raise SignatureError("IncompleteSignature", "X-Amz-Date is missing or not YYYYMMDDTHHMMSSZ",
                             400) from None
    if abs(signed_at - now) > max_skew:
        raise SignatureError("RequestExpired", f"Request has expired: signed at {stamp}, server time "
                             f"{amz_date(now)}.", 400)
    signed = signed_names.split(";")
    if "host" not in signed or date != stamp[:8]:
        raise SignatureError("SignatureDoesNotMatch", "The host header must be signed, and the "
                             "credential date must be the date of X-Amz-Date.")
    creq = canonical_request(method, path, query, headers, signed, body)
    expected = _signature(secret, stamp, f"{date}/{region}/{service}/aws4_request", creq)
    if not hmac.compare_digest(expected, given):
        raise SignatureError("SignatureDoesNotMatch", "The request signature we calculated does not "
                             "match the signature you provided.")
    return SignedBy(access_key, region, lowered.get("x-amz-security-token"))

