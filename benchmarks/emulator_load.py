"""Emulator throughput: GetStatus requests per second, every one signature-checked, from 16 concurrent
keep-alive clients against `emulator serve` on this machine (budget: 500/s on 2 cores, SPEC 9).

    python benchmarks/emulator_load.py [--venv DIR] [--clients 16] [--seconds 10] [--workers 2]

The load comes from client processes that replay one pre-signed request (valid for 15 minutes) over
persistent connections, so the figure measures the server, not the client's signing.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import socket
import subprocess
import time

from _common import ROOT, Emulator, clean_venv, env_with_keys


def signed_request(python: str, host: str, job_id: str) -> bytes:
    script = f"""
import sys, time
from importexport_cli.wire import sigv4
from importexport_cli.wire.query import encode_form, serialize
from importexport_cli.wire.sigv4 import Credentials
body = encode_form(serialize("GetStatus", {{"JobId": {job_id!r}}}))
headers = {{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}}
headers.update(sigv4.sign("POST", {host!r}, "/", "", headers, body,
               Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
               "us-east-1", "IngestionService", time.time()))
lines = ["POST / HTTP/1.1", "Host: {host}", f"Content-Length: {{len(body)}}"] + [f"{{k}}: {{v}}" for k, v in headers.items()]
sys.stdout.buffer.write(("\\r\\n".join(lines) + "\\r\\n\\r\\n").encode() + body)
"""
    return subprocess.run([python, "-c", script], capture_output=True, check=True).stdout


def _read_response(sock, buffer: bytes) -> tuple[bool, bytes]:
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
    while len(rest) < length:
        rest += sock.recv(65536)
    return head.startswith(b"HTTP/1.1 200"), rest[length:]


def client(port: int, request: bytes, deadline: float, connections: int, results) -> None:
    import threading

    counts = []

    def one():
        ok = bad = 0
        sock = socket.create_connection(("127.0.0.1", port))
        buffer = b""
        while time.time() < deadline:
            sock.sendall(request)
            good, buffer = _read_response(sock, buffer)
            ok, bad = ok + good, bad + (not good)
        sock.close()
        counts.append((ok, bad))

    threads = [threading.Thread(target=one) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((sum(c[0] for c in counts), sum(c[1] for c in counts)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    venv = clean_venv(args.venv)
    cli, python = str(venv / "bin" / "importexport"), str(venv / "bin" / "python")
    with Emulator(cli, "--workers", str(args.workers)) as server:
        created = subprocess.run([cli, "create-job", "--job-type", "Import", "--manifest",
                                  str(ROOT / "examples" / "s3-import.yaml"),
                                  "--endpoint-url", server.url], capture_output=True, env=env_with_keys(), check=True)
        job_id = json.loads(created.stdout)["JobId"]
        request = signed_request(python, f"127.0.0.1:{server.port}", job_id)
        processes = 2
        results = multiprocessing.Queue()
        deadline = time.time() + args.seconds
        workers = [multiprocessing.Process(target=client, args=(server.port, request, deadline,
                                                                 args.clients // processes, results))
                   for _ in range(processes)]
        start = time.time()
        for worker in workers:
            worker.start()
        totals = [results.get() for _ in workers]
        for worker in workers:
            worker.join()
        elapsed = time.time() - start
    ok, bad = sum(t[0] for t in totals), sum(t[1] for t in totals)
    rate = ok / elapsed
    verdict = "within budget" if rate >= 500 and not bad else "OVER budget" if bad else "UNDER the 500/s budget"
    print(f"emulator GetStatus: {rate:.0f} requests/s with {args.clients} keep-alive clients, "
          f"{args.workers} server workers, {ok} ok, {bad} failed, {elapsed:.1f} s - {verdict}")


if __name__ == "__main__":
    main()
