"""The manifest's rules, per kind of job (facts section 4): fields, required ones, allowed values.

`check(root, job_type, access_key)` walks the tree that `manifest.parse` built and returns the kind and
every problem.  Each rule says which service error it stands for; rules the facts file marks
uncertain ([?]) produce warnings only.
"""

from __future__ import annotations

import ipaddress
import re

from .manifest import LOG_NAME_LENGTH, PLACEHOLDER, Node, Problem, closest

COMMON = ("manifestVersion", "accessKeyId", "deviceId", "generator", "logBucket", "logPrefix",
          "notificationEmail", "returnAddress", "serviceLevel", "customs")
ENCRYPTION = ("trueCryptPassword", "pinCode")
FIELDS = {
    "s3-import": COMMON + ENCRYPTION + (
        "bucket", "eraseDevice", "acl", "prefix", "substitutions", "ignore", "cacheControl",
        "contentDisposition", "contentEncoding", "contentLanguage", "expires", "contentTypes",
        "defaultContentType", "setContentEncodingForGzFiles", "staticMetadata", "storageClass",
        "diskTimestampMetadataKey"),
    "s3-export": COMMON + ENCRYPTION + ("fileSystem", "operations", "recoveryDirectory", "substitutions"),
    "ebs-import": COMMON + ENCRYPTION + ("eraseDevice", "operations"),
    "glacier-import": COMMON + ENCRYPTION + ("eraseDevice", "operations"),
}
REQUIRED = {
    "s3-import": ("manifestVersion", "deviceId", "bucket", "eraseDevice", "returnAddress"),
    "s3-export": ("manifestVersion", "deviceId", "fileSystem", "operations", "logBucket", "returnAddress"),
    "ebs-import": ("manifestVersion", "deviceId", "eraseDevice", "operations", "logBucket", "returnAddress"),
    "glacier-import": ("manifestVersion", "deviceId", "eraseDevice", "operations", "logBucket",
                       "returnAddress"),
}
VERSIONS = {"s3-import": "2.0", "s3-export": "2.0", "ebs-import": "3.0", "glacier-import": "3.0"}
OPERATION_FIELDS = {
    "s3-export": (("exportBucket",), ("prefix", "beginMarker", "endMarker", "targetDirectory")),
    "glacier-import": (("destination", "source", "region", "vaultName", "archiveComment"), ()),
    "ebs-import": ((), ("destination", "source", "region")),
}
ADDRESS = ("name", "company", "street1", "street2", "street3", "city", "stateOrProvince", "postalCode",
           "phoneNumber", "country")
ADDRESS_REQUIRED = ("name", "street1", "city", "postalCode", "phoneNumber", "country")
CUSTOMS = ("dataDescription", "encryptedData", "encryptionClassification", "exportCertifierName",
           "requiresExportLicense", "deviceValue", "deviceCountryOfOrigin", "deviceType", "typeOfExport")
ACLS = ("private", "public-read", "public-read-write", "authenticated-read")
SERVICE_LEVELS = ("standard", "expeditedShipping")
FILE_SYSTEMS = ("NTFS", "EXT4")
YES_NO = ("yes", "no", "true", "false")
STATE_REQUIRED = {"usa", "us", "united states", "united states of america", "canada", "ca"}
BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
LEGACY_BUCKET_RE = re.compile(r"^[A-Za-z0-9._-]{1,255}$")
BUCKET_FIELDS = ("bucket", "logBucket")


def detect_kind(values: dict, job_type: str | None) -> str:
    operations = values.get("operations") if isinstance(values.get("operations"), list) else []
    ops = [op for op in operations if isinstance(op, dict)]
    if (job_type or "").lower() == "export" or (job_type is None and (
            "fileSystem" in values or any("exportBucket" in op for op in ops))):
        return "s3-export"
    if any(str(op.get("destination", "")).lower() == "glacier" or "vaultName" in op for op in ops):
        return "glacier-import"
    if str(values.get("manifestVersion")) == "3.0" or ops:
        return "ebs-import"
    return "s3-import"


