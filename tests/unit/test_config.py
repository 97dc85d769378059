"""Settings and the credentials chain: the AWS CLI's order, precedence flag > env > profile > default."""

from __future__ import annotations

import sys

import pytest

from importexport_cli.config import Options, load_settings, read_properties
from importexport_cli.errors import ConfigError, InputError


@pytest.fixture
def files(tmp_path):
    credentials, config = tmp_path / "credentials", tmp_path / "config"
    credentials.write_text("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n"
                           "[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = work-secret\n"
                           "aws_session_token = work-token\n")
    process = tmp_path / "creds.py"
    process.write_text('import json; print(json.dumps({"Version": 1, "AccessKeyId": "AKIDPROC", '
                       '"SecretAccessKey": "proc-secret", "SessionToken": "proc-token"}))')
    config.write_text("[default]\nregion = eu-west-1\noutput = text\n"
                      "[profile work]\nregion = ap-south-1\nendpoint_url = http://work.example:8765\nmax_attempts = 2\n"
                      f"[profile proc]\ncredential_process = {sys.executable} {process}\n"
                      "[profile broken]\ncredential_process = false\n")
    return {"AWS_SHARED_CREDENTIALS_FILE": str(credentials), "AWS_CONFIG_FILE": str(config), "HOME": str(tmp_path)}


