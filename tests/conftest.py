"""Shared fixtures: an isolated environment for every test, a real `emulator serve` on a free loopback
port, and helpers that run the installed CLI as a subprocess or in process."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "s3-import.yaml"
TEST_KEY = "AKIAIOSFODNN7EXAMPLE"
TEST_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
CLI = shutil.which("importexport") or str(Path(sys.executable).parent / "importexport")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No real ~/.aws, no AWS_* variables, temporary data and cache directories."""
    for name in list(os.environ):
        if name.startswith(("AWS_", "IMPORTEXPORT_")) or name in ("HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY",
                                                                 "https_proxy", "http_proxy", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("IMPORTEXPORT_EMULATOR_DB", str(tmp_path / "emulator.sqlite3"))
    monkeypatch.setenv("IMPORTEXPORT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    port: int
    db: Path
    process: subprocess.Popen

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(db: Path, *args: str, port: int | None = None, env=None) -> Server:
    port = port or free_port()
    process = subprocess.Popen([CLI, "emulator", "serve", "--port", str(port), "--db", str(db), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env or os.environ.copy(),
                               start_new_session=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"emulator exited: {process.stderr.read().decode()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return Server(f"http://127.0.0.1:{port}", port, db, process)
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("emulator did not start")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """One `emulator serve` for the session, jobs held at their first stage."""
    db = tmp_path_factory.mktemp("server") / "emulator.sqlite3"
    srv = start_server(db, "--stage-seconds", "0")
    yield srv
    srv.stop()


@pytest.fixture
def server_factory(tmp_path):
    started = []

    def make(*args, db=None, port=None):
        srv = start_server(db or tmp_path / f"emu{len(started)}.sqlite3", *args, port=port)
        started.append(srv)
        return srv

    yield make
    for srv in started:
        srv.stop()


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def run_cli(*args, input: str | bytes | None = None, env: dict | None = None, timeout=60) -> Result:
    """The installed `importexport` as a subprocess."""
    full_env = {**os.environ, "AWS_ACCESS_KEY_ID": TEST_KEY, "AWS_SECRET_ACCESS_KEY": TEST_SECRET,
                **(env or {})}
    full_env = {k: v for k, v in full_env.items() if v is not None}
    data = input.encode() if isinstance(input, str) else input
    done = subprocess.run([CLI, *map(str, args)], input=data, capture_output=True, env=full_env,
                          timeout=timeout)
    return Result(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))


def invoke(*args, input: str | None = None) -> Result:
    """The CLI in this process (fast), through the same entry point the console script uses."""
    from importexport_cli.cli import run

    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO((input or "").encode()), encoding="utf-8")
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = run([str(a) for a in args])
            except SystemExit as exc:
                code = exc.code or 0
    finally:
        sys.stdin = old_stdin
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def local(monkeypatch):
    """In-process runs against the embedded emulator."""
    monkeypatch.setenv("IMPORTEXPORT_ENDPOINT_URL", "local")

    def call(*args, input=None):
        return invoke(*args, input=input)

    return call


def manifest_text(**changes) -> str:
    """The example manifest with fields replaced (None removes a field)."""
    lines = []
    for line in EXAMPLE.read_text().splitlines():
        key = line.split(":", 1)[0]
        if key in changes:
            if changes[key] is not None:
                lines.append(f"{key}: {changes.pop(key)}")
            else:
                changes.pop(key)
            continue
        lines.append(line)
    lines += [f"{k}: {v}" for k, v in changes.items() if v is not None]
    return "\n".join(lines) + "\n"