class _Checker:
    def __init__(self, root: Node, kind: str, access_key: str | None):
        self.root, self.kind, self.access_key = root, kind, access_key
        self.problems: list[Problem] = []

    def error(self, node: Node, path: str, message: str, code: str) -> None:
        self.problems.append(Problem(node.line, node.column, path, message, code))

    def warn(self, node: Node, path: str, message: str, code: str = "") -> None:
        self.problems.append(Problem(node.line, node.column, path, message, code, "warning"))

    def scalar(self, node: Node, path: str, code: str = "InvalidManifestFieldException") -> str | None:
        """The node's text, or None (with an error) when it is a list or a map."""
        if node.kind != "scalar":
            self.error(node, path, f"must be a single value, not a {'list' if node.kind == 'seq' else 'map'}",
                       code)
            return None
        if node.value is not None and PLACEHOLDER.match(node.value.strip()):
            self.error(node, path, f"still holds the placeholder {node.value}; fill it in", code)
            return None
        return node.value

    def known_keys(self, node: Node, path: str, known) -> None:
        for name, (key, _) in node.value.items():
            if name not in known:
                hint = closest(name, known)
                self.warn(key, f"{path}{name}", "unknown field, ignored by the service"
                          + (f"; did you mean {hint}?" if hint else ""))

    def required(self, node: Node, path: str, names, code: str) -> None:
        for name in names:
            entry = node.value.get(name)
            if entry is None or (entry[1].kind == "scalar" and not (entry[1].value or "").strip()):
                where = entry[1] if entry else node
                self.error(where, f"{path}{name}", "is required" + (" and empty" if entry else ""), code)

    def choice(self, node: Node, path: str, allowed, code: str) -> None:
        value = self.scalar(node, path, code)
        if value is None:
            return
        if value not in allowed:
            fold = {a.lower(): a for a in allowed}
            if value.lower() in fold:
                self.warn(node, path, f"{value!r} is usually written {fold[value.lower()]!r}")
            else:
                self.error(node, path, f"{value!r} is not one of {', '.join(allowed)}", code)

    def yes_no(self, node: Node, path: str, code: str = "InvalidManifestFieldException") -> None:
        value = self.scalar(node, path, code)
        if value is not None and value.lower() not in YES_NO:
            self.error(node, path, f"must be yes or no, not {value!r}", code)

    def bucket(self, node: Node, path: str) -> None:
        name = self.scalar(node, path)
        if not name:
            return
        if BUCKET_RE.match(name) and ".." not in name and not _is_ip(name):
            return
        if LEGACY_BUCKET_RE.match(name):
            self.warn(node, path, f"{name!r} breaks today's bucket naming rules (3-63 lower-case letters, "
                      "digits, dots and hyphens); only an old us-east-1 bucket can have it",
                      "InvalidManifestFieldException")
        else:
            self.error(node, path, f"{name!r} is not a valid bucket name", "InvalidManifestFieldException")

    def run(self) -> None:
        root, kind = self.root, self.kind
        values = root.value
        self.known_keys(root, "", FIELDS[kind])
        self.required(root, "", REQUIRED[kind], "MissingManifestFieldException")
        checks = {
            "manifestVersion": self.check_version, "returnAddress": self.check_address,
            "customs": self.check_customs, "operations": self.check_operations,
            "logPrefix": self.check_log_prefix, "accessKeyId": self.check_access_key,
            "eraseDevice": lambda n, p: self.yes_no(n, p),
            "setContentEncodingForGzFiles": lambda n, p: self.yes_no(n, p),
            "acl": lambda n, p: self.choice(n, p, ACLS, "InvalidManifestFieldException"),
            "serviceLevel": lambda n, p: self.choice(n, p, SERVICE_LEVELS, "InvalidManifestFieldException"),
            "fileSystem": lambda n, p: self.choice(n, p, FILE_SYSTEMS, "InvalidFileSystemException"),
            "notificationEmail": self.check_email,
        }
        for name, (_, node) in values.items():
            if name in BUCKET_FIELDS:
                self.bucket(node, name)
            elif name in checks:
                checks[name](node, name)
            elif name in ("substitutions", "contentTypes", "staticMetadata"):
                if node.kind not in ("map",) and node.value is not None:
                    self.error(node, name, "must be a map of `from: to` pairs", "InvalidManifestFieldException")
            elif name == "ignore":
                if node.kind == "map":
                    self.error(node, name, "must be a list of patterns", "InvalidManifestFieldException")
            elif name in FIELDS[kind]:
                self.scalar(node, name)
        if kind == "s3-export" and not any(k in values for k in ENCRYPTION):
            self.error(root, "pinCode", "an export needs pinCode or trueCryptPassword (exports are always "
                       "encrypted)", "MissingManifestFieldException")
        if kind == "s3-export" and "bucket" in values:
            self.warn(values["bucket"][0], "bucket", "an export names its buckets in operations[].exportBucket")

    def check_version(self, node: Node, path: str) -> None:
        value = self.scalar(node, path)
        want = VERSIONS[self.kind]
        if value is not None and value.strip() != want:
            self.error(node, path, f"must be {want} for a {self.kind} job, not {value!r}",
                       "InvalidManifestFieldException")

    def check_address(self, node: Node, path: str) -> None:
        if node.kind != "map":
            self.error(node, path, "must be a map (name, street1, city, ...)", "InvalidAddressException")
            return
        self.known_keys(node, path + ".", ADDRESS)
        self.required(node, path + ".", ADDRESS_REQUIRED, "InvalidAddressException")
        for name, (_, value) in node.value.items():
            if name in ADDRESS:
                self.scalar(value, f"{path}.{name}", "InvalidAddressException")
        country = node.value.get("country")
        if country and country[1].kind == "scalar" and (country[1].value or "").strip().lower() in STATE_REQUIRED:
            state = node.value.get("stateOrProvince")
            if state is None or not (state[1].value or "").strip():
                self.error(state[1] if state else node, f"{path}.stateOrProvince",
                           f"is required when the country is {country[1].value}", "InvalidAddressException")
        if country and "customs" not in self.root.value and country[1].kind == "scalar":
            name = (country[1].value or "").strip().lower()
            if name and name not in STATE_REQUIRED and not PLACEHOLDER.match(name):
                self.warn(country[1], f"{path}.country", "a return to another country may need a customs "
                          "block", "MissingCustomsException")

    def check_customs(self, node: Node, path: str) -> None:
        if node.kind != "map":
            self.error(node, path, "must be a map of customs fields", "InvalidCustomsException")
            return
        self.known_keys(node, path + ".", CUSTOMS)
        for name, (_, value) in node.value.items():
            if name in ("encryptedData", "requiresExportLicense"):
                self.yes_no(value, f"{path}.{name}", "InvalidCustomsException")
            elif name in CUSTOMS:
                self.scalar(value, f"{path}.{name}", "InvalidCustomsException")
        for name in CUSTOMS:
            if name not in node.value:
                self.warn(node, f"{path}.{name}", "is probably required in a customs block",
                          "InvalidCustomsException")
        value = node.value.get("deviceValue")
        if value and value[1].kind == "scalar" and not re.match(r"^\d+(\.\d{1,2})?$", value[1].value or ""):
            self.warn(value[1], f"{path}.deviceValue", "should be an amount such as 250.00",
                      "InvalidCustomsException")

    def check_operations(self, node: Node, path: str) -> None:
        if self.kind == "s3-import":
            return
        if node.kind != "seq" or not node.value:
            self.error(node, path, "must be a list with at least one operation",
                       "InvalidManifestFieldException")
            return
        required, optional = OPERATION_FIELDS[self.kind]
        for index, item in enumerate(node.value):
            where = f"{path}[{index}]"
            if item.kind != "map":
                self.error(item, where, "each operation must be a map", "InvalidManifestFieldException")
                continue
            self.known_keys(item, where + ".", required + optional)
            self.required(item, where + ".", required, "MissingManifestFieldException")
            for name, (_, value) in item.value.items():
                if name == "exportBucket":
                    self.bucket(value, f"{where}.{name}")
                elif name in required + optional:
                    self.scalar(value, f"{where}.{name}")
            self._check_destination(item, where)

    def _check_destination(self, item: Node, where: str) -> None:
        values = {k: v for k, (_, v) in item.value.items()}
        if self.kind == "glacier-import":
            for name, want in (("destination", "glacier"), ("source", "device")):
                if name in values and values[name].kind == "scalar" and values[name].value != want:
                    self.error(values[name], f"{where}.{name}", f"must be {want}", "InvalidManifestFieldException")
            comment = values.get("archiveComment")
            if comment and comment.kind == "scalar" and len(comment.value or "") > 997:
                self.error(comment, f"{where}.archiveComment", f"is {len(comment.value)} characters; "
                           "997 at most", "InvalidManifestFieldException")
        elif self.kind == "ebs-import":
            for name, want in (("destination", "ebs-snapshot"), ("source", "device")):
                node = values.get(name)
                if node is None:
                    self.warn(item, f"{where}.{name}", f"is probably required ({want})")
                elif node.kind == "scalar" and node.value != want:
                    self.warn(node, f"{where}.{name}", f"is usually {want}, not {node.value!r}")

    def check_log_prefix(self, node: Node, path: str) -> None:
        value = self.scalar(node, path)
        if value and len(value.encode("utf-8")) + LOG_NAME_LENGTH > 1024:
            self.error(node, path, f"with the log name it is {len(value.encode()) + LOG_NAME_LENGTH} bytes; "
                       "1024 at most", "InvalidManifestFieldException")

    def check_access_key(self, node: Node, path: str) -> None:
        value = self.scalar(node, path, "InvalidAccessKeyIdException")
        if value and self.access_key and value.strip() != self.access_key:
            self.error(node, path, f"{value!r} is not the access key that signs the request "
                       f"({self.access_key})", "InvalidAccessKeyIdException")

    def check_email(self, node: Node, path: str) -> None:
        value = self.scalar(node, path)
        for address in (value or "").split(";"):
            if address.strip() and "@" not in address:
                self.warn(node, path, f"{address.strip()!r} does not look like an e-mail address")


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


def check(root: Node, job_type: str | None, access_key: str | None) -> tuple[str, list[Problem]]:
    kind = detect_kind(root.plain(), job_type)
    checker = _Checker(root, kind, access_key)
    checker.run()
    checker.problems.sort(key=lambda p: (p.line, p.column))
    return kind, checker.problems
