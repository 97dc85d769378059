"""The client's HTTP behaviour with respx: retries, throttling, bad responses, clock skew, CreateJob."""

from __future__ import annotations

from email.utils import formatdate

import httpx
import pytest
import respx

from importexport_cli.client import Client
from importexport_cli.config import Settings
from importexport_cli.errors import (BadResponseError, DryRun, RequestMaybeSent, ServiceError,
                                     TransportError)
from importexport_cli.wire.query import decode_form
from importexport_cli.wire.sigv4 import Credentials
from importexport_cli.wire.xml import encode_error, encode_response

URL = "https://importexport.amazonaws.com/"
NOW = 1_764_000_000.0
STATUS = encode_response("GetStatus", {"JobId": "ABCDE", "ProgressCode": "Pending", "ErrorCount": 0}, "r1")


def make_client(**overrides):
    settings = Settings(endpoint_url="https://importexport.amazonaws.com", region="eu-west-1", output="json",
                        credentials=Credentials("AKIDEXAMPLE", "secret/+=", "token"), **overrides)
    sleeps, warnings = [], []
    client = Client(settings, clock=lambda: NOW, sleep=sleeps.append, rng=lambda: 1.0, warn=warnings.append)
    return client, sleeps, warnings


def xml(body: bytes, status=200, **headers):
    return httpx.Response(status, content=body, headers={"Content-Type": "text/xml", **headers})


def error(code, status=400, **headers):
    return xml(encode_error(code, f"{code} happened", "req-9"), status, **headers)


@respx.mock
def test_success_is_parsed_and_signed_for_us_east_1():
    route = respx.post(URL).mock(return_value=xml(STATUS))
    client, _, _ = make_client()
    assert client.call("GetStatus", {"JobId": "ABCDE"}) == {"JobId": "ABCDE", "ProgressCode": "Pending",
                                                            "ErrorCount": 0}
    request = route.calls.last.request
    assert decode_form(request.content) == {"Action": "GetStatus", "Version": "2010-06-01", "JobId": "ABCDE"}
    assert "/us-east-1/IngestionService/aws4_request" in request.headers["Authorization"]
    assert request.headers["X-Amz-Security-Token"] == "token"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded; charset=utf-8"


@respx.mock
def test_transient_failures_are_retried_with_backoff_to_success():
    route = respx.post(URL).mock(side_effect=[error("InternalError", 500), error("ServiceUnavailable", 503),
                                              error("Throttling"), xml(STATUS)])
    client, sleeps, _ = make_client()
    assert client.call("GetStatus", {"JobId": "ABCDE"})["JobId"] == "ABCDE"
    assert route.call_count == 4
    assert sleeps == [0.5, 1.0, 2.0]  # full jitter with rng() = 1: the caps themselves


@respx.mock
def test_500_forever_stops_after_max_attempts():
    route = respx.post(URL).mock(return_value=error("InternalError", 500))
    client, sleeps, _ = make_client(max_attempts=3)
    with pytest.raises(TransportError, match="InternalError.*gave up after 3 attempts"):
        client.call("GetStatus", {"JobId": "ABCDE"})
    assert route.call_count == 3
    assert len(sleeps) == 2


@respx.mock
def test_client_errors_are_never_retried():
    route = respx.post(URL).mock(return_value=error("InvalidJobIdException"))
    client, _, _ = make_client()
    with pytest.raises(ServiceError) as caught:
        client.call("GetStatus", {"JobId": "ABCDE"})
    assert (caught.value.code, caught.value.request_id, caught.value.http_status) == (
        "InvalidJobIdException", "req-9", 400)
    assert route.call_count == 1


@respx.mock
def test_html_502_is_retried_then_reported_as_what_came_back():
    route = respx.post(URL).mock(return_value=httpx.Response(502, html="<html><body>Bad Gateway</body></html>"))
    client, _, _ = make_client(max_attempts=2)
    with pytest.raises(TransportError, match="HTML page"):
        client.call("GetStatus", {"JobId": "ABCDE"})
    assert route.call_count == 2


