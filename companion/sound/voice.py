"""Spoken guidance: text rendered to WAV files ahead of time by an offline voice, then played
through the mixer on the bell schedule.

The `voice` setting is "off" (the default), "system" (espeak-ng on Linux, `say` on macOS,
the built-in speech on Windows), or a command as a list of words in which `{wav}` stands for
the file to write and `{text}` for the words to say (without `{text}` the words arrive on
standard input). Rendering runs on one background thread in the order asked, with a timeout,
into the cache folder, named by a hash of the voice and the text, so a cue rendered once is
ready at once next time. A cue is only ever played if its file is ready when it is due:
`ready(text)` says so without waiting, so a late voice makes a cue skip, never speak late.

Imports no pygame: the player plays the files.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

VOICE_OFF = "off"
VOICE_SYSTEM = "system"
RATE_WPM = 130  # words a minute for espeak-ng; `say` gets 150 (its voices speak more slowly)
RENDER_TIMEOUT = 20.0  # seconds one cue may take to render before it is given up
CACHE_FOLDER = "voice"
STRIKE = 1.5  # seconds after a bell starts before words may begin: its strike stays clear

VoiceSetting = str | tuple[str, ...]
Which = Callable[[str], str | None]

# Windows: System.Speech through PowerShell; the file and the rate come in by environment so
# no text is ever pasted into a script. Not tried on this project's machines.
_POWERSHELL = (
    "Add-Type -AssemblyName System.Speech; "
    "$s = New-Object System.Speech.Synthesis.SpeechSynthesizer; $s.Rate = -2; "
    "$s.SetOutputToWaveFile($env:COMPANION_VOICE_WAV); "
    "$s.Speak([Console]::In.ReadToEnd()); $s.Dispose()"
)


@dataclass(frozen=True)
class VoiceCommand:
    """A way to turn text into a WAV file: argv with {text}/{wav}, and what to call it."""

    argv: tuple[str, ...]
    label: str
    env_wav: bool = False  # the WAV path goes in COMPANION_VOICE_WAV instead of {wav}

    @property
    def text_on_stdin(self) -> bool:
        """True when no argument holds {text}: the words are written to standard input."""
        return not any("{text}" in word for word in self.argv)

    def identity(self) -> str:
        """What distinguishes this voice's renderings from another's (for the cache)."""
        return "\0".join(self.argv)


def system_voice(platform: str = sys.platform, which: Which = shutil.which) -> VoiceCommand | None:
    """The computer's own offline speech, or None when there is none."""
    if platform == "darwin":
        say = which("say")
        if say:  # 16-bit WAV at 22.05 kHz, which pygame reads; text on stdin
            return VoiceCommand(
                (say, "-r", "150", "--data-format=LEI16@22050", "-o", "{wav}", "-f", "-"), "say"
            )
        return None
    if platform.startswith("win"):
        shell = which("powershell") or which("pwsh")
        if shell:
            return VoiceCommand(
                (shell, "-NoProfile", "-NonInteractive", "-Command", _POWERSHELL),
                "Windows speech (System.Speech)",
                env_wav=True,
            )
        return None
    for name in ("espeak-ng", "espeak"):
        found = which(name)
        if found:  # text on stdin, so words starting with "-" are never taken as options
            return VoiceCommand((found, "-s", str(RATE_WPM), "-w", "{wav}"), name)
    return None


@dataclass(frozen=True)
class VoiceChoice:
    """What the setting resolves to: a command, or None with the reason (None when off)."""

    command: VoiceCommand | None
    notice: str | None


def choose_voice(
    setting: VoiceSetting, platform: str = sys.platform, which: Which = shutil.which
) -> VoiceChoice:
    """Resolve the `voice` setting; never raises."""
    if setting == VOICE_OFF:
        return VoiceChoice(None, None)
    if setting == VOICE_SYSTEM:
        found = system_voice(platform, which)
        if found is not None:
            return VoiceChoice(found, None)
        need = {
            "darwin": "`say` was not found",
            "win32": "PowerShell was not found",
        }.get(platform, "install espeak-ng (for example `sudo apt install espeak-ng`)")
        return VoiceChoice(
            None, f"No voice is available here: {need}. The sound cues carry on without it."
        )
    argv = (setting,) if isinstance(setting, str) else tuple(setting)
    program = argv[0] if argv else ""
    if not program or not (which(program) or Path(program).is_file()):
        return VoiceChoice(
            None,
            f"The voice command {program!r} was not found; check `voice` in your settings. "
            "The sound cues carry on without it.",
        )
    return VoiceChoice(VoiceCommand(argv, Path(program).name), None)


class VoiceError(Exception):
    """A cue could not be rendered; the message says why."""


