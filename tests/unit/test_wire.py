"""The wire core against the shared vectors and against botocore's own serializer, parser and signers."""

from __future__ import annotations

import json
from pathlib import Path

import botocore.session
import pytest
from botocore.auth import SigV2Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials
from botocore.parsers import QueryParser
from botocore.serialize import create_serializer
from hypothesis import given, settings
from hypothesis import strategies as st

from importexport_cli.service import OPERATIONS
from importexport_cli.wire import sigv2, sigv4
from importexport_cli.wire.query import QueryError, decode_form, encode_form, parse_params, serialize
from importexport_cli.wire.sigv4 import Credentials, SignatureError
from importexport_cli.wire.xml import XmlError, encode_error, encode_response, parse_error, parse_response

VECTORS = sorted((Path(__file__).parent.parent / "vectors").glob("*_*.json"))
MODEL = botocore.session.get_session().get_service_model("importexport")
NOW = 1_764_000_000.0


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_serialize_matches_vector_and_botocore(path):
    v = load(path)
    pairs = serialize(v["operation"], v["params"])
    assert dict(pairs) == v["form"]
    botocore_body = create_serializer("query").serialize_to_request(
        v["params"], MODEL.operation_model(v["operation"]))["body"]
    assert dict(pairs) == {k: str(x) for k, x in botocore_body.items()}
    # and the emulator's decoder reads it back into the same parameters
    assert parse_params(v["operation"], decode_form(encode_form(pairs))) == v["params"]


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_parse_matches_vector_and_botocore(path):
    v = load(path)
    ours = parse_response(v["operation"], v["response"].encode("utf-8"))
    ours.pop("ResponseMetadata")
    assert ours == v["result"]
    assert list(ours) == [k for k in OPERATIONS[v["operation"]].output if k in ours]  # model order
    theirs = QueryParser(timestamp_parser=lambda text: text).parse(
        {"body": v["response"].encode("utf-8"), "headers": {}, "status_code": 200},
        MODEL.operation_model(v["operation"]).output_shape)
    theirs.pop("ResponseMetadata")
    assert ours == theirs


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_emulator_encoding_parses_back(path):
    v = load(path)
    body = encode_response(v["operation"], v["result"], "req-1")
    parsed = parse_response(v["operation"], body)
    assert parsed.pop("ResponseMetadata") == {"RequestId": "req-1"}
    assert parsed == v["result"]


def test_error_vector():
    v = load(Path(__file__).parent.parent / "vectors" / "error.json")
    assert parse_error(v["response"].encode()) == (v["code"], v["message"], v["request_id"])
    assert parse_error(encode_error("CanceledJobIdException", "gone", "r-2")) == ("CanceledJobIdException", "gone", "r-2")


