"""AWS Signature Version 2 (HmacSHA256, and HmacSHA1 for checking old tools): sign and verify.

String to sign: method, lower-cased host, path, and the sorted, RFC 3986-encoded form parameters
(all but `Signature`), joined by newlines, as aws-sdk-js v2 and the original tools built it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timezone

from .query import rfc3986
from .sigv4 import Credentials, SignatureError, SignedBy

_DIGESTS = {"HmacSHA256": hashlib.sha256, "HmacSHA1": hashlib.sha1}


def timestamp(now: float) -> str:
    return datetime.fromtimestamp(now, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def string_to_sign(method: str, host: str, path: str, params: dict[str, str]) -> str:
    query = "&".join(f"{rfc3986(k)}={rfc3986(v)}" for k, v in sorted(params.items()) if k != "Signature")
    return f"{method.upper()}\n{host.lower()}\n{path or '/'}\n{query}"


def _hmac(secret: str, text: str, method: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), text.encode("utf-8"), _DIGESTS[method]).digest()
    return base64.b64encode(digest).decode("ascii")


def sign(method: str, host: str, path: str, pairs: list[tuple[str, str]], credentials: Credentials,
         now: float) -> list[tuple[str, str]]:
    """The form parameters with AWSAccessKeyId, SignatureVersion, SignatureMethod, Timestamp,
    SecurityToken (with a session token) and Signature added."""
    signed = list(pairs) + [("AWSAccessKeyId", credentials.access_key), ("SignatureMethod", "HmacSHA256"),
                            ("SignatureVersion", "2"), ("Timestamp", timestamp(now))]
    if credentials.token:
        signed.append(("SecurityToken", credentials.token))
    signature = _hmac(credentials.secret_key, string_to_sign(method, host, path, dict(signed)), "HmacSHA256")
    return signed + [("Signature", signature)]


def _parse_time(text: str) -> float:
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=timezone.utc).timestamp()
        except ValueError:
            pass
    raise SignatureError("InvalidParameterValue", f"Timestamp {text!r} is not an ISO-8601 UTC time", 400)


def verify(method: str, host: str, path: str, params: dict[str, str], secret_for, now: float,
           max_skew: float = 900) -> SignedBy:
    """Check a SigV2-signed form; `secret_for(access_key)` returns the secret or None."""
    if params.get("SignatureVersion") != "2":
        raise SignatureError("InvalidParameterValue", "SignatureVersion must be 2", 400)
    method_name = params.get("SignatureMethod", "")
    if method_name not in _DIGESTS:
        raise SignatureError("InvalidParameterValue", f"SignatureMethod {method_name!r} is not supported",
                             400)
    secret = secret_for(params.get("AWSAccessKeyId", ""))
    if secret is None:
        raise SignatureError("InvalidClientTokenId", "The security token included in the request is invalid.")
    if "Timestamp" in params:
        if abs(_parse_time(params["Timestamp"]) - now) > max_skew:
            raise SignatureError("RequestExpired", f"Request has expired: Timestamp {params['Timestamp']}.",
                                 400)
    elif "Expires" in params:
        if _parse_time(params["Expires"]) < now:
            raise SignatureError("RequestExpired", f"Request has expired: Expires {params['Expires']}.", 400)
    else:
        raise SignatureError("MissingParameter", "A SigV2 request needs Timestamp or Expires", 400)
    given = params.get("Signature", "")
    for candidate_host in dict.fromkeys((host, host.lower())):
        expected = _hmac(secret, string_to_sign(method, candidate_host, path, params), method_name)
        if hmac.compare_digest(expected.encode(), given.encode()):
            return SignedBy(params["AWSAccessKeyId"], "", params.get("SecurityToken"))
    raise SignatureError("SignatureDoesNotMatch",
                         "The request signature we calculated does not match the signature you provided.")