def render_wav(command: VoiceCommand, text: str, target: Path, timeout: float) -> None:
    """Run the voice once to write `target` (atomically); raises VoiceError."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".render-", suffix=".wav")
    os.close(fd)
    tmp = Path(tmp_name)
    argv = [w.replace("{wav}", str(tmp)).replace("{text}", text) for w in command.argv]
    env = dict(os.environ, COMPANION_VOICE_WAV=str(tmp)) if command.env_wav else None
    try:
        code, output = _run(argv, text if command.text_on_stdin else "", env, timeout)
        if code != 0:
            why = output.strip().splitlines()
            raise VoiceError(
                f"{command.label} stopped with code {code}" + (f": {why[-1]}" if why else "")
            )
        _check_wav(tmp, command.label)
        os.replace(tmp, target)
    except subprocess.TimeoutExpired:
        raise VoiceError(f"{command.label} took longer than {timeout:g} s") from None
    except OSError as exc:
        raise VoiceError(f"{command.label} could not run ({exc.strerror or exc})") from None
    finally:
        tmp.unlink(missing_ok=True)


def _run(
    argv: list[str], stdin: str, env: dict[str, str] | None, timeout: float
) -> tuple[int, str]:
    """Run the voice in its own process group, so a timeout ends everything it started."""
    posix = os.name == "posix"
    with subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
        start_new_session=posix,
    ) as proc:
        try:
            output, _ = proc.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            if posix:
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
            proc.communicate()
            raise
        return proc.returncode, output


def _check_wav(path: Path, label: str) -> None:
    try:
        with wave.open(str(path), "rb") as w:
            if w.getnframes() == 0:
                raise VoiceError(f"{label} wrote no sound")
    except (wave.Error, EOFError) as exc:
        raise VoiceError(f"{label} did not write a WAV file ({exc})") from None


@dataclass
class _Job:
    text: str
    target: Path
    done: threading.Event = field(default_factory=threading.Event)
    error: str | None = None
    seconds: float | None = None  # how long rendering took


class Voice:
    """Renders cues ahead of time on one thread and says which are ready to play."""

    def __init__(self, command: VoiceCommand, cache_dir: Path, *, timeout: float = RENDER_TIMEOUT):
        self.command = command
        self.folder = cache_dir / CACHE_FOLDER
        self.timeout = timeout
        self._jobs: dict[str, _Job] = {}
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._notice: str | None = None

    @property
    def notice(self) -> str | None:
        """The first rendering problem, in one sentence, or None."""
        return self._notice

    def wav_for(self, text: str) -> Path:
        """Where the rendering of `text` by this voice lives in the cache."""
        key = hashlib.sha256(f"{self.command.identity()}\0{text}".encode()).hexdigest()[:32]
        return self.folder / f"{key}.wav"

    def prepare(self, texts: Iterable[str]) -> None:
        """Queue texts for rendering, in the order given (the order they are due)."""
        with self._lock:
            for text in texts:
                if text in self._jobs or not text.strip():
                    continue
                job = _Job(text, self.wav_for(text))
                self._jobs[text] = job
                if job.target.is_file():  # rendered on an earlier day
                    job.done.set()
                    continue
                self._queue.put(job)
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="companion-voice", daemon=True
                    )
                    self._thread.start()

    def ready(self, text: str) -> Path | None:
        """The rendered file if it is ready now (never waits), else None: skip the cue."""
        job = self._jobs.get(text)
        if job is not None and job.done.is_set() and job.error is None:
            return job.target
        return None

    def wait(self, text: str, timeout: float) -> Path | None:
        """Queue `text` if need be and wait up to `timeout` seconds for it."""
        self.prepare([text])
        self._jobs[text].done.wait(timeout)
        return self.ready(text)

    def error(self, text: str) -> str | None:
        """Why `text` could not be rendered, or None."""
        job = self._jobs.get(text)
        return None if job is None else job.error

    def render_seconds(self, text: str) -> float | None:
        """How long rendering `text` took here (None if cached, pending or failed)."""
        job = self._jobs.get(text)
        return None if job is None else job.seconds

    def close(self) -> None:
        """Stop the rendering thread after the cue it is on."""
        self._queue.put(None)

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            started = time.perf_counter()
            try:
                render_wav(self.command, job.text, job.target, self.timeout)
                job.seconds = time.perf_counter() - started
            except VoiceError as exc:
                job.error = str(exc)
                if self._notice is None:
                    self._notice = f"Spoken cues are skipped: {exc}. The sound cues carry on."
            job.done.set()


def make_voice(setting: VoiceSetting, cache_dir: Path) -> tuple[Voice | None, str | None]:
    """The voice for a setting, or None, and a notice for the user (None when all is well)."""
    choice = choose_voice(setting)
    if choice.command is None:
        return None, choice.notice
    return Voice(choice.command, cache_dir), None


def describe(setting: VoiceSetting) -> str:
    """The setting as a person would write it."""
    if isinstance(setting, str):
        return json.dumps(setting)
    return "[" + ", ".join(json.dumps(w) for w in setting) + "]"


def place_cues(
    cues: Iterable[tuple[float, str]], bells: Iterable[float], strike: float = STRIKE
) -> list[tuple[float, str]]:
    """When each spoken cue starts: at its time, or after the strike of a bell it falls on.

    Times are practice seconds; a cue due from a bell's start until `strike` after it waits
    until then (through a run of strikes, such as a three-strike start bell).
    """
    times = sorted(bells)
    placed: list[tuple[float, str]] = []
    for at, text in sorted(cues, key=lambda cue: cue[0]):
        for bell in times:
            if bell <= at < bell + strike:
                at = bell + strike
        placed.append((at, text))
    return placed


def wav_seconds(path: Path) -> float | None:
    """How long a WAV file lasts, or None when it cannot be read."""
    try:
        with wave.open(str(path), "rb") as w:
            return w.getnframes() / w.getframerate()
    except (OSError, EOFError, wave.Error):
        return None
