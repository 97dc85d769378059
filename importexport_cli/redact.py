"""Masking secrets before anything is shown to a person: headers, form bodies, manifest text.

Used by --debug and --dry-run (client) and by tables (output).  json/text/yaml output prints what the
service returned, unmasked, as `aws` does.
"""

from __future__ import annotations

import re

from .service import SECRET_MANIFEST_FIELDS

MASK = "****"
# Anywhere in a line, not only at its start: in --debug's XML a manifest's first line follows its tag.
_MANIFEST_SECRET = re.compile(
    r"(?P<key>[\"']?\b(?:" + "|".join(SECRET_MANIFEST_FIELDS) + r")[\"']?[ \t]*:)(?P<value>[^\n<]*)")
_SECRET_PARAMS = {"Signature", "SecurityToken", "AWSSecretAccessKey"}
_SECRET_HEADERS = {"x-amz-security-token"}


def mask_manifest(text: str) -> str:
    """Replace the values of trueCryptPassword and pinCode in manifest text (or XML holding one)."""
    return _MANIFEST_SECRET.sub(lambda m: f"{m['key']} {MASK}" if m["value"].strip() else m[0], text)


def mask_headers(headers: dict[str, str]) -> dict[str, str]:
    masked = {}
    for name, value in headers.items():
        if name.lower() == "authorization":
            value = re.sub(r"Signature=[0-9a-f]+", f"Signature={MASK}", value)
        elif name.lower() in _SECRET_HEADERS:
            value = MASK
        masked[name] = value
    return masked


def mask_params(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    result = []
    for name, value in pairs:
        if name in _SECRET_PARAMS:
            value = MASK
        elif name in ("Manifest", "ManifestAddendum", "CurrentManifest"):
            value = mask_manifest(value)
        result.append((name, value))
    return result
