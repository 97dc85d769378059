"""The drop-in promise, checked against the AWS CLI itself and boto3 on a real `emulator serve`:
the same parameters on the wire and the same bytes on stdout for --output json and text."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys

import boto3
import pytest
from botocore.config import Config

from ..conftest import EXAMPLE, TEST_KEY, TEST_SECRET, run_cli

AWS = shutil.which("aws") or os.path.join(os.path.dirname(sys.executable), "aws")
pytestmark = pytest.mark.e2e


def aws(*args, input=None):
    env = {**os.environ, "AWS_ACCESS_KEY_ID": TEST_KEY, "AWS_SECRET_ACCESS_KEY": TEST_SECRET,
           "AWS_DEFAULT_REGION": "us-east-1"}
    done = subprocess.run([AWS, "importexport", *map(str, args)], capture_output=True, env=env, input=input,
                          timeout=60)
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def both(server, *args):
    """Run the same command line with aws and with importexport; return both stdouts."""
    code_a, out_a, err_a = aws(*args, "--endpoint-url", server.url)
    ours = run_cli(*args, "--endpoint-url", server.url)
    assert code_a == 0, err_a
    assert ours.code == 0, ours.err
    return out_a, ours.out


@pytest.fixture(scope="module")
def jobs(server):
    """Five jobs created with the AWS CLI, newest first."""
    ids = []
    for _ in range(5):
        code, out, err = aws("create-job", "--job-type", "Import", "--manifest", f"file://{EXAMPLE}",
                             "--no-validate-only", "--endpoint-url", server.url)
        assert code == 0, err
        ids.append(json.loads(out)["JobId"])
    return ids[::-1]


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_get_status_same_bytes(server, jobs, fmt):
    theirs, ours = both(server, "get-status", "--job-id", jobs[0], "--output", fmt)
    assert ours == theirs


@pytest.mark.parametrize("query", ["SignatureFileContents", "[JobId, ProgressCode]", "CurrentManifest"])
def test_query_text_writes_values_raw(server, jobs, query):
    theirs, ours = both(server, "get-status", "--job-id", jobs[0], "--query", query, "--output", "text")
    assert ours == theirs


@pytest.mark.parametrize("args", [
    [], ["--max-items", "2"], ["--page-size", "2"], ["--page-size", "2", "--max-items", "3"],
    ["--max-items", "1", "--page-size", "3"], ["--max-jobs", "2"], ["--no-paginate"], ["--max-items", "2", "--page-size", "2"],
])
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_list_jobs_same_bytes(server, jobs, args, fmt):
    theirs, ours = both(server, "list-jobs", *args, "--output", fmt)
    assert ours == theirs


def test_next_tokens_work_across_tools(server, jobs):
    _, out, _ = aws("list-jobs", "--max-items", "2", "--page-size", "3", "--endpoint-url", server.url)
    token = json.loads(out)["NextToken"]
    assert json.loads(base64.b64decode(token)) == {"Marker": None, "boto_truncate_amount": 2}
    theirs, ours = both(server, "list-jobs", "--starting-token", token, "--max-items", "2", "--page-size", "3")
    assert ours == theirs
    ours_token = json.loads(ours)["NextToken"]
    code, out, err = aws("list-jobs", "--starting-token", ours_token, "--endpoint-url", server.url)
    assert code == 0, err
    assert json.loads(out)["Jobs"] == json.loads(run_cli("list-jobs", "--starting-token", ours_token,
                                                          "--endpoint-url", server.url).out)["Jobs"]


@pytest.mark.parametrize("command", [
    ["create-job", "--job-type", "Import", "--manifest", f"file://{EXAMPLE}", "--validate-only"],
    ["update-job", "--job-id", "{job}", "--job-type", "Import", "--manifest", f"file://{EXAMPLE}", "--validate-only"],
    ["get-shipping-label", "--job-ids", "{job}", "{job2}", "--name", "Jöhn", "--street1", "1 Main",
     "--city", "Town", "--country", "USA", "--postal-code", "02134"],
])
def test_other_operations_same_shape(server, jobs, command):
    args = [a.replace("{job}", jobs[0]).replace("{job2}", jobs[1]) for a in command]
    theirs, ours = both(server, *args)
    if "get-shipping-label" in args:  # the URL carries a fresh token each time
        assert json.loads(theirs).keys() == json.loads(ours).keys()
    else:
        assert ours == theirs


@pytest.mark.parametrize("operation", ["create-job", "get-shipping-label", "list-jobs", "update-job"])
def test_generate_cli_skeleton_same_bytes(operation):
    code, theirs, _ = aws(operation, "--generate-cli-skeleton")
    assert code == 0
    ours = run_cli(operation, "--generate-cli-skeleton").out
    # botocore fills an enum with random.choice, so aws prints Import or Export at random
    for job_type in ("Import", "Export"):
        theirs = theirs.replace(f'"JobType": "{job_type}"', '"JobType": "?"')
    assert ours.replace('"JobType": "Import"', '"JobType": "?"') == theirs


def test_cli_input_json_same_request(server, jobs):
    document = json.dumps({"JobId": jobs[1]})
    theirs, ours = both(server, "get-status", "--cli-input-json", document)
    assert ours == theirs


def test_cancel_job_and_errors_match(server, jobs):
    code, theirs, err = aws("cancel-job", "--job-id", jobs[-1], "--endpoint-url", server.url)
    assert (code, json.loads(theirs)) == (0, {"Success": True}), err
    # cancelling again: both tools see CanceledJobIdException; ours exits 254, aws 254 or 255
    code_a, _, err_a = aws("cancel-job", "--job-id", jobs[-1], "--endpoint-url", server.url)
    mine = run_cli("cancel-job", jobs[-1], "--endpoint-url", server.url)
    assert "CanceledJobIdException" in err_a and "CanceledJobIdException" in mine.err
    assert mine.code == 254 and code_a != 0


def test_boto3_runs_a_whole_lifecycle(server):
    client = boto3.client("importexport", endpoint_url=server.url, region_name="eu-west-1",
                          aws_access_key_id=TEST_KEY, aws_secret_access_key=TEST_SECRET,
                          config=Config(retries={"max_attempts": 1}))
    created = client.create_job(JobType="Import", Manifest=EXAMPLE.read_text(), ValidateOnly=False)
    status = client.get_status(JobId=created["JobId"])
    assert status["SignatureFileContents"] == created["SignatureFileContents"]
    assert status["ProgressCode"] == "Pending"
    pages = client.get_paginator("list_jobs").paginate(PaginationConfig={"PageSize": 2})
    listed = [j["JobId"] for page in pages for j in page["Jobs"]]
    assert created["JobId"] in listed and len(listed) == len(set(listed))
    assert client.update_job(JobId=created["JobId"], JobType="Import", Manifest=EXAMPLE.read_text(),
                             ValidateOnly=False)["Success"]
    label = client.get_shipping_label(jobIds=[created["JobId"]])
    assert label["ShippingLabelURL"].startswith(server.url + "/labels/")
    assert client.cancel_job(JobId=created["JobId"])["Success"]
    with pytest.raises(client.exceptions.CanceledJobIdException):
        client.cancel_job(JobId=created["JobId"])
    with pytest.raises(client.exceptions.InvalidJobIdException):
        client.get_status(JobId="ZZZZZ")


def test_boto3_signed_v2_is_accepted(server):
    client = boto3.client("importexport", endpoint_url=server.url, region_name="us-east-1",
                          aws_access_key_id=TEST_KEY, aws_secret_access_key=TEST_SECRET)
    client.meta.events.register_first("choose-signer.importexport", lambda **kw: "v2")
    assert "Jobs" in client.list_jobs(MaxJobs=1)


def test_wrong_keys_are_refused(server):
    client = boto3.client("importexport", endpoint_url=server.url, region_name="us-east-1",
                          aws_access_key_id=TEST_KEY, aws_secret_access_key="wrong",
                          config=Config(retries={"max_attempts": 1}))
    with pytest.raises(client.exceptions.ClientError) as caught:
        client.list_jobs()
    assert caught.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
