"""The emulator under bad requests, faults, crashes and concurrency, over a real socket."""

from __future__ import annotations

import random
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from importexport_cli.client import Client
from importexport_cli.config import Settings
from importexport_cli.errors import TransportError
from importexport_cli.wire import sigv4
from importexport_cli.wire.query import encode_form, serialize
from importexport_cli.wire.sigv4 import Credentials
from importexport_cli.wire.xml import parse_error

from ..conftest import EXAMPLE, TEST_KEY, TEST_SECRET, run_cli

pytestmark = pytest.mark.e2e
CREDS = Credentials(TEST_KEY, TEST_SECRET)


def client_for(url: str, **overrides) -> Client:
    return Client(Settings(endpoint_url=url, region="us-east-1", output="json", credentials=CREDS, **overrides))


def signed(url: str, body: bytes, host: str | None = None) -> dict:
    host = host or url.split("//")[1]
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    import time

    headers.update(sigv4.sign("POST", host, "/", "", headers, body, CREDS, "us-east-1", "IngestionService", time.time()))
    return headers


def post(server, body: bytes, headers=None, path="/"):
    return httpx.post(server.url + path, content=body, headers=headers if headers is not None else signed(server.url, body))


@pytest.mark.parametrize("body, status, code", [
    (b"Action=GetStatus&Version=2010-06-01&JobId=%FF%FE", 400, "MalformedQueryString"),
    (b"Action=Explode&Version=2010-06-01", 400, "InvalidAction"),
    (b"Version=2010-06-01&JobId=ABCDE", 400, "MissingAction"),
    (b"Action=GetStatus&Version=2009-01-01&JobId=ABCDE", 400, "InvalidVersionException"),
    (b"Action=GetStatus&Version=2010-06-01", 400, "MissingParameterException"),
    (b"Action=GetStatus&Version=2010-06-01&JobId=A&JobId=B", 400, "InvalidParameterException"),
    (b"Action=ListJobs&Version=2010-06-01&MaxJobs=5000", 400, "InvalidParameterException"),
    (b"Action=ListJobs&Version=2010-06-01&MaxJobs=many", 400, "InvalidParameterException"),
    (b"Action=ListJobs&Version=2010-06-01&Marker=ZZZZZ", 400, "InvalidParameterException"),
    (b"Action=CreateJob&Version=2010-06-01&JobType=Import&Manifest=INVALID%20MANIFEST&ValidateOnly=false", 400,
     "MalformedManifestException"),
    (b"Action=GetStatus&Version=2010-06-01&JobId=ABCDE&APIVersion=banana", 400, "InvalidVersionException"),
])
def test_bad_requests_get_the_service_error_and_the_server_keeps_serving(server, body, status, code):
    response = post(server, body)
    assert response.status_code == status
    assert parse_error(response.content)[0] == code
    assert "Traceback" not in response.text
    assert response.headers["Date"]
    assert client_for(server.url).call("ListJobs", {"MaxJobs": 1})["IsTruncated"] in (True, False)


def test_authentication_failures(server):
    body = b"Action=ListJobs&Version=2010-06-01"
    assert parse_error(post(server, body, headers={}).content)[0] == "MissingAuthenticationToken"
    headers = signed(server.url, body)
    for index in range(len(body)):
        tampered = body[:index] + bytes([body[index] ^ 0x01]) + body[index + 1:]
        response = post(server, tampered, headers)
        assert response.status_code in (403, 400), tampered
        if response.status_code == 403:
            assert parse_error(response.content)[0] == "SignatureDoesNotMatch"
    other = Client(Settings(endpoint_url=server.url, region="us-east-1", output="json",
                            credentials=Credentials("AKIDUNKNOWN", "x")))
    with pytest.raises(Exception) as caught:
        other.call("ListJobs", {})
    assert caught.value.code == "InvalidClientTokenId" and caught.value.http_status == 403


def test_stale_signatures_are_refused(server):
    body = encode_form(serialize("ListJobs", {}))
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    host = server.url.split("//")[1]
    headers.update(sigv4.sign("POST", host, "/", "", headers, body, CREDS, "us-east-1", "IngestionService",
                              1_000_000_000.0))
    response = post(server, body, headers)
    assert response.status_code == 400 and parse_error(response.content)[0] == "RequestExpired"


