"""`companion completion SHELL`: real shells complete commands, practice ids and sound names."""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.cli import build_parser, main
from companion.commands import Context
from companion.commands.completion import attach_completers
from companion.paths import Paths

BIN = Path(sys.executable).parent
installed = pytest.mark.skipif(
    not (BIN / "companion").is_file(), reason="companion is not installed beside this Python"
)


def script(shell: str, paths: Paths) -> str:
    out = io.StringIO()
    assert main(["completion", shell], Context(paths, out=out, err=io.StringIO())) == 0
    return out.getvalue()


def shell_env(home: Path) -> dict[str, str]:
    """This venv's `companion` first on PATH, and a home of the test's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("_ARC", "COMP_", "TMUX"))}
    return {**env, "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}", "COMPANION_HOME": str(home)}


@pytest.fixture
def user_practice(paths: Paths) -> str:
    """A practice of the user's own, so completion is seen to read their folder too."""
    paths.practices_dir.mkdir(parents=True)
    (paths.practices_dir / "my-evening.toml").write_text("title = 'mine'\n")
    return "my-evening"


def test_each_shell_gets_a_script_that_registers_companion(paths: Paths) -> None:
    assert "complete -o nospace -o default -o bashdefault -F _python_argcomplete companion" in (
        script("bash", paths)
    )
    assert "compdef _python_argcomplete companion" in script("zsh", paths)
    assert "complete --command companion" in script("fish", paths)


def test_an_unknown_shell_is_refused_naming_the_choices(
    paths: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["completion", "tcsh"], Context(paths))
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'tcsh'" in err and all(s in err for s in ("bash", "zsh", "fish"))


def offered(parser: argparse.ArgumentParser, *commands: str, dest: str) -> list[str]:
    """What Tab offers, with nothing typed yet, for one argument of one command."""
    for command in commands:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[command]
    action = next(a for a in parser._actions if a.dest == dest)
    return list(action.completer(prefix=""))  # type: ignore[attr-defined]


def test_ids_complete_wherever_a_practice_course_or_sound_is_asked_for(
    paths: Paths, user_practice: str
) -> None:
    parser = build_parser()
    attach_completers(parser)
    for place in (("run", "practice"), ("show", "practice"), ("edit", "name"), ("new", "source")):
        assert {"box-breathing", user_practice} <= set(offered(parser, place[0], dest=place[1]))
    assert {"bowl", "bell", "gong"} <= set(offered(parser, "sounds", "play", dest="name"))
    # No command takes a course id yet; one that names its argument COURSE gets them.
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    sub.add_parser("course").add_argument("course", metavar="COURSE")
    attach_completers(parser)
    assert offered(parser, "course", dest="course") == ["self-compassion-10"]


BASH_ASK = """
source <(companion completion bash)
ask() {
    COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}
    read -ra COMP_WORDS <<< "$COMP_LINE"
    [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    COMPREPLY=()
    _python_argcomplete companion
    echo "${COMPREPLY[*]}"
}
"""


@installed
@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_practice_ids_options_and_sounds(
    tmp_path: Path, user_practice: str
) -> None:
    # The completion function bash calls on Tab, called the way bash calls it.
    lines = [
        "companion ru",
        "companion run box",
        "companion run my-",
        "companion show coh",
        "companion run --mi",
        "companion sounds play b",
        "companion new calm --from body-scan-1",
    ]
    program = BASH_ASK + "".join(f"ask {line!r}\n" for line in lines)
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        capture_output=True,
        text=True,
        env=shell_env(tmp_path / "home"),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    answers = [a.split() for a in done.stdout.splitlines()]
    assert answers == [
        ["run"],
        ["box-breathing", "box-breathing-gentle", "box-breathing-no-holds"],
        [user_practice],
        ["coherent-breathing"],
        ["--minutes"],
        ["bell", "bowl", "breath-in", "breath-out"],  # bells and the eyes-closed cue tones
        ["body-scan-10"],
    ]


@installed
@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_commands_and_practice_ids(tmp_path: Path) -> None:
    program = (
        "companion completion fish | source\n"
        "complete -C 'companion ru'\necho ---\ncomplete -C 'companion run box'\n"
    )
    done = subprocess.run(
        ["fish", "--no-config", "-c", program],
        capture_output=True,
        text=True,
        env=shell_env(tmp_path / "home"),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    commands, ids = done.stdout.split("---\n")
    assert [line.split("\t")[0] for line in commands.splitlines()] == ["run"]
    assert ids.splitlines() == ["box-breathing", "box-breathing-gentle", "box-breathing-no-holds"]


class Terminal:
    """An interactive shell in tmux, typed into like a person would."""

    def __init__(self, tmp: Path, shell: list[str]) -> None:
        self.socket = f"companion-completion-{uuid.uuid4().hex[:8]}"
        self.env = {**shell_env(tmp / "home"), "TMUX_TMPDIR": str(tmp), "HOME": str(tmp)}
        self.env["TERM"] = "xterm-256color"
        self.env["PS1"] = "$ "
        self.tmux("new-session", "-d", "-x", "120", "-y", "20", " ".join(shell))

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], env=self.env, capture_output=True, text=True
        )
        return done.stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.tmux("capture-pane", "-p")
            if text in screen or time.monotonic() > deadline:
                return screen
            time.sleep(0.05)  # polling the screen, not waiting in place of an event

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[list[Terminal]]:
    made: list[Terminal] = []
    yield made
    for t in made:
        t.close()


SHELLS = {
    "bash": (["bash", "--norc", "--noprofile", "-i"], 'eval "$(companion completion bash)"'),
    "zsh": (
        ["zsh", "-f", "-i"],
        'autoload -U compinit && compinit -u && eval "$(companion completion zsh)"',
    ),
}


@installed
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_tab_in_an_interactive_shell_completes_the_command_then_the_practice(
    shell: str, tmp_path: Path, terminal: list[Terminal]
) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    command, setup = SHELLS[shell]
    term = Terminal(tmp_path, command)
    terminal.append(term)
    term.tmux("send-keys", setup, "Enter")
    term.tmux("send-keys", "echo READY", "Enter")
    assert "READY\n" in term.wait_for("READY\n")
    term.tmux("send-keys", "companion ru", "Tab")
    assert "companion run" in term.wait_for("companion run")
    # capture-pane drops trailing spaces: typing on shows the space Tab added after "run".
    term.tmux("send-keys", "box", "Tab")
    screen = term.wait_for("companion run box-breathing")
    assert "companion run box-breathing" in screen, screen