HOSTILE = {
    "billion laughs": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
                      b']><GetStatusResponse><GetStatusResult><JobId>&lol2;</JobId></GetStatusResult></GetStatusResponse>',
    "external entity": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                       b'<GetStatusResponse><GetStatusResult><JobId>&xxe;</JobId></GetStatusResult></GetStatusResponse>',
    "html page": b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>",
    "truncated": b'<GetStatusResponse xmlns="x"><GetStatusResult><JobId>AB',
    "not xml": b"\x00\xff garbage",
    "empty": b"",
    "wrong root": b"<Something/>",
    "bad boolean": b"<CancelJobResponse><CancelJobResult><Success>yes</Success></CancelJobResult></CancelJobResponse>",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_and_broken_xml_is_refused_with_our_error(name):
    operation = "CancelJob" if name == "bad boolean" else "GetStatus"
    with pytest.raises(XmlError) as caught:
        parse_response(operation, HOSTILE[name])
    if name in ("billion laughs", "external entity"):
        assert "DOCTYPE" in str(caught.value)
    assert "root:" not in str(caught.value)  # /etc/passwd was never read


@given(st.binary(max_size=2000))
@settings(max_examples=300, deadline=None)
def test_parsing_arbitrary_bytes_raises_only_our_error(data):
    for parse in (lambda b: parse_response("GetStatus", b), parse_error):
        try:
            parse(data)
        except XmlError:
            pass


# --- query encoding -----------------------------------------------------------------------------

printable = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@given(job_id=printable, manifest=printable, validate=st.booleans(), jobs=st.lists(printable, min_size=1, max_size=4),
       max_jobs=st.integers(0, 1000))
@settings(max_examples=200, deadline=None)
def test_query_round_trip_every_operation(job_id, manifest, validate, jobs, max_jobs):
    cases = {
        "CreateJob": {"JobType": "Import", "Manifest": manifest, "ValidateOnly": validate},
        "UpdateJob": {"JobId": job_id, "Manifest": manifest, "JobType": "Export", "ValidateOnly": validate},
        "CancelJob": {"JobId": job_id}, "GetStatus": {"JobId": job_id},
        "ListJobs": {"MaxJobs": max_jobs, "Marker": job_id},
        "GetShippingLabel": {"jobIds": jobs, "name": manifest, "street3": job_id},
    }
    for operation, params in cases.items():
        assert parse_params(operation, decode_form(encode_form(serialize(operation, params)))) == params


@pytest.mark.parametrize("body, code", [
    (b"Action=GetStatus&JobId=%FF", "MalformedQueryString"),
    (b"Action=GetStatus&Action=ListJobs", "InvalidParameterException"),
    (b"=x", "MalformedQueryString"),
])
def test_decode_form_refuses_bad_bodies(body, code):
    with pytest.raises(QueryError) as caught:
        decode_form(body)
    assert caught.value.code == code


def test_parse_params_checks_types_and_required():
    with pytest.raises(QueryError, match="MaxJobs"):
        parse_params("ListJobs", {"MaxJobs": "ten"})
    with pytest.raises(QueryError) as caught:
        parse_params("GetStatus", {})
    assert caught.value.code == "MissingParameterException"
    with pytest.raises(QueryError, match="numbered"):
        parse_params("GetShippingLabel", {"jobIds.member.1": "A", "jobIds.member.3": "B"})


# --- signing ------------------------------------------------------------------------------------

SECRETS = ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "a+b/c=d+e/f==", "plain"]


def botocore_v4(host, body, creds, region, token=None):
    request = AWSRequest(method="POST", url=f"http://{host}/", data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(BotoCredentials(creds.access_key, creds.secret_key, token), "IngestionService", region).add_auth(request)
    return request.headers


@pytest.fixture
def frozen_botocore(monkeypatch):
    import datetime

    import botocore.auth

    fixed = datetime.datetime.fromtimestamp(NOW, datetime.timezone.utc).replace(tzinfo=None)
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda *a, **k: fixed)
    original = botocore.auth.time.gmtime
    monkeypatch.setattr(botocore.auth.time, "gmtime", lambda *a: original(NOW))


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("token", [None, "FwoGZXIvYXdzE+/token=="])
def test_sigv4_matches_botocore(secret, token, frozen_botocore):
    creds = Credentials("AKIDEXAMPLE", secret, token)
    body = encode_form(serialize("CreateJob", {"JobType": "Import", "Manifest": "bucket: ünï\ncodé: ✓\n",
                                               "ValidateOnly": False}))
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    ours = sigv4.sign("POST", "127.0.0.1:8765", "/", "", headers, body, creds, "eu-west-1", "IngestionService", NOW)
    theirs = botocore_v4("127.0.0.1:8765", body, creds, "eu-west-1", token)
    assert ours["Authorization"] == theirs["Authorization"]
    assert ours["X-Amz-Date"] == theirs["X-Amz-Date"]
    if token:
        assert ours["X-Amz-Security-Token"] == token


