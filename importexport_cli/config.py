"""Profiles, environment and the credentials chain -> one frozen Settings value.

Precedence for every setting: flag > environment > profile > default.  Credentials follow the AWS CLI:
an explicit --profile uses that profile only; otherwise the environment, then the profile
(AWS_PROFILE or `default`) in the shared credentials file, then in the config file (including
`credential_process`).  `--credentials-file` names the original Java tool's AWSCredentials.properties.
Nothing here runs until a command needs it, so `--help` reads no file.
"""

from __future__ import annotations

import json
import os
from typing import NamedTuple
from urllib.parse import urlsplit

from .errors import ConfigError, InputError
from .service import GLOBAL_ENDPOINT
from .wire.sigv4 import Credentials

LOCAL = "local"
# The emulator's built-in test account (AWS's documentation example keys).
TEST_ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
TEST_SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
OUTPUTS = ("table", "json", "jsonl", "text", "yaml")
ENDPOINT_VARIABLES = ("IMPORTEXPORT_ENDPOINT_URL", "AWS_ENDPOINT_URL_IMPORTEXPORT", "AWS_ENDPOINT_URL")
UNSUPPORTED_SOURCES = {
    "role_arn": "assuming a role (role_arn)",
    "sso_session": "IAM Identity Center (sso_session)",
    "sso_start_url": "IAM Identity Center (sso_start_url)",
    "web_identity_token_file": "web identity (web_identity_token_file)",
    "credential_source": "instance or container metadata (credential_source)",
}


class Options(NamedTuple):
    """What the command line said (None = not given)."""

    endpoint_url: str | None = None
    profile: str | None = None
    region: str | None = None
    output: str | None = None
    query: str | None = None
    signature_version: str | None = None
    debug: bool = False
    dry_run: bool = False
    no_verify_ssl: bool = False
    ca_bundle: str | None = None
    connect_timeout: float | None = None
    read_timeout: float | None = None
    max_attempts: int | None = None
    color: str | None = None
    credentials_file: str | None = None


class Settings(NamedTuple):
    endpoint_url: str
    region: str
    output: str
    query: str | None = None
    profile: str = "default"
    signature_version: str = "v4"
    debug: bool = False
    dry_run: bool = False
    verify: bool | str = True
    connect_timeout: float = 60.0
    read_timeout: float = 60.0
    max_attempts: int = 5
    color: str = "auto"
    credentials: Credentials | None = None
    sources: dict = {}  # setting -> where it came from; always given by load_settings

    @property
    def is_local(self) -> bool:
        return self.endpoint_url == LOCAL

    @property
    def is_aws_endpoint(self) -> bool:
        return self.endpoint_url == GLOBAL_ENDPOINT


def _home_path(environ, variable: str, default: str) -> str:
    return os.path.expanduser(environ.get(variable) or default)


def _read_ini(path: str) -> dict[str, dict[str, str]]:
    """An ini file's sections, {} when there is no file (configparser is imported only for a file)."""
    if not os.path.isfile(path):
        return {}
    import configparser

    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    return {name: dict(parser[name]) for name in parser.sections()}


