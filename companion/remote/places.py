"""Where running practices keep their sockets, which of them are alive, and who is calling.

One socket per running practice, named by its process id (`practice-<pid>.sock`), in a folder
only this user may enter (0700); each socket is 0600. A socket whose process is gone, or that
refuses connections, is stale: it is removed so it never blocks the next practice.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import stat
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

PREFIX = "practice-"
SUFFIX = ".sock"
MAX_SOCKET_PATH = 100  # sun_path holds 104 bytes on macOS, 108 on Linux, with its NUL


class Unavailable(Exception):
    """Outside control cannot work here; the message says why in one plain line."""


@dataclass(frozen=True)
class Endpoint:
    """One running practice's socket."""

    pid: int
    path: Path
    started: float  # when the socket appeared (its mtime): the newest practice answers


def supported() -> bool:
    """Whether this Python offers local (Unix) sockets."""
    return hasattr(socket, "AF_UNIX")


def unsupported_message() -> str:
    """What to say when it does not."""
    return (
        "Notes and status from outside need local (Unix) sockets, which this system's Python "
        "does not offer. Use the keys in the practice itself."
    )


def socket_path(folder: Path, pid: int) -> Path:
    """The socket of the practice running as process `pid`."""
    return folder / f"{PREFIX}{pid}{SUFFIX}"


def ensure_folder(folder: Path) -> None:
    """Create the folder 0700, or check an existing one is ours and tighten it to 0700."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError as exc:
        raise Unavailable(f"cannot make the folder {folder}: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise Unavailable(f"{folder} is not a folder; remove it so practices can use it")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise Unavailable(
            f"{folder} belongs to another user; companion keeps its sockets only in a folder "
            "of your own"
        )
    if stat.S_IMODE(info.st_mode) != 0o700:
        os.chmod(folder, 0o700)


def check_folder(folder: Path) -> None:
    """Before connecting: the folder must be this user's own (or not exist: nothing runs)."""
    try:
        info = folder.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise Unavailable(f"cannot look in {folder}: {exc.strerror or exc}") from None
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise Unavailable(
            f"{folder} belongs to another user: only the person practising can send notes "
            "to their practice"
        )


def endpoints(folder: Path) -> list[Endpoint]:
    """The sockets of practices whose process is alive, newest first; stale ones are removed."""
    check_folder(folder)
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    except PermissionError:
        raise Unavailable(
            f"cannot look in {folder}: it belongs to another user, and only the person "
            "practising can send notes to their practice"
        ) from None
    found: list[Endpoint] = []
    for name in names:
        if not (name.startswith(PREFIX) and name.endswith(SUFFIX)):
            continue
        digits = name[len(PREFIX) : -len(SUFFIX)]
        if not digits.isdigit():
            continue
        path = folder / name
        pid = int(digits)
        if not _alive(pid):
            remove_stale(path)
            continue
        with contextlib.suppress(FileNotFoundError):
            found.append(Endpoint(pid, path, path.lstat().st_mtime))
    return sorted(found, key=lambda e: (e.started, e.pid), reverse=True)


def remove_stale(path: Path) -> None:
    """Remove a socket nobody answers on any more."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return True  # os.kill(pid, 0) there sends Ctrl+C; a refused connect finds stale ones
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by someone else: connect decides
    except OSError:
        return True  # a refused connect still finds it stale
    return True


def is_refused(exc: OSError) -> bool:
    """Whether a connect failed because nothing listens there any more."""
    return exc.errno in (errno.ECONNREFUSED, errno.ENOENT)


def peer_uid(conn: socket.socket) -> int | None:
    """The user id of the process at the other end, where the system tells (else None)."""
    if hasattr(socket, "SO_PEERCRED"):  # Linux
        size = struct.calcsize("3i")
        raw = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, size)
        _pid, uid, _gid = struct.unpack("3i", raw)
        return int(uid)
    if sys.platform == "darwin" or "bsd" in sys.platform:
        # getpeereid() by hand: LOCAL_PEERCRED (1) at level SOL_LOCAL (0) fills a struct
        # xucred, whose second field is the effective uid. Not tested here (Linux only).
        try:
            raw = conn.getsockopt(0, 1, struct.calcsize("IIh16I") + 8)
        except OSError:
            return None
        _version, uid = struct.unpack_from("II", raw)
        return int(uid)
    return None
