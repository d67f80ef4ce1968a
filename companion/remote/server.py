"""The socket a running practice listens on, answering `companion note`, `status` and friends.

The server runs on its own background thread. It never touches the practice itself: each
request becomes a job handed to the owner's `submit`, so the owner decides which thread runs
it (Textual passes `app.call_from_thread`, the plain runner a `JobQueue` it drains). A job
that has not run within `timeout` seconds is answered with `timeout`, so a busy or stuck
owner never hangs a client.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from companion.remote.places import (
    MAX_SOCKET_PATH,
    Unavailable,
    ensure_folder,
    peer_uid,
    remove_stale,
    socket_path,
    supported,
    unsupported_message,
)
from companion.remote.protocol import (
    MAX_LINE,
    OPS,
    VERSION,
    Refused,
    RemoteTarget,
    decode,
    encode,
    reply_to_dict,
    snapshot_to_dict,
)

Job = Callable[[], None]
Submit = Callable[[Job], object]

IDLE_SECONDS = 60.0  # a connection silent this long is closed (`status --follow` asks often)
MAX_CONNECTIONS = 16
MAX_PENDING = 4  # requests waiting on the owner (or stuck in its submit); beyond: "busy"


def ok(result: Any = None) -> dict[str, Any]:
    """A successful answer."""
    return {"v": VERSION, "ok": True, "result": result}


def error(code: str, message: str) -> dict[str, Any]:
    """A refusal with a machine code and one plain line."""
    return {"v": VERSION, "ok": False, "code": code, "error": message}


class Server:
    """Listens for one running practice; `start()` once, then `stop()` (or use it as a context)."""

    def __init__(
        self,
        target: RemoteTarget,
        submit: Submit,
        folder: Path,
        *,
        pid: int | None = None,
        timeout: float = 2.0,
    ) -> None:
        self.target = target
        self.submit = submit
        self.folder = Path(folder)
        self.pid = os.getpid() if pid is None else pid
        self.timeout = timeout
        self.path = socket_path(self.folder, self.pid)
        self.notice = ""  # why outside control is off, in one line ("" when it is on)
        self._listener: socket.socket | None = None
        # A byte on this pair (made by start) wakes the accepting thread when `stop()` is called.
        self._wake_r: socket.socket | None = None
        self._wake_w: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._conns: set[socket.socket] = set()
        self._workers: set[threading.Thread] = set()
        self._waiting: set[_Request] = set()  # handed to the owner, not yet run
        self._handing = 0  # threads inside submit() right now
        self._local = threading.local()  # in_job: this thread is running one of our jobs

    # -- life ------------------------------------------------------------------------------
    def start(self) -> bool:
        """Listen; returns False (and sets `notice`) when it cannot. Never raises."""
        if not supported():
            self.notice = unsupported_message()
            return False
        if len(os.fsencode(self.path)) > MAX_SOCKET_PATH:
            self.notice = f"outside control is off: the socket path {self.path} is too long"
            return False
        try:
            ensure_folder(self.folder)
            self._listener = self._bind()
        except (Unavailable, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            self.notice = f"outside control is off: {reason}"
            return False
        self._wake_r, self._wake_w = socket.socketpair()
        self._thread = threading.Thread(target=self._serve, name="companion-remote", daemon=True)
        self._thread.start()
        return True

    @property
    def listening(self) -> bool:
        """True while the server answers (started and not yet stopped)."""
        return self._thread is not None and self._thread.is_alive()

    def _bind(self) -> socket.socket:
        # Bind under a temporary name and rename once listening, so a client never finds the
        # socket before it accepts (and mistakes it for a stale one).
        # Our own pid: any file by either name is left from a past process with this pid.
        temp = self.path.with_suffix(".new")  # not *.sock, so clients never look at it
        remove_stale(self.path)
        remove_stale(temp)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(str(temp))
            os.chmod(temp, 0o600)
            listener.listen(8)
            os.replace(temp, self.path)
        except OSError:
            listener.close()
            remove_stale(temp)
            raise
        return listener

    def stop(self) -> None:
        """Stop listening, let answers in flight finish, and remove the socket. Idempotent."""
        with self._lock:
            if self._stopping.is_set():
                return
            self._stopping.set()
            for request in self._waiting:  # their clients hear "closing" now, not in 2s
                request.state = "given-up"
                request.answer = error("gone", "the practice is closing")
                request.done.set()
            self._waiting.clear()
        if self._listener is not None:
            remove_stale(self.path)
        if self._wake_w is not None:
            with contextlib.suppress(OSError):
                self._wake_w.send(b"x")
        if self._thread is not None:
            self._thread.join(self.timeout + 1.0)
        with self._lock:
            conns, workers = list(self._conns), list(self._workers)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RD)  # wakes an idle reader; a busy one still answers
        if not getattr(self._local, "in_job", False):
            # (Called from inside one of our jobs, e.g. `end` making the owner stop: that
            # job's worker answers as soon as the job returns, so do not wait for it here.)
            for worker in workers:
                worker.join(self.timeout + 1.0)
        for sock in (self._listener, self._wake_r, self._wake_w):
            if sock is not None:
                sock.close()

    def wait_answered(self, timeout: float | None = None) -> None:
        """After stop(): wait until answers still in flight have been sent.

        stop() called from inside a job (`end` ending the practice) cannot wait for the answer
        to that very job; an owner about to exit calls this next, so `companion end` hears
        back before the process is gone.
        """
        with self._lock:
            workers = [w for w in self._workers if w is not threading.current_thread()]
        for worker in workers:
            worker.join(self.timeout + 1.0 if timeout is None else timeout)

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- accepting -------------------------------------------------------------------------
    def _serve(self) -> None:
        assert self._listener is not None and self._wake_r is not None
        with selectors.DefaultSelector() as sel:
            sel.register(self._listener, selectors.EVENT_READ)
            sel.register(self._wake_r, selectors.EVENT_READ)
            while not self._stopping.is_set():
                for key, _ in sel.select():
                    if key.fileobj is self._wake_r or self._stopping.is_set():
                        return
                    try:
                        conn, _addr = self._listener.accept()
                    except OSError:
                        continue
                    self._admit(conn)

    def _admit(self, conn: socket.socket) -> None:
        with self._lock:
            crowded = len(self._conns) >= MAX_CONNECTIONS
            if not crowded:
                self._conns.add(conn)
        if crowded:
            self._refuse(conn, "busy", "too many connections to this practice; try again")
            return
        worker = threading.Thread(target=self._handle, args=(conn,), daemon=True)
        with self._lock:
            self._workers.add(worker)
        worker.start()

    def _refuse(self, conn: socket.socket, code: str, message: str) -> None:
        with contextlib.suppress(OSError):
            conn.settimeout(1.0)
            conn.sendall(encode(error(code, message)))
        conn.close()

    def _handle(self, conn: socket.socket) -> None:
        try:
            uid = peer_uid(conn)
            if uid is not None and hasattr(os, "getuid") and uid != os.getuid():
                self._refuse(
                    conn,
                    "other-user",
                    "this practice belongs to another user; only the person practising can "
                    "send it notes or ask its status",
                )
                return
            conn.settimeout(IDLE_SECONDS)
            with conn, conn.makefile("rb") as lines:
                while not self._stopping.is_set():
                    line = lines.readline(MAX_LINE + 1)
                    if not line:
                        return
                    if not line.endswith(b"\n") and len(line) > MAX_LINE:
                        conn.sendall(encode(error("bad-request", "request line too long")))
                        return
                    conn.sendall(encode(self.answer(line)))
        except OSError:
            pass  # the client went away (or fell silent): nothing to tell anyone
        finally:
            with self._lock:
                self._conns.discard(conn)
                self._workers.discard(threading.current_thread())

    # -- answering -------------------------------------------------------------------------
    def answer(self, line: bytes) -> dict[str, Any]:
        """The answer to one request line (runs the work on the owner's thread)."""
        try:
            message = decode(line)
        except ValueError:
            return error("bad-request", "a request is one JSON object on one line")
        op = message.get("op")
        if op not in OPS:
            return error("unknown-op", f"this practice does not know {op!r}; update companion?")
        return self._on_owner(lambda: self._dispatch(str(op), message))

    def _dispatch(self, op: str, message: dict[str, Any]) -> dict[str, Any]:
        target = self.target
        if op == "note":
            return ok(reply_to_dict(target.note(str(message.get("label", "")))))
        if op == "pause":
            target.pause()
        elif op == "resume":
            target.resume()
        elif op == "end":
            before = target.status()
            target.end()
            return ok(snapshot_to_dict(before))
        return ok(snapshot_to_dict(target.status()))

    def _on_owner(self, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """Run `work` through `submit` and wait at most `timeout` for its answer."""
        with self._lock:
            if self._stopping.is_set():
                return error("gone", "the practice is closing")
            if len(self._waiting) >= MAX_PENDING or self._handing >= MAX_PENDING:
                return error("busy", "the practice is busy; try again in a moment")
            request = _Request()
            self._waiting.add(request)

        def job() -> None:
            if not self._begin(request):
                return  # given up on (timed out, or the server stopped): do nothing late
            self._local.in_job = True
            try:
                request.answer = work()
            except Refused as exc:
                request.answer = error("refused", str(exc))
            except Exception as exc:  # the owner's bug must not kill the server
                request.answer = error("failed", f"the practice could not do that ({exc})")
            finally:
                self._local.in_job = False
                request.done.set()

        def hand_over() -> None:
            try:
                self.submit(job)
            except Exception as exc:  # e.g. the app is closing
                if self._begin(request):
                    request.answer = error("failed", f"the practice could not take it ({exc})")
                    request.done.set()
            finally:
                with self._lock:
                    self._handing -= 1

        with self._lock:
            self._handing += 1  # a stuck owner whose submit blocks holds these threads

        # On a thread of its own: some owners' submit waits for the job (call_from_thread).
        threading.Thread(target=hand_over, daemon=True).start()
        if not request.done.wait(self.timeout):
            with self._lock:
                if request.state == "waiting":
                    request.state = "given-up"
                    self._waiting.discard(request)
                    return error("timeout", f"the practice did not answer within {self.timeout:g}s")
            request.done.wait()  # it started just now: let it finish rather than answer twice
        return request.answer

    def _begin(self, request: _Request) -> bool:
        """Claim a request for running; False when it was given up on."""
        with self._lock:
            self._waiting.discard(request)
            if request.state != "waiting":
                return False
            request.state = "running"
            return True


class _Request:
    """One request handed to the owner: waiting -> running, or given up on."""

    def __init__(self) -> None:
        self.state = "waiting"
        self.done = threading.Event()
        self.answer: dict[str, Any] = error("failed", "no answer")
