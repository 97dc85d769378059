"""The query protocol: parameters -> form body, and back (the emulator decodes with it).

`serialize` builds what botocore's query serializer builds: `Action`, `Version`, then the members,
lists as `Name.member.N`, booleans as `true`/`false`.  `decode_form` is strict: it refuses bodies that are
not UTF-8 or not form-encoded, and repeated parameters, instead of guessing.
"""

from __future__ import annotations

from urllib.parse import quote, unquote_to_bytes, urlencode

from ..service import API_VERSION, OPERATIONS


class QueryError(ValueError):
    """A form body that cannot be decoded, or parameters that do not fit the operation."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def serialize(operation: str, params: dict) -> list[tuple[str, str]]:
    """The ordered form parameters for one call (parameters the model does not know are an error)."""
    op = OPERATIONS[operation]
    pairs = [("Action", operation), ("Version", API_VERSION)]
    for member in op.inputs:
        if member.name not in params or params[member.name] is None:
            continue
        value = params[member.name]
        if member.type == "list":
            pairs += [(f"{member.name}.member.{i}", _scalar(v)) for i, v in enumerate(value, 1)]
        else:
            pairs.append((member.name, _scalar(value)))
    unknown = set(params) - {m.name for m in op.inputs}
    if unknown:
        raise QueryError("InvalidParameterException",
                         f"{operation} has no parameter {', '.join(sorted(unknown))}")
    return pairs


def encode_form(pairs: list[tuple[str, str]]) -> bytes:
    return urlencode(pairs).encode("ascii")


def decode_form(body: bytes) -> dict[str, str]:
    """Form body -> {name: value}; UTF-8 strictly, no repeated names."""
    result: dict[str, str] = {}
    if not body:
        return result
    for item in body.split(b"&"):
        if not item:
            continue
        name, sep, value = item.partition(b"=")
        try:
            key = unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8")
            text = unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            raise QueryError("MalformedQueryString", "The request body is not valid UTF-8") from None
        if not key:
            raise QueryError("MalformedQueryString", "The request body has a parameter with no name")
        if key in result:
            raise QueryError("InvalidParameterException", f"Parameter {key} is given more than once")
        result[key] = text
    return result


def parse_params(operation: str, form: dict[str, str]) -> dict:
    """Form parameters -> operation parameters, typed by the model (the inverse of `serialize`)."""
    op = OPERATIONS[operation]
    params: dict = {}
    for member in op.inputs:
        if member.type == "list":
            prefix = member.name + ".member."
            items = {k[len(prefix):]: v for k, v in form.items() if k.startswith(prefix)}
            if not items:
                continue
            try:
                indexes = sorted(int(i) for i in items)
            except ValueError:
                raise QueryError("InvalidParameterException",
                                 f"{member.name} members must be numbered") from None
            if indexes != list(range(1, len(indexes) + 1)):
                raise QueryError("InvalidParameterException",
                                 f"{member.name} members must be numbered 1 to {len(indexes)}")
            params[member.name] = [items[str(i)] for i in indexes]
        elif member.name in form:
            raw = form[member.name]
            if member.type == "boolean":
                if raw.lower() not in ("true", "false"):
                    raise QueryError("InvalidParameterException",
                                     f"{member.name} must be true or false, not {raw!r}")
                params[member.name] = raw.lower() == "true"
            elif member.type == "integer":
                try:
                    params[member.name] = int(raw)
                except ValueError:
                    raise QueryError("InvalidParameterException",
                                     f"{member.name} must be a whole number, not {raw!r}") from None
            else:
                params[member.name] = raw
    for member in op.inputs:
        if member.required and member.name not in params:
            raise QueryError("MissingParameterException",
                             f"The request must contain the parameter {member.name}")
    return params


def rfc3986(text: str) -> str:
    """Percent-encode everything but A-Z a-z 0-9 - _ . ~ (the signers' canonical form)."""
    return quote(text, safe="-_.~")
