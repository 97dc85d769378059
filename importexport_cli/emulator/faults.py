"""Fault injection on demand, seeded: `--faults "500:0.1,503:0.05,throttle:0.05,slow:0.02,reset:0.02,
malformed:0.01,lost:0.01"`.

HTTP-level faults (500, 503, throttle, slow, malformed) are answered by a WSGI middleware; the ones that
need the socket (reset: the connection is cut before the request is handled; lost: the request is
handled — a job is stored — and the connection is cut instead of answering) use the socket the server
layer hands over, so they exist only under `emulator serve`.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
import uuid

from ..wire.xml import encode_error

KINDS = ("500", "503", "throttle", "slow", "malformed", "reset", "lost")
SLOW_SECONDS = 5.0


def parse_faults(spec: str) -> list[tuple[str, float]]:
    """'500:0.1,reset:0.02' -> [('500', 0.1), ('reset', 0.02)]; ValueError naming what is wrong."""
    plan = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        kind, sep, rate = item.partition(":")
        if kind not in KINDS:
            raise ValueError(f"unknown fault {kind!r}; known: {', '.join(KINDS)}")
        try:
            probability = float(rate) if sep else 1.0
        except ValueError:
            raise ValueError(f"fault {kind}: {rate!r} is not a probability") from None
        if not 0 <= probability <= 1:
            raise ValueError(f"fault {kind}: {probability} is not between 0 and 1")
        plan.append((kind, probability))
    if sum(p for _, p in plan) > 1:
        raise ValueError("the fault probabilities add up to more than 1")
    return plan


def _cut(sock) -> None:
    """Reset the connection: linger 0 turns the close into an RST."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class Faults:
    """WSGI middleware; `socket_of(environ)` gives the client's socket (None in process)."""

    def __init__(self, app, plan: list[tuple[str, float]], seed: int | None = None, socket_of=None):
        self.app, self.plan = app, plan
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.socket_of = socket_of or (lambda environ: None)

    def pick(self) -> str | None:
        with self.lock:
            roll = self.rng.random()
        for kind, probability in self.plan:
            if roll < probability:
                return kind
            roll -= probability
        return None

    def __call__(self, environ, start_response):
        kind = self.pick()
        sock = self.socket_of(environ)
        if kind in ("reset", "lost") and sock is None:
            kind = None
        if kind == "reset":
            _cut(sock)
            return []
        if kind in ("500", "503", "throttle"):
            code, status = {"500": ("InternalError", "500 Internal Server Error"),
                            "503": ("ServiceUnavailable", "503 Service Unavailable"),
                            "throttle": ("Throttling", "400 Bad Request")}[kind]
            body = encode_error(code, f"Injected fault: {kind}", str(uuid.uuid4()), sender=kind == "throttle")
            start_response(status, [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))])
            return [body]
        if kind == "slow":
            time.sleep(SLOW_SECONDS)
        if kind == "lost":
            b"".join(self.app(environ, lambda *args: None))
            _cut(sock)
            return []
        if kind == "malformed":
            captured = {}
            body = b"".join(self.app(environ, lambda status, headers, exc=None: captured.update(s=status)))
            broken = body[: max(1, len(body) // 2)]
            start_response(captured["s"], [("Content-Type", "text/xml"), ("Content-Length", str(len(broken)))])
            return [broken]
        return self.app(environ, start_response)
