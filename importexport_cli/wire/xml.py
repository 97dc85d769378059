"""Response XML -> dict (client), dict -> XML (emulator), and error XML both ways.

The only module that knows lxml.  One hardened parser: no DTD, no entities, no network, bounded size;
a document with a DOCTYPE or an entity declaration is refused before lxml sees it, so nothing is ever
expanded or fetched.  Element names are matched by local name (old samples use another namespace).
"""

from __future__ import annotations

from ..service import OPERATIONS, XML_NAMESPACE

MAX_XML_BYTES = 8 * 1024 * 1024


class XmlError(ValueError):
    """A body that is not the XML we expect; the message says what came back."""


def _describe(body: bytes) -> str:
    head = body[:200].decode("utf-8", "replace").strip().replace("\n", " ")
    if not head:
        return "an empty body"
    if head.lower().startswith(("<!doctype html", "<html")):
        return f"an HTML page ({head[:80]!r})"
    return repr(head[:80])


def _parse(body: bytes):
    from lxml import etree

    if len(body) > MAX_XML_BYTES:
        raise XmlError(f"the response is {len(body)} bytes, more than any real answer")
    prolog = body[:4096].lower()
    if b"<!doctype" in prolog or b"<!entity" in body.lower():
        raise XmlError(f"the response declares a DOCTYPE or entities, refused: {_describe(body)}")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise XmlError(f"the response is not well-formed XML ({exc.msg}): {_describe(body)}") from None
    except ValueError as exc:  # e.g. an unsupported encoding declaration
        raise XmlError(f"the response could not be read as XML ({exc}): {_describe(body)}") from None
    if root is None:
        raise XmlError(f"the response is not XML: {_describe(body)}")
    return root


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _child(element, name: str):
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _convert(element, shape):
    if isinstance(shape, tuple):  # ("list", item shape)
        return [_convert(m, shape[1]) for m in element if _local(m.tag) == "member"]
    if isinstance(shape, dict):
        return _structure(element, shape)
    text = element.text or ""
    if shape == "boolean":
        if text.strip() not in ("true", "false"):
            raise XmlError(f"<{_local(element.tag)}> should be true or false, not {text!r}")
        return text.strip() == "true"
    if shape == "integer":
        try:
            return int(text.strip())
        except ValueError:
            raise XmlError(f"<{_local(element.tag)}> should be a number, not {text!r}") from None
    return text


def _structure(element, shape: dict) -> dict:
    result = {}
    for name, member_shape in shape.items():
        child = _child(element, name)
        if child is not None:
            result[name] = _convert(child, member_shape)
    return result


def parse_response(operation: str, body: bytes) -> dict:
    """A success response -> dict in the model's member order (unknown elements dropped)."""
    root = _parse(body)
    if _local(root.tag) == "ErrorResponse":
        raise XmlError("an error document came with a success status")
    if _local(root.tag) != f"{operation}Response":
        raise XmlError(f"expected <{operation}Response>, got <{_local(root.tag)}>: {_describe(body)}")
    result = _child(root, f"{operation}Result")
    data = _structure(result, OPERATIONS[operation].output) if result is not None else {}
    metadata = _child(root, "ResponseMetadata")
    request_id = _child(metadata, "RequestId") if metadata is not None else None
    if request_id is not None:
        data["ResponseMetadata"] = {"RequestId": request_id.text or ""}
    return data


def parse_error(body: bytes) -> tuple[str, str, str | None]:
    """An error document -> (code, message, request id)."""
    root = _parse(body)
    error = _child(root, "Error") if _local(root.tag) in ("ErrorResponse", "Response") else None
    if _local(root.tag) == "Response":  # <Response><Errors><Error> (EC2 style)
        errors = _child(root, "Errors")
        error = _child(errors, "Error") if errors is not None else None
    if error is None:
        raise XmlError(f"expected an <ErrorResponse>, got <{_local(root.tag)}>: {_describe(body)}")
    code = _child(error, "Code")
    message = _child(error, "Message")
    request_id = _child(root, "RequestId")
    if request_id is None:
        request_id = _child(root, "RequestID")
    if code is None or not (code.text or "").strip():
        raise XmlError(f"an error document without a <Code>: {_describe(body)}")
    return (code.text.strip(), (message.text or "") if message is not None else "",
            request_id.text if request_id is not None else None)


# --- Encoding (the emulator) ------------------------------------------------------------------------

def _append(parent, name: str, value, shape) -> None:
    from lxml import etree

    element = etree.SubElement(parent, name)
    if isinstance(shape, tuple):
        for item in value:
            _append(element, "member", item, shape[1])
    elif isinstance(shape, dict):
        for key, member_shape in shape.items():
            if value.get(key) is not None:
                _append(element, key, value[key], member_shape)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)


def encode_response(operation: str, result: dict, request_id: str) -> bytes:
    from lxml import etree

    root = etree.Element(f"{operation}Response", nsmap={None: XML_NAMESPACE})
    body = etree.SubElement(root, f"{operation}Result")
    for name, shape in OPERATIONS[operation].output.items():
        if result.get(name) is not None:
            _append(body, name, result[name], shape)
    metadata = etree.SubElement(root, "ResponseMetadata")
    etree.SubElement(metadata, "RequestId").text = request_id
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def encode_error(code: str, message: str, request_id: str, sender: bool = True) -> bytes:
    from lxml import etree

    root = etree.Element("ErrorResponse", nsmap={None: XML_NAMESPACE})
    error = etree.SubElement(root, "Error")
    etree.SubElement(error, "Type").text = "Sender" if sender else "Receiver"
    etree.SubElement(error, "Code").text = code
    etree.SubElement(error, "Message").text = message
    etree.SubElement(root, "RequestId").text = request_id
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