class Profiles:
    """The shared credentials and config files, read once, on first use."""

    def __init__(self, environ):
        self.credentials_path = _home_path(environ, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials")
        self.config_path = _home_path(environ, "AWS_CONFIG_FILE", "~/.aws/config")
        self._credentials = None
        self._config = None

    def credentials_section(self, name: str) -> dict:
        if self._credentials is None:
            self._credentials = _read_ini(self.credentials_path)
        return self._credentials.get(name, {})

    def config_section(self, name: str) -> dict:
        if self._config is None:
            self._config = _read_ini(self.config_path)
        section = name if name == "default" else f"profile {name}"
        return self._config.get(section) or self._config.get(name) or {}

    def exists(self, name: str) -> bool:
        return bool(self.credentials_section(name) or self.config_section(name))


def read_properties(path: str) -> Credentials:
    """The Java tool's AWSCredentials.properties: accessKeyId and secretKey, `=` or `:`."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read credentials file {path}: {exc}") from None
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#!":
            continue
        cut = min((i for i in (line.find("="), line.find(":")) if i >= 0), default=-1)
        if cut > 0:
            values[line[:cut].strip()] = line[cut + 1:].strip()
    if not values.get("accessKeyId") or not values.get("secretKey"):
        raise ConfigError(f"credentials file {path} must set accessKeyId and secretKey")
    return Credentials(values["accessKeyId"], values["secretKey"])


def _run_credential_process(command: str, profile: str) -> Credentials:
    import shlex
    import subprocess

    try:
        done = subprocess.run(shlex.split(command), capture_output=True, timeout=60, check=False)
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise ConfigError(f"credential_process of profile {profile} failed: {exc}") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()[:200]
        raise ConfigError(f"credential_process of profile {profile} exited {done.returncode}: {detail}")
    try:
        data = json.loads(done.stdout)
        if data.get("Version") != 1:
            raise ValueError("Version must be 1")
        return Credentials(data["AccessKeyId"], data["SecretAccessKey"], data.get("SessionToken"))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"credential_process of profile {profile} printed no usable credentials "
                          f"({exc})") from None


def _from_profile(profiles: Profiles, name: str) -> tuple[Credentials | None, str]:
    for section, where in ((profiles.credentials_section(name), profiles.credentials_path),
                           (profiles.config_section(name), profiles.config_path)):
        if section.get("aws_access_key_id") and section.get("aws_secret_access_key"):
            return (Credentials(section["aws_access_key_id"], section["aws_secret_access_key"],
                                section.get("aws_session_token")), f"{where} [{name}]")
    config = profiles.config_section(name)
    if config.get("credential_process"):
        return (_run_credential_process(config["credential_process"], name),
                f"credential_process of profile {name}")
    for key, what in UNSUPPORTED_SOURCES.items():
        if key in config or key in profiles.credentials_section(name):
            raise ConfigError(f"profile {name} gets its credentials by {what}, which importexport does "
                              "not support; use access keys, a credential_process, or the "
                              "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY variables")
    return None, ""


def resolve_credentials(options: Options, environ, profiles: Profiles,
                        profile: str) -> tuple[Credentials, str]:
    if options.credentials_file:
        return read_properties(options.credentials_file), f"--credentials-file {options.credentials_file}"
    looked = []
    if options.profile is None:
        key, secret = environ.get("AWS_ACCESS_KEY_ID"), environ.get("AWS_SECRET_ACCESS_KEY")
        if key and secret:
            return Credentials(key, secret, environ.get("AWS_SESSION_TOKEN")), "environment"
        looked.append("the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)")
    credentials, where = _from_profile(profiles, profile)
    if credentials:
        return credentials, where
    looked += [f"{profiles.credentials_path} [{profile}]",
               f"{profiles.config_path} [{'default' if profile == 'default' else 'profile ' + profile}]"
               " (keys and credential_process)",
               "--credentials-file (not given)"]
    raise ConfigError("no credentials found; looked at " + ", ".join(looked),
                      hint="set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run `aws configure`, "
                      "or use --endpoint-url local for the embedded emulator")


def check_endpoint(url: str, where: str) -> str:
    if url == LOCAL:
        return url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{where}: {url!r} is not an http:// or https:// URL (or `local`)")
    try:
        parts.port
    except ValueError:
        raise InputError(f"{where}: {url!r} has an invalid port") from None
    return url.rstrip("/")


def _pick(sources: dict, name: str, candidates, default=None) -> object:
    """The first (value, where) whose value is set, else the default; records where it came from."""
    for value, where in candidates:
        if value not in (None, ""):
            sources[name] = where
            return value
    sources[name] = "default"
    return default


def load_settings(options: Options, environ=None, *, stdout_isatty: bool = False,
                  need_credentials: bool = True) -> Settings:
    environ = os.environ if environ is None else environ
    profiles = Profiles(environ)
    sources: dict[str, str] = {}
    profile = _pick(sources, "profile", [(options.profile, "--profile"),
                                         (environ.get("AWS_PROFILE"), "AWS_PROFILE")], "default")
    if options.profile and not profiles.exists(options.profile) and not options.credentials_file:
        raise ConfigError(f"the profile {options.profile!r} could not be found in "
                          f"{profiles.credentials_path} or {profiles.config_path}")
    conf = profiles.config_section(profile)
    here = f"profile {profile}"

    endpoint = _pick(sources, "endpoint_url", [(options.endpoint_url, "--endpoint-url")]
                     + [(environ.get(v), v) for v in ENDPOINT_VARIABLES]
                     + [(conf.get("endpoint_url"), here)], GLOBAL_ENDPOINT)
    if endpoint == LOCAL and sources["endpoint_url"] not in ("--endpoint-url", "IMPORTEXPORT_ENDPOINT_URL"):
        raise ConfigError(f"{sources['endpoint_url']} says `local`, which only --endpoint-url and "
                          "IMPORTEXPORT_ENDPOINT_URL may say")
    endpoint = check_endpoint(endpoint, sources["endpoint_url"])

    region = _pick(sources, "region", [(options.region, "--region"),
                                       (environ.get("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION"),
                                       (environ.get("AWS_REGION"), "AWS_REGION"),
                                       (conf.get("region"), here)], "us-east-1")

    output = _pick(sources, "output", [(options.output, "--output"),
                                       (environ.get("AWS_DEFAULT_OUTPUT"), "AWS_DEFAULT_OUTPUT"),
                                       (conf.get("output"), here)], "table" if stdout_isatty else "json")
    if output not in OUTPUTS:
        raise ConfigError(f"{sources['output']}: output {output!r} is not one of {', '.join(OUTPUTS)}")

    attempts = _pick(sources, "max_attempts", [(options.max_attempts, "--max-attempts"),
                                               (environ.get("AWS_MAX_ATTEMPTS"), "AWS_MAX_ATTEMPTS"),
                                               (conf.get("max_attempts"), here)], 5)
    try:
        attempts = int(attempts)
        if attempts < 1:
            raise ValueError
    except ValueError:
        raise ConfigError(f"{sources['max_attempts']}: max attempts must be a whole number >= 1, "
                          f"not {attempts!r}") from None

    verify = _pick(sources, "verify", [(False if options.no_verify_ssl else None, "--no-verify-ssl"),
                                       (options.ca_bundle, "--ca-bundle"),
                                       (environ.get("AWS_CA_BUNDLE"), "AWS_CA_BUNDLE"),
                                       (conf.get("ca_bundle"), here)], True)
    if isinstance(verify, str):
        bundle, verify = verify, os.path.expanduser(verify)
        if not os.path.isfile(verify):
            raise ConfigError(f"{sources['verify']}: CA bundle {bundle} does not exist")
    flag_only = {  # settings only a flag sets: name -> (flag, default)
        "signature_version": ("--signature-version", "v4"), "connect_timeout": ("--connect-timeout", 60.0),
        "read_timeout": ("--read-timeout", 60.0), "color": ("--color", "auto")}
    chosen = {name: _pick(sources, name, [(getattr(options, name), flag)], default)
              for name, (flag, default) in flag_only.items()}

    credentials = None
    sources["credentials"] = "not resolved"
    if endpoint == LOCAL:
        credentials = Credentials(TEST_ACCESS_KEY, TEST_SECRET_KEY)
        sources["credentials"] = "the emulator's test account"
    elif need_credentials:
        credentials, sources["credentials"] = resolve_credentials(options, environ, profiles, profile)

    return Settings(endpoint_url=endpoint, region=region, output=output, query=options.query, profile=profile,
                    debug=options.debug, dry_run=options.dry_run, verify=verify, max_attempts=attempts,
                    credentials=credentials, sources=sources, **chosen)
