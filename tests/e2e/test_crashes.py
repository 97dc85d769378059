"""Crashes and interruptions: the SIGNATURE file under kill -9, Ctrl-C, and secrets in every output."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from ..conftest import CLI, EXAMPLE, TEST_KEY, manifest_text, run_cli

pytestmark = pytest.mark.e2e

WRITER = """
import sys
from importexport_cli import signature_file
directory, a, b = sys.argv[1], "A" * 300_000 + "\\n", "B" * 300_000 + "\\n"
print("ready", flush=True)
while True:
    for contents in (a, b):
        signature_file.write(signature_file.check_dir(directory, force=True), contents)
"""


def test_signature_under_kill_9_is_absent_old_or_complete_never_partial(tmp_path):
    rng = random.Random(1)
    device = tmp_path / "device"
    device.mkdir()
    whole = {"A" * 300_000 + "\n", "B" * 300_000 + "\n"}
    for _ in range(40):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(device)], stdout=subprocess.PIPE)
        writer.stdout.readline()
        time.sleep(rng.uniform(0, 0.05))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        signature = device / "SIGNATURE"
        if signature.exists():
            assert signature.read_text() in whole, "a partial SIGNATURE"
    # after a normal run no temporary file is left (a stale one from a crash is removed first)
    from importexport_cli import signature_file

    signature_file.write(signature_file.check_dir(str(device), force=True), "version:2.0\n")
    assert sorted(p.name for p in device.iterdir()) == ["SIGNATURE"]


def test_ctrl_c_exits_130_and_leaves_nothing_half_written(server_factory, tmp_path):
    srv = server_factory("--faults", "slow:1.0", "--workers", "1")
    env = {**os.environ, "AWS_ACCESS_KEY_ID": TEST_KEY, "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    target = downloads / "label.pdf"
    process = subprocess.Popen([CLI, "get-shipping-label", "ABCDE", "--download", str(target),
                                "--endpoint-url", srv.url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 130, err
    assert b"interrupted" in err and b"Traceback" not in err
    assert list(downloads.iterdir()) == []


def test_wait_is_interruptible(server):
    job = run_cli("create-job", "--job-type", "Import", "--manifest", EXAMPLE, "--endpoint-url", server.url).json()
    env = {**os.environ, "AWS_ACCESS_KEY_ID": TEST_KEY, "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
    process = subprocess.Popen([CLI, "wait", job["JobId"], "--until", "Complete", "--interval", "5",
                                "--endpoint-url", server.url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 130 and b"Traceback" not in err


def test_no_output_ever_shows_a_secret(server, tmp_path):
    secret, token, password, pin = "s3cr3t/KEY+with=chars", "SESSIONTOKEN123", "hunter2-truecrypt", "98765"
    manifest = tmp_path / "export.yaml"
    manifest.write_text(manifest_text(accessKeyId=None).replace("bucket: my-bucket\n", "")
                        .replace("eraseDevice: yes\n", "") + f"fileSystem: NTFS\nlogBucket: logs\n"
                        f"trueCryptPassword: {password}\npinCode: '{pin}'\noperations:\n  - exportBucket: data\n")
    accounts = tmp_path / "accounts.json"
    accounts.write_text(f'[{{"access_key_id": "AKIDSECRETTEST", "secret_access_key": "{secret}"}}]')
    from ..conftest import start_server

    srv = start_server(tmp_path / "db.sqlite3", "--accounts", str(accounts), "--stage-seconds", "0")
    env = {"AWS_ACCESS_KEY_ID": "AKIDSECRETTEST", "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token}
    try:
        created = run_cli("create-job", "--job-type", "Export", "--manifest", manifest, "--endpoint-url", srv.url,
                          "--debug", env=env)
        assert created.code == 0, created.err
        job_id = created.json()["JobId"]
        outputs = [created.out + created.err]
        for args in (["get-status", job_id, "--debug", "--output", "table"],
                     ["get-status", job_id, "--output", "yaml"],
                     ["get-status", job_id, "--dry-run"],
                     ["list-jobs", "--debug", "--output", "text"],
                     ["create-job", "--job-type", "Export", "--manifest", manifest, "--dry-run"],
                     ["config", "list"],
                     ["get-status", "ZZZZZ", "--debug"],
                     ["cancel-job", job_id, "--debug", "--signature-version", "v2"]):
            result = run_cli(*args, "--endpoint-url", srv.url, env=env)
            outputs.append(result.out + result.err)
            for text in (result.out, result.err):
                assert secret not in text and token not in text, args
                if args[-1] != "yaml":  # json/text/yaml print the manifest as the service returned it
                    assert password not in text and f"'{pin}'" not in text, args
        assert any("Signature=****" in o for o in outputs)
    finally:
        srv.stop()
