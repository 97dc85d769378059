"""Every command, run as the installed CLI against a real `emulator serve`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from ..conftest import CLI, EXAMPLE, TEST_KEY, manifest_text, run_cli

pytestmark = pytest.mark.e2e


def create(server, tmp_path=None, manifest=None, *extra):
    path = EXAMPLE
    if manifest is not None:
        path = tmp_path / f"m{abs(hash(manifest))}.yaml"
        path.write_text(manifest)
    result = run_cli("create-job", "--job-type", "import", "--manifest", path, "--endpoint-url", server.url, *extra)
    assert result.code == 0, result.err
    return result.json()


def test_create_job_writes_the_signature_file_byte_for_byte(server, tmp_path):
    device = tmp_path / "device"
    device.mkdir()
    job = create(server, None, None, "--signature-dir", device)
    assert (device / "SIGNATURE").read_bytes() == job["SignatureFileContents"].encode()
    assert sorted(p.name for p in device.iterdir()) == ["SIGNATURE"]  # no temporary file left
    assert job["JobType"] == "Import"
    # the same bytes again: left alone; another job's: refused without --force, replaced with it
    again = run_cli("get-status", job["JobId"], "--signature-dir", device, "--endpoint-url", server.url)
    assert again.code == 0 and "kept the identical" in again.err
    other = create(server)
    refused = run_cli("get-status", other["JobId"], "--signature-dir", device, "--endpoint-url", server.url)
    assert refused.code == 252 and "use --force" in refused.err
    assert (device / "SIGNATURE").read_bytes() == job["SignatureFileContents"].encode()
    forced = run_cli("get-status", other["JobId"], "--signature-dir", device, "--force", "--endpoint-url", server.url)
    assert forced.code == 0
    assert (device / "SIGNATURE").read_bytes() == other["SignatureFileContents"].encode()
    verify = run_cli("signature", "verify", device, other["JobId"], "--endpoint-url", server.url)
    assert verify.code == 0 and "matches" in verify.out
    mismatch = run_cli("signature", "verify", device, job["JobId"], "--endpoint-url", server.url)
    assert mismatch.code == 1 and "differs" in mismatch.out


def test_get_status_of_many_ids_in_order_with_failures_in_place(server):
    ids = [create(server)["JobId"] for _ in range(3)]
    lines = f"{ids[0]}\nZZZZZ\n{ids[1]}\n\n{ids[2]}\n"
    result = run_cli("get-status", "-", "--endpoint-url", server.url, input=lines)
    assert result.code == 254
    documents = result.json()
    assert [d["JobId"] for d in documents] == [ids[0], "ZZZZZ", ids[1], ids[2]]
    assert documents[1] == {"JobId": "ZZZZZ", "Error": {"Code": "InvalidJobIdException",
                                                        "Message": "No such job ZZZZZ"}}
    assert "ZZZZZ: InvalidJobIdException" in result.err
    jsonl = run_cli("get-status", *ids, "--output", "jsonl", "--query", "ProgressCode", "--endpoint-url", server.url)
    assert jsonl.code == 0 and jsonl.out == '"Pending"\n' * 3
    single = run_cli("get-status", ids[0], "--endpoint-url", server.url)
    assert single.json()["JobId"] == ids[0]


def test_update_then_cancel_then_the_rules_of_a_canceled_job(server, tmp_path):
    job_id = create(server)["JobId"]
    updated = manifest_text(deviceId="NEW-DEVICE")
    result = run_cli("update-job", job_id, "--job-type", "Import", "--manifest", "-", "--endpoint-url", server.url,
                     input=updated)
    assert result.code == 0, result.err
    assert result.json() == {"Success": True, "WarningMessage": "**** Device will be erased before being returned. ****",
                             "ArtifactList": []}
    status = run_cli("get-status", job_id, "--endpoint-url", server.url).json()
    assert status["CurrentManifest"] == updated
    assert run_cli("cancel-job", job_id, "--endpoint-url", server.url).json() == {"Success": True}
    status = run_cli("get-status", job_id, "--endpoint-url", server.url).json()
    assert status["ProgressCode"] == "Canceled"
    listed = run_cli("list-jobs", "--endpoint-url", server.url).json()["Jobs"]
    assert next(j for j in listed if j["JobId"] == job_id)["IsCanceled"] is True
    again = run_cli("update-job", job_id, "--job-type", "Import", "--manifest", EXAMPLE, "--endpoint-url", server.url)
    assert again.code == 254 and "CanceledJobIdException" in again.err


def test_global_options_after_the_command_and_python_dash_m(server):
    job_id = create(server)["JobId"]
    after = run_cli("get-status", job_id, "--endpoint-url", server.url, "--output", "text", "--query", "JobId")
    assert after.out == f"{job_id}\n"
    done = subprocess.run([sys.executable, "-m", "importexport_cli", "--output", "json", "--endpoint-url", server.url,
                           "get-status", job_id, "--query", "JobType"], capture_output=True, text=True,
                          env={**os.environ, "AWS_ACCESS_KEY_ID": TEST_KEY,
                               "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"})
    assert done.stdout == '"Import"\n'


def test_sigv2_is_accepted(server):
    result = run_cli("list-jobs", "--max-jobs", "1", "--signature-version", "v2", "--endpoint-url", server.url)
    assert result.code == 0 and "IsTruncated" in result.json()


def test_list_jobs_since_stops_at_older_jobs_and_table_output(server):
    create(server)
    assert run_cli("list-jobs", "--since", "2999-01-01", "--endpoint-url", server.url).json() == {"Jobs": []}
    recent = run_cli("list-jobs", "--since", "2000-01-01T00:00:00Z", "--endpoint-url", server.url).json()["Jobs"]
    assert recent
    table = run_cli("list-jobs", "--output", "table", "--endpoint-url", server.url)
    assert "newest first" in table.out and recent[0]["JobId"] in table.out


def test_shipping_label_download_is_a_real_pdf(server, tmp_path):
    job_id = create(server)["JobId"]
    target = tmp_path / "label.pdf"
    result = run_cli("get-shipping-label", job_id, "--download", target, "--endpoint-url", server.url)
    assert result.code == 0, result.err
    data = target.read_bytes()
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    startxref = int(data.rsplit(b"startxref", 1)[1].split()[0])
    assert data[startxref:startxref + 4] == b"xref"
    assert job_id.encode() in data and b"Jane Roe" in data  # the manifest's return address by default
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_service_errors_exit_254_with_code_and_message(server):
    result = run_cli("cancel-job", "ZZZZZ", "--endpoint-url", server.url)
    assert result.code == 254
    assert result.err.strip() == "importexport: error: InvalidJobIdException: No such job ZZZZZ"


def test_network_failure_exits_255_after_retries(tmp_path):
    result = run_cli("get-status", "ABCDE", "--endpoint-url", "http://127.0.0.1:9", "--max-attempts", "2")
    assert result.code == 255
    assert "cannot connect to http://127.0.0.1:9/" in result.err and "after 2 attempts" in result.err


def test_emulator_serve_prints_where_it_listens_and_stops_on_sigterm(server_factory):
    srv = server_factory()
    srv.stop(signal.SIGTERM)
    out = srv.process.stdout.read().decode()
    assert f"listening on http://127.0.0.1:{srv.port}" in out and TEST_KEY in out
    assert srv.process.returncode == 0


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    """A server whose jobs move one stage a second, with a second account that owns one bucket."""
    from ..conftest import start_server

    root = tmp_path_factory.mktemp("staged")
    accounts = root / "accounts.json"
    accounts.write_text(json.dumps([
        {"access_key_id": TEST_KEY, "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
        {"access_key_id": "AKIDOTHER", "secret_access_key": "other-secret", "buckets": ["other-bucket"],
         "daily_job_quota": 2}]))
    srv = start_server(root / "db.sqlite3", "--stage-seconds", "1", "--accounts", str(accounts))
    yield srv
    srv.stop()


@pytest.mark.parametrize("device, until, code, progress", [
    ("49382", "Returned", 0, "Complete"),
    ("EMU-ERRORS", "SuccessWithErrors", 0, "SuccessWithErrors"),
    ("EMU-DEVICEERROR", "Complete", 1, "DeviceError"),
    ("EMU-NOSIGNATURE", "InProgress", 0, "InProgress"),
    ("EMU-EXPIRE", "AtAWS", 1, "Expired"),
])
def test_lifecycle_outcomes_and_wait(staged, tmp_path, device, until, code, progress):
    job = create(staged, tmp_path, manifest_text(deviceId=device))
    result = run_cli("wait", job["JobId"], "--until", until, "--interval", "0.2", "--timeout", "20",
                     "--endpoint-url", staged.url)
    assert result.code == code, result.err
    status = result.json()
    assert status["ProgressCode"] in (progress, "Expired") if device == "EMU-EXPIRE" else status["ProgressCode"] == progress
    if progress == "SuccessWithErrors":
        assert status["ErrorCount"] == 7 and status["LogKey"] == f"import-log-{job['JobId']}"


def test_wait_timeout_exits_124(staged):
    job = create(staged)
    result = run_cli("wait", job["JobId"], "--until", "returned", "--interval", "0.1", "--timeout", "0.3",
                     "--endpoint-url", staged.url)
    assert result.code == 124 and "did not reach Returned" in result.err


def test_accounts_see_only_their_own_jobs_buckets_and_quota(staged, tmp_path):
    mine = create(staged)["JobId"]
    other = {"AWS_ACCESS_KEY_ID": "AKIDOTHER", "AWS_SECRET_ACCESS_KEY": "other-secret"}
    hidden = run_cli("get-status", mine, "--endpoint-url", staged.url, env=other)
    assert hidden.code == 254 and "InvalidJobIdException" in hidden.err
    path = tmp_path / "m.yaml"
    path.write_text(EXAMPLE.read_text())
    no_bucket = run_cli("create-job", "--job-type", "Import", "--manifest", path, "--endpoint-url", staged.url, env=other)
    assert no_bucket.code == 254 and "NoSuchBucketException: The specified bucket does not exist: my-bucket" in no_bucket.err
    path.write_text(manifest_text(bucket="other-bucket"))
    for _ in range(2):
        assert run_cli("create-job", "--job-type", "Import", "--manifest", path, "--endpoint-url", staged.url,
                       env=other).code == 0
    over = run_cli("create-job", "--job-type", "Import", "--manifest", path, "--endpoint-url", staged.url, env=other)
    assert over.code == 254 and "CreateJobQuotaExceededException" in over.err
    listed = run_cli("list-jobs", "--endpoint-url", staged.url, env=other).json()["Jobs"]
    assert len(listed) == 2 and mine not in [j["JobId"] for j in listed]


def test_accesskeyid_in_the_manifest_must_be_the_signing_key(server, tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(manifest_text(accessKeyId="AKIDSOMEONEELSE"))
    local_check = run_cli("create-job", "--job-type", "Import", "--manifest", path, "--endpoint-url", server.url)
    assert local_check.code == 252 and "InvalidAccessKeyIdException" in local_check.err
    service = run_cli("create-job", "--job-type", "Import", "--manifest", path, "--no-manifest-check",
                      "--endpoint-url", server.url)
    assert service.code == 254 and "InvalidAccessKeyIdException" in service.err


def test_https_proxy_and_no_proxy_are_honoured(server, tmp_path):
    """A tiny forwarding proxy on loopback sees the request when HTTP_PROXY is set, and not with NO_PROXY."""
    import http.server
    import threading
    import urllib.request

    seen = []

    class Proxy(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(self.path)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "connection")}
            upstream = urllib.request.urlopen(urllib.request.Request(self.path, data=body, headers=headers,
                                                                     method="POST"))
            data = upstream.read()
            self.send_response(upstream.status)
            for key, value in upstream.headers.items():
                if key.lower() not in ("transfer-encoding", "connection"):
                    self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{proxy.server_address[1]}"
        via = run_cli("list-jobs", "--max-jobs", "1", "--endpoint-url", server.url, env={"HTTP_PROXY": url})
        assert via.code == 0, via.err
        assert seen and seen[0].startswith(server.url)
        seen.clear()
        direct = run_cli("list-jobs", "--max-jobs", "1", "--endpoint-url", server.url,
                         env={"HTTP_PROXY": url, "NO_PROXY": "127.0.0.1"})
        assert direct.code == 0 and seen == []
    finally:
        proxy.shutdown()


def test_emulator_reset_empties_the_embedded_store(local):
    assert local("create-job", "--job-type", "Import", "--manifest", str(EXAMPLE)).code == 0
    assert local("list-jobs").json()["Jobs"]
    refused = local("emulator", "reset")  # not a terminal: asks for --yes instead of prompting
    assert refused.code == 252 and "--yes" in refused.err
    done = local("emulator", "reset", "--yes")
    assert done.code == 0 and "removed 1 job" in done.err
    assert local("list-jobs").json() == {"Jobs": []}


def test_file_arguments_are_read_as_aws_reads_them(server, tmp_path):
    job_id = create(server)["JobId"]
    (tmp_path / "name.txt").write_text("Jöhn from a file")
    result = run_cli("get-shipping-label", "--job-ids", f'["{job_id}"]', "--name", f"file://{tmp_path / 'name.txt'}",
                     "--street1", "1 Main", "--city", "Town", "--country", "USA", "--endpoint-url", server.url,
                     "--dry-run")
    assert "name=Jöhn from a file" in result.out and f"jobIds.member.1={job_id}" in result.out


@pytest.mark.parametrize("fmt", ["json", "text", "jsonl", "table"])
def test_a_closed_pipe_ends_quietly_with_0(server, fmt):
    job_id = create(server)["JobId"]  # 300 statuses: far more than a pipe holds, so the write must fail
    env = {**os.environ, "AWS_ACCESS_KEY_ID": TEST_KEY, "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
    done = subprocess.run(f"yes {job_id} | head -300 | '{CLI}' get-status - --output {fmt} --endpoint-url {server.url}"
                          " | head -c 1 >/dev/null; echo \"rc=${PIPESTATUS[2]}\"", shell=True, executable="/bin/bash",
                          capture_output=True, text=True, env=env)
    assert done.stdout == "rc=0\n", (done.stdout, done.stderr)
    assert done.stderr == ""
