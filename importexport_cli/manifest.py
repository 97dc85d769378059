"""YAML manifest -> validated Manifest, every problem with line:column (client, CLI and emulator).

The text is read from PyYAML's event stream into a small tree of our own, never through `safe_load`:
YAML 1.1 would turn `postalCode: 02134` into 1116 and `eraseDevice: no` into False.  What the user wrote
is what is checked (and what is sent).  Anchors and aliases are refused (bombs), as are duplicate keys,
deep nesting and oversized files.  Rules the facts file marks uncertain are warnings, never errors.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .errors import InputError

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 16
MAX_NODES = 20000
KINDS = ("s3-import", "s3-export", "ebs-import", "glacier-import")
LOG_NAME_LENGTH = len("import-log-ABCDE")


@dataclass
class Node:
    kind: str  # "map" | "seq" | "scalar"
    line: int  # 1-based
    column: int  # 1-based
    value: object  # dict[str, (key Node, Node)] | list[Node] | str | None

    def plain(self):
        if self.kind == "map":
            return {k: v.plain() for k, (_, v) in self.value.items()}
        if self.kind == "seq":
            return [item.plain() for item in self.value]
        return self.value


@dataclass(frozen=True)
class Problem:
    line: int
    column: int
    field: str
    message: str
    code: str = ""
    severity: str = "error"

    def format(self, name: str) -> str:
        where = f"{name}:{self.line}:{self.column}"
        if self.severity == "warning":
            return f"{where}: warning: {self.field}: {self.message}" + (f" ({self.code})" if self.code else "")
        return f"{where}: {self.field}: {self.message} ({self.code})"


@dataclass
class Manifest:
    text: str
    kind: str | None = None
    root: Node | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def values(self) -> dict:
        return self.root.plain() if self.root is not None and self.root.kind == "map" else {}


def decode(data: bytes, name: str = "manifest") -> str:
    """Manifest bytes -> text: UTF-8 (BOM dropped, CRLF -> LF), bounded size."""
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}: the manifest is too large; the limit is {MAX_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: the manifest is not valid UTF-8 (byte 0x{data[exc.start]:02x} at "
                         f"offset {exc.start})") from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


# --- Reading: events -> Node tree -----------------------------------------------------------------

class _Refused(Exception):
    def __init__(self, mark, message: str):
        super().__init__(message)
        self.line = mark.line + 1 if mark else 1
        self.column = mark.column + 1 if mark else 1
        self.message = message


_NULLS = {"", "~", "null", "Null", "NULL"}


def _read(text: str) -> Node | None:
    import yaml

    events = iter(yaml.parse(text, Loader=yaml.SafeLoader))
    stack: list[tuple[Node, list]] = []  # (container, pending key)
    root = None
    count = 0
    documents = 0
    for event in events:
        mark = event.start_mark
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refused(mark, "a manifest is one YAML document; found a second one")
            continue
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(mark, f"aliases (*{event.anchor}) are not allowed in a manifest")
        if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if event.anchor:
                raise _Refused(mark, f"anchors (&{event.anchor}) are not allowed in a manifest")
            count += 1
            if count > MAX_NODES:
                raise _Refused(mark, f"the manifest has more than {MAX_NODES} values")
            if isinstance(event, yaml.ScalarEvent):
                plain_null = event.implicit[0] and event.style is None and event.value in _NULLS
                node = Node("scalar", mark.line + 1, mark.column + 1, None if plain_null else event.value)
            else:
                if len(stack) >= MAX_DEPTH:
                    raise _Refused(mark, f"the manifest nests deeper than {MAX_DEPTH} levels")
                is_map = isinstance(event, yaml.MappingStartEvent)
                node = Node("map" if is_map else "seq", mark.line + 1, mark.column + 1, {} if is_map else [])
            if not stack:
                root = node
            else:
                _attach(stack[-1], node)
            if node.kind != "scalar":
                stack.append((node, []))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
    return root


def _attach(frame, node: Node) -> None:
    container, pending = frame
    if container.kind == "seq":
        container.value.append(node)
    elif not pending:
        if node.kind != "scalar":
            raise _Refused(_Mark(node), "a key must be a plain name, not a list or a map")
        pending.append(node)
    else:
        key = pending.pop()
        name = key.value if key.value is not None else ""
        if name in container.value:
            first = container.value[name][0]
            raise _Refused(_Mark(key), f"duplicate key {name!r} (first at line {first.line}); "
                           "YAML keeps only the last one")
        container.value[name] = (key, node)


class _Mark:
    def __init__(self, node: Node):
        self.line, self.column = node.line - 1, node.column - 1


def parse(text: str) -> tuple[Node | None, Problem | None]:
    """Text -> tree, or the one problem that stops reading (MalformedManifestException)."""
    import yaml

    try:
        root = _read(text)
    except _Refused as exc:
        return None, Problem(exc.line, exc.column, "manifest", exc.message, "MalformedManifestException")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"not well-formed YAML: {exc.problem or exc.context}"
        if "'\\t'" in str(exc.problem or "") or "\t" in str(exc.problem or ""):
            message += " (tabs cannot indent YAML; use spaces)"
        return None, Problem(mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, "manifest",
                             message, "MalformedManifestException")
    except yaml.YAMLError as exc:  # a reader error: control characters and the like
        return None, Problem(1, 1, "manifest", f"not well-formed YAML: {exc}", "MalformedManifestException")
    if root is None:
        return None, Problem(1, 1, "manifest", "the manifest is empty", "MalformedManifestException")
    if root.kind != "map":
        what = "a list" if root.kind == "seq" else "a single value"
        return None, Problem(root.line, root.column, "manifest",
                             f"a manifest is a map of `name: value` lines, not {what}",
                             "MalformedManifestException")
    return root, None


def validate(text: str, job_type: str | None = None, access_key: str | None = None) -> Manifest:
    """Check a manifest's text; every problem found is in `.problems`."""
    from .manifest_rules import check

    manifest = Manifest(text)
    root, problem = parse(text)
    if problem:
        manifest.problems.append(problem)
        return manifest
    manifest.root = root
    manifest.kind, manifest.problems = check(root, job_type, access_key)
    return manifest


def closest(name: str, known) -> str | None:
    matches = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    if not matches:
        lowered = {k.lower(): k for k in known}
        return lowered.get(name.lower())
    return matches[0]


PLACEHOLDER = re.compile(r"^<[^<>]+>$")