def test_oversized_and_operation_path_requests(server):
    big = b"Action=GetStatus&Version=2010-06-01&JobId=" + b"A" * (3 * 1024 * 1024)
    response = httpx.post(server.url + "/", content=big, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413 and parse_error(response.content)[0] == "RequestEntityTooLarge"
    body = encode_form(serialize("ListJobs", {"MaxJobs": 1}))
    headers = signed(server.url, body)
    headers.pop("Authorization")  # SigV4 over the /?Operation= path is checked with the query included
    host = server.url.split("//")[1]
    import time
    headers.update(sigv4.sign("POST", host, "/", "Operation=ListJobs", {"Content-Type": headers["Content-Type"]}, body,
                              CREDS, "us-east-1", "IngestionService", time.time()))
    response = httpx.post(server.url + "/?Operation=ListJobs", content=body, headers=headers)
    assert response.status_code == 200, response.text


def test_sixteen_concurrent_writers_lose_nothing_and_double_nothing(server):
    client = client_for(server.url)
    manifest = EXAMPLE.read_text()
    with ThreadPoolExecutor(16) as pool:
        ids = list(pool.map(lambda _: client.call("CreateJob", {"JobType": "Import", "Manifest": manifest,
                                                                "ValidateOnly": False})["JobId"], range(64)))
    assert len(set(ids)) == 64
    listed = {j["JobId"] for page in client.list_pages() for j in page["Jobs"]}
    assert set(ids) <= listed


def test_an_acknowledged_job_survives_kill_9(server_factory, tmp_path):
    db = tmp_path / "durable.sqlite3"
    srv = server_factory("--stage-seconds", "0", db=db)
    client = client_for(srv.url)
    ids = [client.call("CreateJob", {"JobType": "Import", "Manifest": EXAMPLE.read_text(), "ValidateOnly": False})["JobId"]
           for _ in range(5)]
    srv.stop(signal.SIGKILL)
    import os
    os.killpg(srv.process.pid, signal.SIGKILL) if srv.process.poll() is None else None
    restarted = server_factory("--stage-seconds", "0", db=db)
    after = client_for(restarted.url)
    for job_id in ids:
        assert after.call("GetStatus", {"JobId": job_id})["JobId"] == job_id


def test_kill_9_under_load_keeps_every_acknowledged_job(server_factory, tmp_path):
    db = tmp_path / "load.sqlite3"
    srv = server_factory("--stage-seconds", "0", db=db)
    client = client_for(srv.url, max_attempts=1)
    acknowledged, stop = [], threading.Event()

    def writer():
        while not stop.is_set():
            try:
                acknowledged.append(client.call("CreateJob", {"JobType": "Import", "Manifest": EXAMPLE.read_text(),
                                                              "ValidateOnly": False})["JobId"])
            except Exception:  # the server is being killed under us
                return

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    import time
    time.sleep(1.0)
    import os
    os.killpg(srv.process.pid, signal.SIGKILL)
    stop.set()
    for thread in threads:
        thread.join(10)
    srv.process.wait()
    assert acknowledged
    restarted = server_factory("--stage-seconds", "0", db=db)
    listed = [j["JobId"] for page in client_for(restarted.url).list_pages() for j in page["Jobs"]]
    assert set(acknowledged) <= set(listed)
    assert len(listed) == len(set(listed))


def test_injected_faults_500_forever_and_throttling(server_factory):
    srv = server_factory("--faults", "500:1.0", "--workers", "1")
    result = run_cli("get-status", "ABCDE", "--endpoint-url", srv.url, "--max-attempts", "3")
    assert result.code == 255 and "InternalError" in result.err and "after 3 attempts" in result.err
    throttled = server_factory("--faults", "throttle:0.5", "--seed", "7", "--workers", "1", "--stage-seconds", "0")
    client = client_for(throttled.url, max_attempts=10)
    for _ in range(10):
        client.call("ListJobs", {"MaxJobs": 1})  # every call gets through in the end


@pytest.mark.parametrize("fault", ["reset", "malformed"])
def test_socket_and_body_faults_end_with_255(server_factory, fault):
    srv = server_factory("--faults", f"{fault}:1.0", "--workers", "1")
    result = run_cli("list-jobs", "--endpoint-url", srv.url, "--max-attempts", "2")
    assert result.code == 255, result.err
    assert "Traceback" not in result.err


def test_slow_answers_hit_the_read_timeout(server_factory):
    srv = server_factory("--faults", "slow:1.0", "--workers", "1")
    result = run_cli("get-status", "ABCDE", "--endpoint-url", srv.url, "--read-timeout", "0.5", "--max-attempts", "1")
    assert result.code == 255 and "--read-timeout" in result.err


def _seed_losing_only_the_first(probability: float) -> int:
    for seed in range(10_000):
        rolls = random.Random(seed)
        if rolls.random() < probability and all(rolls.random() >= probability for _ in range(8)):
            return seed
    raise AssertionError("no seed")


def test_a_lost_create_job_answer_is_recovered_not_resent(server_factory, tmp_path):
    seed = _seed_losing_only_the_first(0.2)
    srv = server_factory("--faults", "lost:0.2", "--seed", str(seed), "--workers", "1", "--stage-seconds", "0")
    device = tmp_path / "device"
    device.mkdir()
    result = run_cli("create-job", "--job-type", "Import", "--manifest", EXAMPLE, "--signature-dir", device,
                     "--endpoint-url", srv.url)
    assert result.code == 0, result.err
    assert "not sending it again" in result.err and "recovered: job" in result.err
    job = result.json()
    listed = run_cli("list-jobs", "--endpoint-url", srv.url).json()["Jobs"]
    assert [j["JobId"] for j in listed] == [job["JobId"]]  # exactly one job
    assert (device / "SIGNATURE").read_text() == job["SignatureFileContents"]


def test_an_ambiguous_recovery_lists_the_candidates(server_factory, tmp_path):
    srv = server_factory("--stage-seconds", "0", "--workers", "1")
    first = run_cli("create-job", "--job-type", "Import", "--manifest", EXAMPLE, "--endpoint-url", srv.url)
    assert first.code == 0
    from importexport_cli.workflows import recover_created_job
    import time

    client = client_for(srv.url)
    client.call("CreateJob", {"JobType": "Import", "Manifest": EXAMPLE.read_text(), "ValidateOnly": False})
    with pytest.raises(TransportError) as caught:
        recover_created_job(client, {"JobType": "Import", "Manifest": EXAMPLE.read_text()}, time.time(), "lost", print)
    assert "2 jobs with this manifest" in caught.value.message and caught.value.exit_code == 255
    assert "get-status" in caught.value.hint
    with pytest.raises(TransportError) as caught:
        recover_created_job(client, {"JobType": "Export", "Manifest": EXAMPLE.read_text()}, time.time(), "lost", print)
    assert "no job with this manifest has appeared" in caught.value.message and "create-job again" in caught.value.hint


def test_a_server_clock_two_hours_off_is_corrected_once_and_said(server_factory):
    srv = server_factory("--clock-offset", "7200", "--stage-seconds", "0")
    result = run_cli("list-jobs", "--endpoint-url", srv.url)
    assert result.code == 0, result.err
    assert result.err.count("behind the server's; signed again with the server's time") == 1
    assert "7199s" in result.err or "7200s" in result.err


def test_a_client_that_disconnects_mid_request_does_not_hurt_the_server(server):
    import socket

    for _ in range(5):
        sock = socket.create_connection(("127.0.0.1", server.port))
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\nAction=GetSt")
        sock.close()
    assert client_for(server.url).call("ListJobs", {"MaxJobs": 1}) is not None


def test_aws_spellings_of_timeouts_and_colour(server):
    result = run_cli("list-jobs", "--max-jobs", "1", "--cli-read-timeout", "5", "--cli-connect-timeout", "5",
                     "--color", "off", "--endpoint-url", server.url)
    assert result.code == 0, result.err
