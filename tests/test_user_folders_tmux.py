"""The user's folders as they really are, in the real app (the installed console script in tmux):
a practice file rewritten every 100 ms, a folder full of odd entries, an unreadable folder, and a
sound deleted while the practice that uses it runs."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from tests.support import COMPANION, NEEDS_TMUX, Term, until
from tests.support.folders import GOOD, NO_OVERRIDE, hostile_practices, hostile_sounds

pytestmark = [pytest.mark.slow, NEEDS_TMUX]
ROOT = Path(__file__).resolve().parent.parent


def rewrite_every_100ms(file: Path, stop: threading.Event, count: list[int]) -> None:
    """Truncate and write the file every 100 ms (not atomic: a poll may catch it half-way)."""
    while not stop.wait(0.1):
        count[0] += 1
        with file.open("w") as f:
            f.write(GOOD.format(title=f"Rewritten {count[0]}"))


def test_a_file_rewritten_every_100ms_never_warns_flickers_or_loses_its_practice(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    file = home / "practices" / "churn.toml"
    file.parent.mkdir(parents=True)
    file.write_text(GOOD.format(title="Rewritten 0"))
    term = Term(tmp_path, f"{COMPANION} --no-sound", home=home, size=(110, 30))
    stop = threading.Event()
    count = [0]
    writer = threading.Thread(target=rewrite_every_100ms, args=(file, stop, count))
    try:
        term.wait_for("Quick session")
        term.keys("/")
        term.wait_for("filter: type words")
        term.keys("Rewritten")  # the list shows only that practice, the preview its outline
        term.wait_for("Rewritten 0  1m  yours")
        writer.start()
        screens = []
        deadline = time.monotonic() + 8.0  # four polls of the watcher
        while time.monotonic() < deadline:
            screens.append(term.screen())
            time.sleep(0.1)
        stop.set()
        writer.join()
        last = f"Rewritten {count[0]}"
        final = term.wait_for(f"{last}  1m  yours", timeout=6)
        assert count[0] >= 50
        for screen in [*screens, final]:
            assert "problems" not in screen and "cannot be used" not in screen, screen
            assert "Traceback" not in screen
            assert "  1m  yours" in screen, screen  # the practice never left the list
        titles = {line.split("Rewritten ")[1].split()[0] for s in screens for line in
                  s.splitlines() if "1m  yours" in line}  # fmt: skip
        assert 2 <= len(titles) <= 6  # the list followed the file, once a poll, not per write
        term.keys("Escape")  # leave the filter, then quit
        until(lambda: "Rewritten  " not in term.screen(), 5, "the filter to close")
        term.keys("q")
        term.wait_for("EXIT=0")
    finally:
        stop.set()
        if writer.is_alive():
            writer.join()
        term.close()


def test_a_folder_full_of_odd_entries_opens_lists_them_and_quits(tmp_path: Path) -> None:
    home = tmp_path / "home"
    hostile_practices(home / "practices")
    hostile_sounds(home / "sounds")
    term = Term(tmp_path, f"{COMPANION}", home=home, size=(110, 60))
    try:
        term.keys("End")
        screen = term.wait_for("Broken files")
        for name in ("caf\\xe9", "fifo", "folder", "gone", "loop1", "loop2", "zero"):
            assert f"! {name} (broken)" in screen, screen
        screen = term.wait_for("zero cannot be used yet")  # the last one's reason, beside
        assert "is a device (through a symbolic" in screen
        term.keys("q")
        screen = term.wait_for("EXIT=")
        assert "EXIT=0" in screen and "Traceback" not in screen
    finally:
        term.close()


@pytest.mark.skipif(
    shutil.which("setpriv") is None or os.geteuid() != 0,
    reason="needs root and setpriv to deny reading as root",
)
def test_an_unreadable_practices_folder_is_said_in_the_app(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "practices").mkdir(parents=True)
    (home / "practices").chmod(0)
    term = Term(tmp_path, f"{' '.join(NO_OVERRIDE)} {COMPANION} --no-sound", home=home,
                size=(120, 40))  # fmt: skip
    try:
        screen = term.wait_for("cannot be read (Permission")  # the toast wraps after it
        assert "what it holds is left out" in screen and "Your practices" in screen
        assert "Box breathing" in screen  # the bundled practices are all there
        term.keys("q")
        assert "EXIT=0" in term.wait_for("EXIT=")
    finally:
        term.close()
        (home / "practices").chmod(0o755)


def test_a_sound_deleted_mid_practice_rings_the_bowl_with_one_notice(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "sounds").mkdir(parents=True)
    shutil.copy(ROOT / "sounds" / "bell.wav", home / "sounds" / "chime3.wav")
    (home / "practices").mkdir()
    (home / "practices" / "short.toml").write_text(
        'title = "Short"\n[bells]\nstart = "bowl"\nend = "chime3"\n'
        '[[segment]]\nkind = "silence"\nduration = "4s"\n'
    )  # long enough to delete the sound before the end bell asks for it
    term = Term(tmp_path, f"{COMPANION} run short", home=home, size=(110, 30))
    try:
        term.wait_for("End")  # the practice is running (its footer)
        (home / "sounds" / "chime3.wav").unlink()
        # Why is in brackets: "…/chime3.wav is no longer there" once the mixer knew the file,
        # or "there is no file of that name …" when it opened after the file went (a loaded
        # machine); the mixer's own test pins the first wording.
        screen = term.wait_for("Sound 'chime3' could not be played", timeout=20)
        until(lambda: "bowl instead." in term.screen(), 5, "the end of the notice")
        assert screen.count("could not be played") == 1
        until(lambda: "Again" in term.screen(), 15, "the summary")
        term.keys("q")
        screen = term.wait_for("EXIT=")
        assert "EXIT=0" in screen and "Traceback" not in screen
    finally:
        term.close()