@pytest.mark.parametrize("body", [b"<GetStatusResponse><GetStatusResult><JobId>AB", b"<html>oops</html>",
                                  b'<!DOCTYPE x [<!ENTITY a "b">]><GetStatusResponse/>'])
@respx.mock
def test_unreadable_success_bodies_are_bad_responses(body):
    respx.post(URL).mock(return_value=xml(body))
    client, _, _ = make_client()
    with pytest.raises(BadResponseError):
        client.call("GetStatus", {"JobId": "ABCDE"})


@respx.mock
def test_a_4xx_with_an_unreadable_body_says_so_without_retrying():
    route = respx.post(URL).mock(return_value=httpx.Response(403, text="Forbidden"))
    client, _, _ = make_client()
    with pytest.raises(BadResponseError, match="HTTP 403"):
        client.call("GetStatus", {"JobId": "ABCDE"})
    assert route.call_count == 1


@respx.mock
def test_an_oversized_response_is_not_read():
    respx.post(URL).mock(return_value=xml(b"<a>" + b"x" * (9 * 1024 * 1024) + b"</a>"))
    client, _, _ = make_client()
    with pytest.raises(BadResponseError, match="larger than any real answer|announces"):
        client.call("GetStatus", {"JobId": "ABCDE"})


@respx.mock
def test_connection_errors_and_timeouts_are_retried():
    route = respx.post(URL).mock(side_effect=[httpx.ConnectError("refused"), httpx.ReadTimeout("slow"),
                                              xml(STATUS)])
    client, _, _ = make_client()
    assert client.call("GetStatus", {"JobId": "ABCDE"})["JobId"] == "ABCDE"
    assert route.call_count == 3


@respx.mock
def test_create_job_is_never_sent_twice_after_it_may_have_arrived():
    route = respx.post(URL).mock(side_effect=[httpx.ReadTimeout("lost"), xml(STATUS)])
    client, _, _ = make_client()
    with pytest.raises(RequestMaybeSent) as caught:
        client.call("CreateJob", {"JobType": "Import", "Manifest": "m", "ValidateOnly": False})
    assert route.call_count == 1
    assert caught.value.started_at == NOW


@respx.mock
def test_create_job_is_retried_when_it_surely_did_not_arrive():
    created = encode_response("CreateJob", {"JobId": "NEW11"}, "r")
    route = respx.post(URL).mock(side_effect=[httpx.ConnectError("refused"), error("Throttling"), xml(created)])
    client, _, _ = make_client()
    assert client.call("CreateJob", {"JobType": "Import", "Manifest": "m", "ValidateOnly": False}) == {"JobId": "NEW11"}
    assert route.call_count == 3


@respx.mock
def test_clock_skew_is_corrected_once_and_said():
    server_time = NOW + 7200
    route = respx.post(URL).mock(side_effect=[
        error("SignatureDoesNotMatch", 403, Date=formatdate(server_time, usegmt=True)), xml(STATUS)])
    client, _, warnings = make_client()
    client.call("GetStatus", {"JobId": "ABCDE"})
    first, second = (call.request.headers["X-Amz-Date"] for call in route.calls)
    assert first.startswith("20251124T16") and second.startswith("20251124T18")
    assert len(warnings) == 1 and "7200s behind" in warnings[0]


@respx.mock
def test_a_signature_error_without_skew_is_reported_not_retried():
    route = respx.post(URL).mock(return_value=error("SignatureDoesNotMatch", 403, Date=formatdate(NOW, usegmt=True)))
    client, _, warnings = make_client()
    with pytest.raises(ServiceError, match="SignatureDoesNotMatch"):
        client.call("GetStatus", {"JobId": "ABCDE"})
    assert route.call_count == 1 and warnings == []


