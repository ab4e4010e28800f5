"""Serving a mock with uvicorn: in the foreground (the CLI) or in a background thread (tests, benchmarks).

The socket is bound before uvicorn starts, so port 0 (pick a free port) works and the real port is
known before the first request.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn
from starlette.applications import Starlette

__all__ = ["BackgroundServer", "bind", "serve"]


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: a free one). Raises OSError when taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _config(app: Starlette, *, log_level: str, access_log: bool) -> uvicorn.Config:
    # h11 and asyncio are what the project depends on; backlog matches bind().
    from generator.mock.limits import header_timeout_protocol

    return uvicorn.Config(app, log_level=log_level, access_log=access_log, backlog=2048, timeout_keep_alive=30, lifespan="on", http=header_timeout_protocol())


def serve(app: Starlette, sock: socket.socket, *, log_level: str = "info", access_log: bool = False) -> None:
    """Serve until interrupted (Ctrl-C)."""
    uvicorn.Server(_config(app, log_level=log_level, access_log=access_log)).run(sockets=[sock])


class BackgroundServer:
    """`with BackgroundServer(app) as server: httpx.get(server.base_url + "/...")` on 127.0.0.1."""

    def __init__(self, app: Starlette, host: str = "127.0.0.1", port: int = 0, *, log_level: str = "warning") -> None:
        self._sock = bind(host, port)
        self.base_url = _url(self._sock)
        self._server = uvicorn.Server(_config(app, log_level=log_level, access_log=False))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]}, name="connectorgen-mock", daemon=True)

    def start(self, timeout: float = 10.0) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        # Poll uvicorn's own readiness flag (set once the socket is served).
        while not self._server.started and self._thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)
        if not self._server.started:
            self.stop()
            raise RuntimeError("the mock server did not start")
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(10)
        self._sock.close()

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
