"""Reaching a running practice from another process: find its socket, ask, read the answer."""

from __future__ import annotations

import contextlib
import errno
import socket
from pathlib import Path
from typing import IO, Any

from companion.remote.places import (
    Endpoint,
    Unavailable,
    endpoints,
    is_refused,
    remove_stale,
    supported,
    unsupported_message,
)
from companion.remote.protocol import MAX_LINE, decode, request

TIMEOUT = 5.0  # longer than the server's own wait for its owner, so its "timeout" arrives


class NotPractising(Exception):
    """No practice is running (or none with the asked process id)."""


class RemoteError(Exception):
    """The practice answered with a refusal: `code` for programs, the message for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Connection:
    """One open line to a running practice; ask it as many questions as you like."""

    def __init__(self, endpoint: Endpoint, sock: socket.socket) -> None:
        self.endpoint = endpoint
        self._sock = sock
        self._lines: IO[bytes] = sock.makefile("rb")

    def ask(self, op: str, **fields: Any) -> Any:
        """Send one request and return its result; RemoteError when refused or gone."""
        with contextlib.suppress(OSError):  # a refusal may already be waiting to be read
            self._sock.sendall(request(op, **fields))
        try:
            line = self._lines.readline(MAX_LINE + 1)
        except TimeoutError:
            raise RemoteError("timeout", "the practice did not answer in time") from None
        except OSError:
            line = b""
        if not line:
            raise RemoteError("gone", "the practice ended before it answered")
        try:
            answer = decode(line)
        except ValueError:
            raise RemoteError("bad-answer", "the practice answered something unreadable") from None
        if not answer.get("ok"):
            raise RemoteError(str(answer.get("code", "")), str(answer.get("error", "refused")))
        return answer.get("result")

    def close(self) -> None:
        """Hang up."""
        self._lines.close()
        self._sock.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect(folder: Path, pid: int | None = None, timeout: float = TIMEOUT) -> Connection:
    """The newest running practice (or the one running as `pid`).

    Raises Unavailable (no local sockets here, or a folder that is not ours) or NotPractising.
    Stale sockets met on the way are removed.
    """
    if not supported():
        raise Unavailable(unsupported_message())
    found = endpoints(folder)
    if pid is not None:
        chosen = [e for e in found if e.pid == pid]
        if not chosen:
            others = ", ".join(str(e.pid) for e in found)
            also = f" (running: {others})" if others else ""
            raise NotPractising(f"no practice is running as process {pid}{also}")
        found = chosen
    for endpoint in found:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(str(endpoint.path))
        except OSError as exc:
            sock.close()
            if is_refused(exc):
                remove_stale(endpoint.path)  # its process is gone (or the pid was reused)
                continue
            if exc.errno in (errno.EACCES, errno.EPERM):
                raise Unavailable(
                    f"cannot reach {endpoint.path}: it belongs to another user"
                ) from None
            raise Unavailable(f"cannot reach {endpoint.path}: {exc.strerror or exc}") from None
        return Connection(endpoint, sock)
    if pid is not None:
        raise NotPractising(f"no practice is running as process {pid}")
    raise NotPractising("not practising")


def running(folder: Path) -> list[Endpoint]:
    """Every running practice's socket, newest first (stale ones removed on the way)."""
    if not supported():
        return []
    return endpoints(folder)