def test_environment_keys_win_over_the_default_profile(files):
    env = {**files, "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "t"}
    settings = load_settings(Options(), env)
    assert settings.credentials == ("AKIDENV", "env-secret", "t")
    assert settings.sources["credentials"] == "environment"
    assert (settings.region, settings.output) == ("eu-west-1", "text")


def test_an_explicit_profile_beats_environment_keys(files):
    env = {**files, "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"}
    settings = load_settings(Options(profile="work"), env)
    assert settings.credentials == ("AKIDWORK", "work-secret", "work-token")
    assert settings.endpoint_url == "http://work.example:8765"
    assert (settings.region, settings.max_attempts) == ("ap-south-1", 2)


def test_aws_profile_does_not_disable_environment_keys(files):
    env = {**files, "AWS_PROFILE": "work", "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s"}
    assert load_settings(Options(), env).credentials.access_key == "AKIDENV"
    assert load_settings(Options(), files | {"AWS_PROFILE": "work"}).credentials.access_key == "AKIDWORK"


def test_credential_process(files):
    settings = load_settings(Options(profile="proc"), files)
    assert settings.credentials == ("AKIDPROC", "proc-secret", "proc-token")
    with pytest.raises(ConfigError, match="credential_process of profile broken exited 1"):
        load_settings(Options(profile="broken"), files)


@pytest.mark.parametrize("separator", ["=", ":", " = ", ": "])
def test_java_tool_properties_file(tmp_path, separator):
    path = tmp_path / "AWSCredentials.properties"
    path.write_text(f"# the tool's file\naccessKeyId{separator}AKIDJAVA\nsecretKey{separator}java/secret+=\n")
    assert read_properties(str(path)) == ("AKIDJAVA", "java/secret+=", None)
    settings = load_settings(Options(credentials_file=str(path)), {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y"})
    assert settings.credentials.access_key == "AKIDJAVA"
    path.write_text("accessKeyId=AKIDJAVA\n")
    with pytest.raises(ConfigError, match="must set accessKeyId and secretKey"):
        read_properties(str(path))


def test_precedence_flag_environment_profile_default(files):
    env = {**files, "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"}
    assert load_settings(Options(), env).endpoint_url == "https://importexport.amazonaws.com"
    assert load_settings(Options(), env | {"AWS_PROFILE": "work"}).endpoint_url == "http://work.example:8765"
    env2 = env | {"AWS_PROFILE": "work", "AWS_ENDPOINT_URL": "http://env.example"}
    settings = load_settings(Options(), env2)
    assert (settings.endpoint_url, settings.sources["endpoint_url"]) == ("http://env.example", "AWS_ENDPOINT_URL")
    env3 = env2 | {"IMPORTEXPORT_ENDPOINT_URL": "http://ours.example/"}
    assert load_settings(Options(), env3).endpoint_url == "http://ours.example"
    assert load_settings(Options(endpoint_url="http://flag.example"), env3).endpoint_url == "http://flag.example"
    assert load_settings(Options(region="us-west-2"), env | {"AWS_DEFAULT_REGION": "eu-central-1"}).region == "us-west-2"
    assert load_settings(Options(), env | {"AWS_DEFAULT_REGION": "eu-central-1"}).region == "eu-central-1"
    assert load_settings(Options(), env | {"AWS_DEFAULT_OUTPUT": "yaml"}).output == "yaml"
    assert load_settings(Options(output="json"), env | {"AWS_DEFAULT_OUTPUT": "yaml"}).output == "json"
    assert load_settings(Options(), {"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"},
                         stdout_isatty=True).output == "table"


def test_bad_settings_are_configuration_errors(files):
    env = {**files, "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"}
    with pytest.raises(ConfigError, match="max attempts"):
        load_settings(Options(), env | {"AWS_MAX_ATTEMPTS": "lots"})
    with pytest.raises(ConfigError, match="output 'xml'"):
        load_settings(Options(), env | {"AWS_DEFAULT_OUTPUT": "xml"})
    with pytest.raises(ConfigError, match="CA bundle /nope.pem does not exist"):
        load_settings(Options(), env | {"AWS_CA_BUNDLE": "/nope.pem"})
    with pytest.raises(InputError, match="is not an http"):
        load_settings(Options(endpoint_url="importexport.amazonaws.com"), env)


def test_local_needs_no_credentials_and_help_needs_no_files(files):
    settings = load_settings(Options(endpoint_url="local"), {})
    assert settings.is_local and settings.credentials.access_key == "AKIAIOSFODNN7EXAMPLE"
    assert load_settings(Options(), {}, need_credentials=False).credentials is None


def test_config_list_masks_secrets(files, monkeypatch):
    from ..conftest import invoke

    for key, value in files.items():
        monkeypatch.setenv(key, value)
    result = invoke("--profile", "work", "config", "list")
    assert result.code == 0
    assert "work-secret" not in result.out and "work-token" not in result.out
    assert "AKIDWORK" in result.out and "************cret" in result.out
    assert "http://work.example:8765" in result.out and "profile work" in result.out


def test_help_reads_no_file_and_runs_no_credential_process(tmp_path, monkeypatch):
    from ..conftest import invoke

    marker = tmp_path / "ran"
    config = tmp_path / "config"
    config.write_text(f"[default]\ncredential_process = {sys.executable} -c \"open('{marker}', 'w')\"\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    for args in (["--help"], ["get-status", "--help"], ["create-job", "--help"], ["config", "--help"]):
        assert invoke(*args).code == 0
    assert not marker.exists()
    invoke("get-status", "ABCDE", "--max-attempts", "1", "--endpoint-url", "http://127.0.0.1:9")
    assert marker.exists()  # the check above can fail: a real command does run it


def test_every_setting_says_where_it_came_from(files):
    env = {**files, "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"}
    defaults = load_settings(Options(), env)
    assert {k: defaults.sources[k] for k in ("signature_version", "connect_timeout", "read_timeout", "verify",
                                              "color", "endpoint_url")} == dict.fromkeys(
        ("signature_version", "connect_timeout", "read_timeout", "verify", "color", "endpoint_url"), "default")
    assert defaults.sources["region"] == "profile default"
    given = load_settings(Options(signature_version="v2", read_timeout=5.0, no_verify_ssl=True), env)
    assert (given.signature_version, given.read_timeout, given.verify) == ("v2", 5.0, False)
    assert (given.sources["signature_version"], given.sources["read_timeout"], given.sources["verify"]) == (
        "--signature-version", "--read-timeout", "--no-verify-ssl")


def test_config_list_is_data_for_pipelines(files, monkeypatch):
    import json

    from ..conftest import invoke

    for key, value in files.items():
        monkeypatch.setenv(key, value)
    rows = {r["Name"]: r for r in json.loads(invoke("--profile", "work", "config", "list", "--signature-version",
                                                    "v2").out)}
    assert rows["signature_version"] == {"Name": "signature_version", "Value": "v2", "Source": "--signature-version"}
    assert rows["region"]["Source"] == "profile work" and rows["secret_key"]["Value"].endswith("cret")
    monkeypatch.delenv("AWS_SHARED_CREDENTIALS_FILE")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    missing = json.loads(invoke("config", "list").out)
    assert missing[-1]["Name"] == "credentials" and "no credentials found" in missing[-1]["Source"]