def test_sigv4_verify_round_trip_and_tampering():
    creds = Credentials("AKIDEXAMPLE", SECRETS[1])
    body = b"Action=GetStatus&Version=2010-06-01&JobId=ABCDE"
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Host": "h:1"}
    headers.update(sigv4.sign("POST", "h:1", "/", "", headers, body, creds, "us-east-1", "IngestionService", NOW))
    lookup = {"AKIDEXAMPLE": SECRETS[1]}.get
    assert sigv4.verify("POST", "/", "", headers, body, lookup, "IngestionService", NOW).access_key == "AKIDEXAMPLE"
    for index in range(len(body)):
        tampered = body[:index] + bytes([body[index] ^ 1]) + body[index + 1:]
        with pytest.raises(SignatureError) as caught:
            sigv4.verify("POST", "/", "", headers, tampered, lookup, "IngestionService", NOW)
        assert caught.value.code == "SignatureDoesNotMatch"
    with pytest.raises(SignatureError) as caught:
        sigv4.verify("POST", "/", "", {**headers, "Host": "other:1"}, body, lookup, "IngestionService", NOW)
    assert caught.value.code == "SignatureDoesNotMatch"
    with pytest.raises(SignatureError) as caught:
        sigv4.verify("POST", "/", "", headers, body, lookup, "IngestionService", NOW + 3600)
    assert (caught.value.code, caught.value.status) == ("RequestExpired", 400)
    with pytest.raises(SignatureError) as caught:
        sigv4.verify("POST", "/", "", headers, body, {}.get, "IngestionService", NOW)
    assert (caught.value.code, caught.value.status) == ("InvalidClientTokenId", 403)


@given(st.text(max_size=60), st.text(min_size=1, max_size=40))
@settings(max_examples=100, deadline=None)
def test_sigv4_property_sign_then_verify(manifest, secret):
    creds = Credentials("AKID", secret)
    body = encode_form(serialize("CreateJob", {"JobType": "Import", "Manifest": manifest, "ValidateOnly": True}))
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Host": "localhost"}
    headers.update(sigv4.sign("POST", "localhost", "/", "", headers, body, creds, "us-east-1", "IngestionService", NOW))
    assert sigv4.verify("POST", "/", "", headers, body, {"AKID": secret}.get, "IngestionService", NOW)


def test_sigv2_worked_example_from_the_facts():
    creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    now = 1308609059.0  # 2011-06-20T22:30:59Z
    signed = sigv2.sign("POST", "importexport.amazonaws.com", "/",
                        [("Action", "GetStatus"), ("Version", "2010-06-01"), ("JobId", "ABCDE")], creds, now)
    assert dict(signed)["Signature"] == "e2DoEvhL9qvfgGxT9sD4YKqRpxRC8eLuu9lNPyjknpk="


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("token", [None, "tok+/="])
def test_sigv2_matches_botocore(secret, token, frozen_botocore):
    creds = Credentials("AKIDEXAMPLE", secret, token)
    pairs = serialize("CreateJob", {"JobType": "Import", "Manifest": "a: ü ~*'()\n", "ValidateOnly": False})
    ours = dict(sigv2.sign("POST", "127.0.0.1:8765", "/", pairs, creds, NOW))
    request = AWSRequest(method="POST", url="http://127.0.0.1:8765/", data=dict(pairs))
    SigV2Auth(BotoCredentials("AKIDEXAMPLE", secret, token)).add_auth(request)
    assert ours == {k: str(v) for k, v in request.data.items()}
    lookup = {"AKIDEXAMPLE": secret}.get
    assert sigv2.verify("POST", "127.0.0.1:8765", "/", ours, lookup, NOW).access_key == "AKIDEXAMPLE"
    with pytest.raises(SignatureError):
        sigv2.verify("POST", "127.0.0.1:8765", "/", {**ours, "JobType": "Export"}, lookup, NOW)


@given(st.dictionaries(st.sampled_from(["JobId", "APIVersion"]), st.text(min_size=1, max_size=20), min_size=1),
       st.text(min_size=1, max_size=30), st.data())
@settings(max_examples=150, deadline=None)
def test_sigv2_property_sign_verify_and_any_changed_value_fails(params, secret, data):
    params.setdefault("JobId", "ABCDE")
    creds = Credentials("AKID", secret)
    signed = dict(sigv2.sign("POST", "localhost:8765", "/", serialize("GetStatus", params), creds, NOW))
    lookup = {"AKID": secret}.get
    assert sigv2.verify("POST", "localhost:8765", "/", signed, lookup, NOW).access_key == "AKID"
    name = data.draw(st.sampled_from(sorted(k for k in signed if k != "Signature")))
    changed = data.draw(st.text(max_size=20).filter(lambda v: v != signed[name]))
    with pytest.raises(SignatureError):
        sigv2.verify("POST", "localhost:8765", "/", {**signed, name: changed}, lookup, NOW)