@respx.mock
def test_dry_run_sends_nothing_and_masks_secrets():
    route = respx.post(URL).mock(return_value=xml(STATUS))
    client, _, _ = make_client(dry_run=True)
    with pytest.raises(DryRun) as caught:
        client.call("CreateJob", {"JobType": "Export", "Manifest": "trueCryptPassword: hunter2\n",
                                  "ValidateOnly": False})
    text = caught.value.request.describe()
    assert route.call_count == 0
    assert "hunter2" not in text and "secret/+=" not in text and "token" not in text.split("X-Amz-Security-Token")[1][:12]
    assert "Signature=****" in text and "POST https://importexport.amazonaws.com/" in text


@respx.mock
def test_sigv2_puts_the_signature_in_the_body():
    route = respx.post(URL).mock(return_value=xml(STATUS))
    client, _, _ = make_client(signature_version="v2")
    client.call("GetStatus", {"JobId": "ABCDE"})
    form = decode_form(route.calls.last.request.content)
    assert form["SignatureVersion"] == "2" and form["SignatureMethod"] == "HmacSHA256"
    assert form["SecurityToken"] == "token" and "Authorization" not in route.calls.last.request.headers


@respx.mock
def test_list_pages_follows_the_marker():
    def page(jobs, truncated):
        return xml(encode_response("ListJobs", {"Jobs": [{"JobId": j, "CreationDate": "2026-01-01T00:00:00Z",
                                                          "IsCanceled": False, "JobType": "Import"} for j in jobs],
                                                "IsTruncated": truncated}, "r"))
    route = respx.post(URL).mock(side_effect=[page(["J5AAA", "J4AAA"], True), page(["J3AAA"], False)])
    client, _, _ = make_client()
    pages = list(client.list_pages(page_size=2))
    assert [j["JobId"] for p in pages for j in p["Jobs"]] == ["J5AAA", "J4AAA", "J3AAA"]
    assert decode_form(route.calls[1].request.content)["Marker"] == "J4AAA"


@respx.mock
def test_an_error_code_never_seen_is_a_bad_response():
    respx.post(URL).mock(return_value=error("TotallyNewException"))
    client, _, _ = make_client()
    with pytest.raises(BadResponseError, match="error code this service never sends: TotallyNewException") as caught:
        client.call("GetStatus", {"JobId": "ABCDE"})
    assert caught.value.exit_code == 255


def test_every_error_the_emulator_can_answer_is_known():
    import re
    from pathlib import Path

    from importexport_cli.service import KNOWN_ERRORS

    source = "".join(p.read_text() for p in (Path(__file__).parents[2] / "importexport_cli").rglob("*.py"))
    raised = set(re.findall(r'(?:ApiError|SignatureError|QueryError)\(\s*"(\w+)"', source))
    raised -= {"NoSuchKey"}  # the label URL's 404, which download() reads, not call()
    raised |= {"InternalError", "ServiceUnavailable", "Throttling"}  # the app's last resort and injected faults
    assert raised and raised <= KNOWN_ERRORS, raised - KNOWN_ERRORS


@respx.mock
@pytest.mark.parametrize("version", ["v4", "v2"])
def test_an_endpoint_path_is_posted_to_and_signed(version):
    from importexport_cli.wire import sigv2, sigv4

    route = respx.post("http://127.0.0.1:8765/prefix/").mock(return_value=xml(STATUS))
    settings = Settings(endpoint_url="http://127.0.0.1:8765/prefix", region="us-east-1", output="json",
                        credentials=Credentials("AKID", "secret"), signature_version=version)
    Client(settings, clock=lambda: NOW).call("GetStatus", {"JobId": "ABCDE"})
    request = route.calls.last.request
    lookup = {"AKID": "secret"}.get
    if version == "v4":
        assert sigv4.verify("POST", "/prefix/", "", dict(request.headers), request.content, lookup,
                            "IngestionService", NOW)
    else:
        assert sigv2.verify("POST", "127.0.0.1:8765", "/prefix/", decode_form(request.content), lookup, NOW)
