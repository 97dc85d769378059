"""Bad input on the command line: a clear one-line message, exit 252 (253 for configuration), and
nothing sent (the respx router sees no request) and nothing written."""

from __future__ import annotations

import pytest
import respx

from ..conftest import EXAMPLE, TEST_KEY, TEST_SECRET, invoke, manifest_text


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """AWS-like settings; any request at all would be recorded (and fail the test)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", TEST_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", TEST_SECRET)
    with respx.mock(assert_all_called=False) as router:
        route = router.route()
        yield tmp_path
        assert route.call_count == 0, "a request was sent"


def check(args, code, *needles, input=None):
    result = invoke(*args, input=input)
    assert result.code == code, (result.out, result.err)
    for needle in needles:
        assert needle in result.err, result.err
    assert "Traceback" not in result.err
    return result


def write(path, data: bytes):
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("args, needle", [
    (["frobnicate"], "No such command 'frobnicate'"),
    (["get-status", "--frob"], "No such option '--frob'"),
    (["create-job", "--job-type", "Sideways", "--manifest", "x.yaml"], "'Sideways' is not a job type; use one of Import, Export"),
    (["create-job", "--job-type", "Import"], "missing --manifest"),
    (["create-job", "--manifest", str(EXAMPLE)], "missing --job-type"),
    (["list-jobs", "--max-jobs", "1001"], "1001 is not in the range 0<=x<=1000"),
    (["list-jobs", "--max-jobs", "-1"], "-1 is not in the range"),
    (["list-jobs", "--page-size", "5000"], "5000 is not in the range"),
    (["list-jobs", "--max-jobs", "2", "--page-size", "2"], "cannot be combined with --page-size"),
    (["list-jobs", "--no-paginate", "--max-items", "2"], "--no-paginate makes one raw call"),
    (["list-jobs", "--starting-token", "not-a-token"], "is not a token that list-jobs printed"),
    (["list-jobs", "--since", "last tuesday"], "is not an ISO 8601 date"),
    (["get-status", ""], "a job id cannot be empty"),
    (["get-status", "   "], "a job id cannot be empty"),
    (["get-status"], "give at least one JOB_ID"),
    (["get-status", "ABCDE", "--query", "Jobs[?"], "is not valid JMESPath"),
    (["get-status", "ABCDE", "--output", "xml"], "'xml' is not one of"),
    (["--endpoint-url", "not a url", "get-status", "ABCDE"], "is not an http:// or https:// URL"),
    (["get-status", "ABCDE", "--endpoint-url", "ftp://x"], "is not an http:// or https:// URL"),
    (["get-status", "ABCDE", "--cli-input-json", "{bad"], "--cli-input-json is not valid JSON"),
    (["get-status", "--cli-input-json", '{"JobId": "A", "Nope": 1}'], "unknown parameter 'Nope'"),
    (["get-status", "A", "B", "--signature-dir", "."], "--signature-dir takes exactly one JOB_ID"),
    (["get-shipping-label"], "give at least one JOB_ID"),
    (["get-shipping-label", "--job-ids", "[1, 2]"], "must be a JSON list of job ids"),
    (["get-shipping-label", "--cli-input-json", '{"jobIds": [" "]}'], "a job id cannot be empty"),
    (["get-shipping-label", "ABCDE", "--download", "/no/such/dir/label.pdf"], "the folder '/no/such/dir' does not exist"),
    (["get-shipping-label", "ABCDE", "--name", "file:///no/name.txt"], "--name: file /no/name.txt does not exist"),
    (["get-shipping-label", "ABCDE", "--phone-number", "file:///no/p"], "--phone-number: file /no/p does not exist"),
    (["wait", "ABCDE", "--until", "Finished"], "'Finished' is not a status code; use one of NotReceived"),
    (["manifest", "template", "--job-type", "Export", "--kind", "ebs"], "exports are from S3"),
    (["emulator", "serve", "--faults", "explode:0.5"], "unknown fault 'explode'"),
    (["emulator", "serve", "--faults", "500:2"], "is not between 0 and 1"),
])
def test_usage_errors_exit_252_and_send_nothing(offline, args, needle):
    check(args, 252, needle)


def test_ids_read_from_stdin_are_checked_too(offline):
    check(["get-status", "-"], 252, "'has space' is not a job id", input="ABCDE\nhas space\n")


def test_manifest_path_that_does_not_exist(offline):
    check(["create-job", "--job-type", "Import", "--manifest", "missing/manifest.yaml"], 252,
          "missing/manifest.yaml does not exist")
    check(["create-job", "--job-type", "Import", "--manifest", "file:///nope.yaml"], 252, "/nope.yaml does not exist")


def test_manifest_that_is_not_utf8(offline):
    path = write(offline / "m.yaml", b"manifestVersion: 2.0\ndeviceId: caf\xe9\n")
    check(["create-job", "--job-type", "Import", "--manifest", path], 252, "not valid UTF-8 (byte 0xe9 at offset 34)")


def test_manifest_urls_are_never_fetched(offline):
    check(["create-job", "--job-type", "Import", "--manifest", "https://example.com/m.yaml"], 252,
          "never fetches manifests")


def test_an_invalid_manifest_lists_every_problem_and_sends_nothing(offline):
    bad = manifest_text(bucket="'my bucket!'", eraseDevice="maybe", deviceId=None)
    path = write(offline / "bad.yaml", bad.encode())
    result = check(["create-job", "--job-type", "Import", "--manifest", path], 252, "nothing was sent")
    assert f"{path}:" in result.err
    assert "eraseDevice: must be yes or no, not 'maybe' (InvalidManifestFieldException)" in result.err
    assert "deviceId: is required (MissingManifestFieldException)" in result.err
    assert "'my bucket!' is not a valid bucket name" in result.err


def test_unparseable_inline_manifest_is_refused_with_its_line(offline):
    check(["update-job", "ABCDE", "--job-type", "Import", "--manifest", "a: [1, 2\nb: c"], 252,
          "MalformedManifestException")


def test_signature_dir_problems_are_found_before_sending(offline):
    check(["create-job", "--job-type", "Import", "--manifest", str(EXAMPLE), "--signature-dir", "/no/such/dir"],
          252, "signature directory /no/such/dir does not exist")
    check(["create-job", "--job-type", "Import", "--manifest", str(EXAMPLE), "--signature-dir", "/proc/self"],
          252, "is not writable")
    device = offline / "device"
    device.mkdir()
    (device / "SIGNATURE").write_text("version:2.0\njobId:OTHER\n")
    check(["create-job", "--job-type", "Import", "--manifest", str(EXAMPLE), "--signature-dir", str(device)],
          252, "already exists with other contents; use --force")
    assert (device / "SIGNATURE").read_text() == "version:2.0\njobId:OTHER\n"
    assert sorted(p.name for p in device.iterdir()) == ["SIGNATURE"]


def test_no_credentials_names_every_place_looked(offline, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    result = check(["get-status", "ABCDE"], 253, "no credentials found", "AWS_ACCESS_KEY_ID",
                   ".aws/credentials [default]", ".aws/config [default]", "--credentials-file")
    assert "--endpoint-url local" in result.err


def test_unsupported_credential_sources_are_named(offline, monkeypatch):
    config = offline / "config"
    config.write_text("[profile work]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n"
                      "[profile sso]\nsso_session = corp\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    check(["--profile", "work", "get-status", "ABCDE"], 253, "assuming a role (role_arn)")
    check(["get-status", "ABCDE", "--profile", "sso"], 253, "IAM Identity Center (sso_session)")
    check(["get-status", "ABCDE", "--profile", "absent"], 253, "profile 'absent' could not be found")


def test_local_is_refused_from_aws_variables(offline, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "local")
    check(["get-status", "ABCDE"], 253, "AWS_ENDPOINT_URL says `local`")


@pytest.mark.parametrize("args", [["get-status", "ABCDE", "--dry-run"], ["--dry-run", "list-jobs"]])
def test_dry_run_prints_the_request_and_sends_nothing(offline, args):
    result = invoke(*args)
    assert result.code == 0
    assert result.out.startswith("POST https://importexport.amazonaws.com/")
    assert "Signature=****" in result.out and TEST_SECRET not in result.out


def test_a_failed_signature_write_still_prints_the_job_and_says_how_to_retry(local, tmp_path, monkeypatch):
    import errno
    import os

    from importexport_cli import signature_file

    device = tmp_path / "device"
    device.mkdir()

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(signature_file.os, "replace", full)
    result = local("create-job", "--job-type", "Import", "--manifest", str(EXAMPLE), "--signature-dir", str(device))
    assert result.code == 255
    job_id = result.json()["JobId"]  # the result was printed all the same
    assert f"job {job_id} exists, but its SIGNATURE could not be written" in result.err
    assert f"importexport get-status {job_id} --signature-dir {device}" in result.err
    assert os.listdir(device) == []  # no partial or temporary file left


def test_a_bad_emulator_stage_setting_is_a_configuration_error(local, monkeypatch):
    monkeypatch.setenv("IMPORTEXPORT_EMULATOR_STAGE_SECONDS", "soon")
    result = local("list-jobs")
    assert result.code == 253 and "IMPORTEXPORT_EMULATOR_STAGE_SECONDS must be a number of seconds" in result.err
