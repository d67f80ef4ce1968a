"""Bad practice files: each gives its exact, helpful message, and none can hurt the app.

tests/data/bad/ holds one file per failure; EXPECTED.txt there is exactly what
`companion validate` prints for each, run from that folder. The few files too big to keep
in the repository (or made of thousands of repeats) are written here at test time.
"""

from __future__ import annotations

import ast
import builtins
import copy
import io
import math
import os
import shutil
import subprocess
import sys
import tomllib
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.cli import main
from companion.commands import Context
from companion.engine.timeline import build_timeline
from companion.library.library import Library
from companion.paths import Paths
from companion.practice.errors import PracticeError
from companion.practice.load import MAX_FILE_BYTES, load_practice, parse_practice
from companion.practice.model import Practice
from tests.support import (
    SOUNDS,
    AppBuilder,
    write_wav,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
BAD_DIR = DATA / "bad"
GOOD_DIR = DATA / "good"
EXPECTED_FILE = BAD_DIR / "EXPECTED.txt"
QUOTES_HINT = '; texts need quotes, like kind = "breath" (numbers and true/false do not)'
BUNDLED = sorted((ROOT / "practices").glob("*.toml"))

SEG = '[[segment]]\nkind = "silence"\nduration = "1m"\n'


def _five_megabytes() -> bytes:
    # A valid practice buried under 5 MB of comments: refused by size, never parsed.
    head = b'title = "Huge"\n' + SEG.encode()
    line = b"# padding padding padding padding padding padding padding pad\n"
    body = line * (5 * 1024 * 1024 // len(line) + 1)
    return (head + body)[: 5 * 1024 * 1024]


def _many_segments() -> bytes:
    return ('title = "Many"\n' + SEG * 201).encode()


def _huge_text() -> bytes:
    return ('title = "Long"\ndescription = "' + "a" * 200_000 + '"\n' + SEG).encode()


def _one_byte_over() -> bytes:
    head = 'title = "Just over"\n' + SEG
    return (head + "#" * (MAX_FILE_BYTES - len(head)) + "\n").encode()


# Too big (or too repetitive) to keep in the repository; written where a test needs them.
GENERATED: dict[str, Callable[[], bytes]] = {
    "generated-5mb.toml": _five_megabytes,
    "generated-201-segments.toml": _many_segments,
    "generated-huge-text.toml": _huge_text,
    "generated-one-byte-over.toml": _one_byte_over,
}


def read_expected() -> dict[str, list[str]]:
    """File name -> the lines `companion validate NAME` prints, in order."""
    expected: dict[str, list[str]] = {}
    for line in EXPECTED_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name = line.split(":", 1)[0]
        expected.setdefault(name, []).append(line)
    return expected


EXPECTED = read_expected()
COMMITTED = sorted(p.name for p in BAD_DIR.glob("*.toml"))
ALL_BAD = sorted([*COMMITTED, *GENERATED])
GOOD = sorted(p.name for p in GOOD_DIR.glob("*.toml"))


def write_bad_files(folder: Path) -> list[Path]:
    """Every bad file, committed and generated, in one folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in COMMITTED:
        shutil.copyfile(BAD_DIR / name, folder / name)
    for name, make in GENERATED.items():
        (folder / name).write_bytes(make())
    return [folder / name for name in ALL_BAD]


@pytest.fixture
def sound_paths(tmp_path: Path) -> Paths:
    """A home folder whose only sounds are the five the messages name, as empty files."""
    sounds = tmp_path / "bundled-sounds"
    sounds.mkdir()
    for name in sorted(SOUNDS):
        write_wav(sounds / f"{name}.wav")
    home = tmp_path / "home"
    return Paths(home, home, ROOT / "practices", sounds)


def validate(paths: Paths, *names: str) -> tuple[int, list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["validate", *names], ctx=Context(paths, out=out, err=err))
    return code, out.getvalue().splitlines(), err.getvalue()


# -- the corpus and its expected lines -------------------------------------------------


def test_the_corpus_is_large_and_every_file_has_its_expected_lines() -> None:
    assert len(ALL_BAD) >= 40
    assert sorted(EXPECTED) == ALL_BAD, "EXPECTED.txt and the files in tests/data/bad differ"
    assert not any(p.stat().st_size > 100_000 for p in BAD_DIR.iterdir()), "generate big files"
    for name, lines in EXPECTED.items():
        for line in lines:
            # Every line names the file, then a place (line:column or a field), then advice.
            rest = line[len(name) + 1 :]
            assert rest.startswith(" ") or rest.split(":", 1)[0].isdigit(), line
            assert "Traceback" not in line and "Error" not in line, line


@pytest.mark.parametrize("name", ALL_BAD)
def test_each_bad_file_gives_exactly_its_expected_lines(
    name: str, sound_paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if name in GENERATED:
        folder = tmp_path / "bad"
        folder.mkdir()
        (folder / name).write_bytes(GENERATED[name]())
    else:
        folder = BAD_DIR
    monkeypatch.chdir(folder)
    code, lines, err = validate(sound_paths, name)
    assert code == 1
    assert lines == EXPECTED[name]
    assert err == ""


@pytest.mark.parametrize("name", GOOD)
def test_each_good_file_is_ok(
    name: str, sound_paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(GOOD_DIR)
    assert validate(sound_paths, name) == (0, [f"{name}: ok"], "")


def test_all_bad_files_at_once_give_every_expected_line_in_order(
    sound_paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_bad_files(tmp_path / "bad")
    monkeypatch.chdir(tmp_path / "bad")
    code, lines, _ = validate(sound_paths, *ALL_BAD)
    assert code == 1
    assert lines == [line for name in ALL_BAD for line in EXPECTED[name]]


def test_line_numbers_stay_right_with_windows_line_ends_and_a_byte_order_mark() -> None:
    crlf = (BAD_DIR / "crlf-error.toml").read_bytes()
    assert b"\r\n" in crlf
    line = crlf.split(b"\r\n").index(b"pattern = { in = 4, out = six }") + 1
    column = b"pattern = { in = 4, out = six }".index(b"six") + 1
    assert EXPECTED["crlf-error.toml"] == [
        f"crlf-error.toml:{line}:{column}: Invalid value{QUOTES_HINT}"
    ]
    bom = (BAD_DIR / "bom-bad.toml").read_bytes()
    assert bom.startswith(b"\xef\xbb\xbftitle = Bad")
    assert EXPECTED["bom-bad.toml"] == [
        f"bom-bad.toml:1:9: Invalid value{QUOTES_HINT}"
    ]  # the BOM is no column


def test_the_real_command_exits_1_without_a_traceback(tmp_path: Path) -> None:
    write_bad_files(tmp_path / "bad")
    home = tmp_path / "home"
    (home / "sounds").mkdir(parents=True)
    for name in SOUNDS:  # the user's own sounds: the bundled ones may not be there yet
        write_wav(home / "sounds" / f"{name}.wav")
    env = {**os.environ, "COMPANION_HOME": str(home), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "companion", "validate", *ALL_BAD],
        cwd=tmp_path / "bad",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == ""

    def comparable(line: str) -> str:
        # Which other sounds are installed depends on the checkout; the rest must match.
        return line.split(" (known sounds:")[0]

    expected = [comparable(line) for name in ALL_BAD for line in EXPECTED[name]]
    assert [comparable(line) for line in result.stdout.splitlines()] == expected


def test_a_device_that_never_ends_is_refused_without_reading_it(sound_paths: Paths) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    code, lines, _ = validate(sound_paths, "/dev/zero")
    assert code == 1
    assert lines == ["/dev/zero: is not a regular file; name a .toml file you have saved"]


# -- in the user's folder: listed as broken, hiding nothing ----------------------------


@pytest.fixture
def crowded(sound_paths: Paths) -> Paths:
    """Every bad file and every good one in the user's practices folder at once."""
    write_bad_files(sound_paths.practices_dir)
    for name in GOOD:
        shutil.copyfile(GOOD_DIR / name, sound_paths.practices_dir / name)
    shutil.copyfile(
        ROOT / "practices" / "box-breathing.toml", sound_paths.practices_dir / "mine.toml"
    )
    return sound_paths


def test_the_library_lists_each_bad_file_with_its_problems_and_every_good_one(
    crowded: Paths,
) -> None:
    library = Library.load(crowded)
    for name in ALL_BAD:
        entry = library.get(Path(name).stem)
        assert not entry.ok and entry.source == "user"
        shown = str(crowded.practices_dir / name)
        # The same words as `companion validate`, with the file's full path.
        assert [str(p) for p in entry.problems] == [
            shown + line[len(name) :] for line in EXPECTED[name]
        ]
    for name in [*GOOD, "mine.toml"]:
        assert library.get(Path(name).stem).ok, library.get(Path(name).stem).problems
    for file in BUNDLED:
        entry = library.get(file.stem)
        assert entry.ok and entry.source == "bundled", entry.problems


def test_companion_list_shows_the_broken_files_and_exits_0(crowded: Paths) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["list"], ctx=Context(crowded, out=out, err=err))
    text = out.getvalue()
    assert code == 0 and "Traceback" not in text + err.getvalue()
    rows = {line.split()[0]: line for line in text.splitlines() if line and not line[0].isspace()}
    for name in ALL_BAD:
        assert "(broken: see below)" in rows[Path(name).stem]
        for line in EXPECTED[name]:
            assert str(crowded.practices_dir / name) + line[len(name) :] in text
    for name in [*GOOD, "mine.toml"]:
        assert "(broken" not in rows[Path(name).stem]
    assert f"{len(ALL_BAD)} practice file(s) could not be read" in text


# -- mutating the bundled practices ----------------------------------------------------

PATHS = [
    "../x",
    "/etc/passwd",
    "C:\\x",
    "~/x",
    "..",
    "\\\\server\\share",
    "file:///etc/passwd",
    "bowl/../../x",
    "./bowl",
    "bowl\n",
    "bowl.wav",
]
EXTREMES = [
    -1,
    0,
    -0.0,
    1e308,
    -1e308,
    2**63 - 1,
    -(2**63),
    10**30,
    1e-9,
    0.49,
    60.01,
    math.inf,
    -math.inf,
    math.nan,
]
NAN_LIKE = ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-0", "0x10", "1_000", "", " "]
OTHER_TYPES: list[Any] = [True, False, 4, 2.5, "4m", [], [1, "a"], {}, {"in": 4}, [{"x": 1}]]


def _places(node: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path to every value inside parsed TOML."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*here, key)
            yield from _places(value, (*here, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield (*here, i)
            yield from _places(value, (*here, i))


def _get(data: Any, place: tuple[Any, ...]) -> Any:
    for step in place:
        data = data[step]
    return data


def _set(data: Any, place: tuple[Any, ...], value: Any) -> None:
    _get(data, place[:-1])[place[-1]] = value


def _mutate(data: dict[str, Any], draw: st.DrawFn) -> None:
    places = list(_places(data))
    if not places:
        data["title"] = draw(st.sampled_from(OTHER_TYPES))
        return
    place = draw(st.sampled_from(places))
    value = _get(data, place)
    action = draw(st.sampled_from(["delete", "type", "swap", "duplicate", "extreme", "path"]))
    if action == "delete":
        del _get(data, place[:-1])[place[-1]]
    elif action == "type":
        _set(data, place, copy.deepcopy(draw(st.sampled_from(OTHER_TYPES + NAN_LIKE))))
    elif action == "swap":
        other = draw(st.sampled_from(places))
        if other[: len(place)] == place or place[: len(other)] == other:
            return  # one holds the other: nothing sensible to swap
        a, b = copy.deepcopy(value), copy.deepcopy(_get(data, other))
        _set(data, place, b)
        _set(data, other, a)
    elif action == "duplicate":
        segments = data.get("segment")
        if isinstance(segments, list) and segments:
            times = draw(st.sampled_from([1, 2, 150, 250]))
            index = draw(st.integers(0, len(segments) - 1))
            segments[index:index] = [copy.deepcopy(segments[index]) for _ in range(times)]
    elif action == "extreme":
        numbers = [p for p in places if isinstance(_get(data, p), int | float)] or [place]
        _set(data, draw(st.sampled_from(numbers)), draw(st.sampled_from(EXTREMES + NAN_LIKE)))
    else:
        texts = [p for p in places if isinstance(_get(data, p), str)] or [place]
        _set(data, draw(st.sampled_from(texts)), draw(st.sampled_from(PATHS)))


@st.composite
def mutated_practices(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    file = draw(st.sampled_from(BUNDLED))
    data = tomllib.loads(file.read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        _mutate(data, draw)
    return file.name, data


def check_contract(name: str, data: dict[str, Any]) -> Practice | None:
    """A Practice the engine can play, or a PracticeError naming the file; nothing else."""
    shown = f"mutated/{name}"
    try:
        practice = parse_practice(data, path=shown, practice_id="m", sounds=SOUNDS)
    except PracticeError as exc:
        assert exc.problems
        assert all(str(p).startswith(f"{shown}: ") for p in exc.problems), exc.problems
        return None
    timeline = build_timeline(practice)
    end = timeline.total if timeline.total is not None else 3600.0
    for t in (0.0, 0.5, end / 2, max(0.0, end - 0.01), end):
        timeline.state_at(t)
    return practice


@pytest.mark.skipif(not BUNDLED, reason="no bundled practices")
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated_practices())
def test_mutated_bundled_practices_keep_the_loaders_contract(
    case: tuple[str, dict[str, Any]],
) -> None:
    check_contract(*case)


@pytest.mark.parametrize("file", BUNDLED, ids=[f.name for f in BUNDLED])
def test_the_unmutated_bundled_practices_pass_the_same_check(file: Path) -> None:
    data = tomllib.loads(file.read_text(encoding="utf-8"))
    assert check_contract(file.name, data) is not None


# -- practice files are data -----------------------------------------------------------


def _inside(path: Path, folders: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved.is_relative_to(folder.resolve()) for folder in folders)


def test_loading_opens_nothing_outside_the_practice_and_sound_folders(
    crowded: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file that names a sound by a path, and a real file at that path: never touched.
    secret = crowded.config_dir / "secret.wav"
    secret.write_bytes(b"RIFF")
    (crowded.practices_dir / "sneaky.toml").write_text(
        'title = "Sneaky"\n[bells]\nstart = "../secret"\nend = "/etc/passwd"\n' + SEG
    )
    Library.load(crowded)  # once first, so no lazy import opens a module file below
    opened: list[Path] = []
    real_open, real_io_open, real_os_open = builtins.open, io.open, os.open
    real_listdir, real_scandir = os.listdir, os.scandir

    def note(target: Any) -> None:
        if isinstance(target, str | bytes | os.PathLike):
            opened.append(Path(os.fsdecode(target)))

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        note(file)
        return real_open(file, *args, **kwargs)

    def spy_io_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        note(file)
        return real_io_open(file, *args, **kwargs)

    def spy_os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        note(path)
        return real_os_open(path, *args, **kwargs)

    def spy_listdir(path: Any = ".") -> list[Any]:
        note(path)
        return real_listdir(path)

    def spy_scandir(path: Any = ".") -> Any:
        note(path)
        return real_scandir(path)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_io_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    monkeypatch.setattr(os, "listdir", spy_listdir)
    monkeypatch.setattr(os, "scandir", spy_scandir)
    library = Library.load(crowded)
    monkeypatch.undo()

    allowed = [
        crowded.practices_dir,
        crowded.bundled_practices,
        crowded.sounds_dir,
        crowded.bundled_sounds,
        crowded.cache_dir,  # companion's own cache of parsed files (library/cache.py)
    ]
    assert opened, "the spies saw nothing: the loader must open files some other way"
    assert [p for p in opened if not _inside(p, allowed)] == []
    assert secret.resolve() not in {p.resolve() for p in opened}
    problems = [str(p) for p in library.get("sneaky").problems]
    assert any(
        "bells.start: must be a sound name, not a path (got '../secret')" in p for p in problems
    )
    assert any(
        "bells.end: must be a sound name, not a path (got '/etc/passwd')" in p for p in problems
    )


def test_no_practice_that_loads_carries_a_sound_path(crowded: Paths) -> None:
    for entry in Library.load(crowded).sorted():
        if entry.practice is None:
            continue
        bells = entry.practice.bells
        names = [bells.start, bells.end, bells.interval_sound]
        names += [s.chime or "" for s in entry.practice.segments]
        names += [s.phase_sound or "" for s in entry.practice.segments]
        assert all(n in SOUNDS or n in ("", "none") for n in names), (entry.id, names)


def test_text_that_looks_like_code_is_only_text(
    sound_paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    practice = load_practice(GOOD_DIR / "code-in-text.toml", sounds=SOUNDS)
    assert practice.title == "__import__('os').system('touch PWNED')"
    assert practice.summary == "{{7*7}} ${HOME} $(touch PWNED) `touch PWNED`"
    assert "eval(" in practice.description
    assert not (tmp_path / "PWNED").exists()
    assert validate(sound_paths, str(GOOD_DIR / "code-in-text.toml"))[0] == 0
    assert not (tmp_path / "PWNED").exists()


def test_the_app_never_evaluates_or_unpickles_anything() -> None:
    # Practice files (and config and journal) are read as data: no eval, exec or pickle.
    forbidden_calls = {"eval", "exec", "compile", "__import__"}
    forbidden_modules = {"pickle", "marshal", "shelve", "yaml", "dill", "cloudpickle"}
    found: list[str] = []
    for file in sorted((ROOT / "companion").rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        for node in ast.walk(tree):
            where = f"{file.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                names = [node.func.id] if node.func.id in forbidden_calls else []
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.split(".")[0] in forbidden_modules]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] if node.module.split(".")[0] in forbidden_modules else []
            else:
                names = []
            found += [f"{where}: {name}" for name in names]
    assert found == []


def _full_practice() -> str:
    """As much practice as the limits allow: 200 segments (10h), cues until the file is full."""

    def segment(cues: int) -> str:
        listed = ", ".join(f'{{ at = "{j}s", text = "Cue {j}" }}' for j in range(cues))
        return (
            '[[segment]]\nkind = "breath"\nduration = "3m"\n'
            f"pattern = {{ in = 4, out = 6 }}\ncues = [{listed}]\n"
        )

    head = 'title = "Full"\n'
    cues = 1
    while len(head) + 200 * len(segment(cues + 1)) < MAX_FILE_BYTES:
        cues += 1
    assert cues < 180  # every cue falls inside its 3-minute segment
    text = head + segment(cues) * 200
    return text + "#" * (MAX_FILE_BYTES - len(text) - 1) + "\n"


def test_a_file_at_the_limits_loads_within_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "full.toml"
    path.write_text(_full_practice())
    assert path.stat().st_size == MAX_FILE_BYTES
    tracemalloc.start()
    try:
        practice = load_practice(path, sounds=SOUNDS)
        timeline = build_timeline(practice)
        timeline.state_at(100 * 60.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(practice.segments) == 200
    assert sum(len(s.cues) for s in practice.segments) > 5000
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_the_5mb_file_is_refused_by_its_size_before_it_is_read(
    sound_paths: Paths, tmp_path: Path
) -> None:
    path = tmp_path / "huge.toml"
    path.write_bytes(_five_megabytes())
    tracemalloc.start()
    try:
        with pytest.raises(PracticeError) as info:
            load_practice(path, sounds=SOUNDS, display="huge.toml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [str(p) for p in info.value.problems] == [
        "huge.toml: is 5120 KiB; practice files may be at most 256 KiB"
    ]
    assert peak < 1024 * 1024, f"peak {peak / 1e6:.1f} MB: the file was read"
    # And in the user's folder, among the others.
    sound_paths.practices_dir.mkdir(parents=True)
    shutil.copyfile(path, sound_paths.practices_dir / "huge.toml")
    tracemalloc.start()
    try:
        library = Library.load(sound_paths)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not library.get("huge").ok
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_a_file_that_grows_after_its_size_is_checked_is_still_cut_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.toml"
    path.write_bytes(_five_megabytes())
    real_stat = Path.stat

    class Small:
        st_size = 100
        st_mode = real_stat(path).st_mode

    # The size on disk says 100 bytes; the read must still stop at the limit.
    monkeypatch.setattr(
        Path, "stat", lambda self, **kw: Small() if self == path else real_stat(self, **kw)
    )
    tracemalloc.start()
    try:
        with pytest.raises(PracticeError) as info:
            load_practice(path, sounds=SOUNDS, display="growing.toml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [str(p) for p in info.value.problems] == [
        "growing.toml: is more than 256 KiB; practice files may be at most 256 KiB"
    ]
    assert peak < 4 * MAX_FILE_BYTES


async def test_the_home_screen_lists_every_bad_file_as_broken_and_shows_why(
    build_app: AppBuilder,
    crowded: Paths,
) -> None:
    from textual.widgets import OptionList, Static

    from companion.ui.screens.home import HomeScreen

    app, _ = build_app(paths=crowded, config_from_file=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        listing = home.query_one("#practices", OptionList)
        for name in ["duplicate-key.toml", "generated-5mb.toml", "binary-junk.toml"]:
            stem = Path(name).stem
            listing.highlighted = listing.get_option_index(stem)
            await pilot.pause()
            shown = str(home.query_one("#preview", Static).render())
            assert f"{stem} cannot be used yet" in shown
            for line in EXPECTED[name]:
                assert line[len(name) + 1 :].strip() in shown.replace("\n", " ")
        for name in ALL_BAD:
            assert "(broken)" in str(listing.get_option(Path(name).stem).prompt)
        for name in [*GOOD, "mine.toml"]:
            assert "(broken)" not in str(listing.get_option(Path(name).stem).prompt)
