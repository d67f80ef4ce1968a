"""On a system without Linux's or POSIX's extras (Windows, say) the CLI, the plain runner and
the app still start: SIGHUP, SIGTSTP, termios, fcntl, os.getuid, AF_UNIX and friends are
removed here, and each is only missed where it is used."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest
import textual.drivers.linux_driver  # noqa: F401 - Textual's own choice, made as on Linux

import companion.commands.opening as opening
import companion.commands.run as run_command
import companion.journal.db as journal_db
import companion.remote.places as places
from companion.cli import main
from companion.commands import Context
from companion.config import Config
from companion.engine.clock import FakeClock
from companion.journal import open_journal
from companion.paths import Paths
from companion.practice.load import load_practice
from companion.remote.server import Server
from companion.system import is_hangup, job_control, stop_signals
from companion.ui.app import make_app
from companion.ui.screens.practice import PracticeScreen
from tests.support import RecordingJournal, RecordingPlayer, record_notices

MISSING = {
    signal: ("SIGHUP", "SIGTSTP", "SIGCONT", "SIGTTIN", "SIGTTOU", "SIGWINCH", "SIGQUIT"),
    os: ("getuid", "geteuid", "getpgrp", "getsid", "tcgetpgrp", "sysconf"),
    socket: ("AF_UNIX", "SO_PEERCRED"),
}
NOT_IMPORTABLE = ("fcntl", "termios", "tty", "pwd", "grp", "resource")

SHORT = """
title = "Short"
summary = "Six seconds, for the tests."

[bells]
start = "none"
end = "none"

[[segment]]
kind = "breath"
duration = "6s"
pattern = { in = 3, out = 3 }
"""


def take_away(monkeypatch: pytest.MonkeyPatch) -> None:
    """Take away what only Linux or POSIX offers, as a Windows Python lacks it.

    Libraries already imported chose their own platform's way; this shows what companion's
    code does without these names.
    """
    for module, names in MISSING.items():
        for name in names:
            monkeypatch.delattr(module, name, raising=False)
    for name in NOT_IMPORTABLE:
        monkeypatch.setitem(sys.modules, name, None)  # `import termios` now raises ImportError


@pytest.fixture
def without_posix(monkeypatch: pytest.MonkeyPatch) -> None:
    """take_away() for the whole test."""
    take_away(monkeypatch)


@pytest.fixture
def short(tmp_path: Path) -> Path:
    path = tmp_path / "short.toml"
    path.write_text(SHORT)
    return path


def test_the_missing_names_really_are_missing(without_posix: None) -> None:
    assert not hasattr(signal, "SIGHUP") and not hasattr(os, "getuid")
    assert not hasattr(socket, "AF_UNIX")
    with pytest.raises(ImportError):
        import termios  # noqa: F401
    with pytest.raises(ImportError):
        import fcntl  # noqa: F401


def test_what_the_system_offers_without_them(without_posix: None) -> None:
    assert stop_signals() == (signal.SIGTERM,)
    assert not is_hangup(1)
    assert not job_control()
    assert not opening._hung_up()  # no termios: no hang-up to look for


def test_the_cli_starts(without_posix: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    assert "box-breathing" in capsys.readouterr().out
    assert main(["show", "box-breathing"]) == 0
    assert main(["paths"]) == 0
    capsys.readouterr()
    assert main(["status"]) == 1  # no local sockets: said plainly, no traceback
    err = capsys.readouterr().err
    assert "local (Unix) sockets" in err and "Traceback" not in err


def test_the_plain_runner_runs_a_practice(
    without_posix: None, short: Path, paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    monkeypatch.setattr(run_command, "MonotonicClock", lambda: clock)
    monkeypatch.setattr(run_command, "time", types.SimpleNamespace(sleep=clock.sleep))
    out, err = io.StringIO(), io.StringIO()
    handler = signal.getsignal(signal.SIGTERM)
    practice = load_practice(short, sounds=None)
    code = run_command.run_plain_command(practice, Context(paths, out, err), sound=False)
    assert code == 0, err.getvalue()
    assert "Breathe in" in out.getvalue() and "Practised 00:06" in out.getvalue()
    assert signal.getsignal(signal.SIGTERM) == handler  # put back as it was
    runs = open_journal(paths).runs()
    assert [(r.practice_id, r.status) for r in runs] == [("short", "completed")]


async def test_the_app_starts_and_practises(
    short: Path, paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Here, not as a fixture: the test's event loop (made before) needs Linux's socketpair,
    # which asks for AF_UNIX; on Windows asyncio makes its own pair without it.
    take_away(monkeypatch)
    clock = FakeClock()
    app = make_app(
        paths=paths,
        practice=load_practice(short, sounds=None),
        clock=clock,
        player=RecordingPlayer(),
        journal=RecordingJournal(),
        config=Config(),
    )
    told = record_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen) and screen.sitting.started
        await pilot.press("t")
        assert [n.label for n in screen.sitting.notes] == ["thinking"]
        await pilot.press("ctrl+z")  # no job control here: it stays, and says so
        assert any("Ctrl+Z" in t for t in told)
        assert not screen.sitting.paused and app.is_running


def test_outside_control_is_off_and_says_why(without_posix: None, paths: Paths) -> None:
    class Target:
        def remote_snapshot(self) -> object:
            raise AssertionError("never asked")

    server = Server(Target(), lambda job: None, paths.runtime_dir)  # type: ignore[arg-type]
    assert server.start() is False
    assert "local (Unix) sockets" in server.notice
    assert not paths.runtime_dir.exists() or not any(paths.runtime_dir.iterdir())


def test_on_windows_no_process_is_sent_a_signal_to_ask_if_it_lives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # os.kill(pid, 0) on Windows is not a question: signal 0 is CTRL_C_EVENT there.
    def refuse(pid: int, sig: int) -> None:
        raise AssertionError(f"os.kill({pid}, {sig}) on Windows")

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "kill", refuse)
    other = os.getpid() + 1
    # Cannot tell: the journal falls back to the run's heartbeat, as for another machine.
    assert journal_db.owner_gone(other, journal_db.host_name(), "2026-01-01T00:00:00Z") is None
    assert journal_db.process_alive(other)
    assert places._alive(other)
    assert not job_control()


def test_a_fresh_interpreter_without_them_imports_everything(tmp_path: Path) -> None:
    """No companion module needs them to import, and `companion list` runs (no cached modules)."""
    script = textwrap.dedent(
        f"""
        import os, pkgutil, signal, socket, sys, importlib
        # The libraries first: on Linux they take Linux's way (a Windows Python has theirs).
        import platformdirs, platformdirs.unix, textual.app, textual.drivers.linux_driver
        for module, names in {{signal: {MISSING[signal]!r}, os: {MISSING[os]!r},
                              socket: {MISSING[socket]!r}}}.items():
            for name in names:
                if hasattr(module, name):
                    delattr(module, name)
        for name in {NOT_IMPORTABLE!r}:
            sys.modules[name] = None
        import companion
        for info in pkgutil.walk_packages(companion.__path__, "companion."):
            if not info.name.endswith("__main__"):
                importlib.import_module(info.name)
        from companion.cli import main
        sys.exit(main(["list"]))
        """
    )
    env = {**os.environ, "COMPANION_HOME": str(tmp_path / "home")}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert "box-breathing" in out.stdout


def test_what_the_system_offers_is_asked_without_textual() -> None:
    code = (
        "import sys, companion.system; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'pygame')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr
