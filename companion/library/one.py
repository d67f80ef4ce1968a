"""One practice by id or path, reading only its own file: what `companion run ID` needs.

Kept apart from the library module (issue 18): `companion run`'s first frame waits for this,
and the library's records, cache and course reader are not needed to read one file. Only
when no file has that id is the whole library read, for the same message naming the
closest ids.
"""

from __future__ import annotations

from pathlib import Path

from companion.paths import Paths
from companion.practice.model import Practice


class UnknownPractice(LookupError):
    """No practice has that id; `close` lists the nearest ids."""

    def __init__(self, name: str, close: list[str], what: str = "practice") -> None:
        self.name = name
        self.close = close
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        super().__init__(f"No {what} called {name!r}.{hint} `companion list` shows them all.")


def is_path(name: str) -> bool:
    """True when name is a path to a file rather than an id."""
    return name.endswith(".toml") or "/" in name or Path(name).expanduser().is_file()


def load_alone(file: Path, source: str, paths: Paths) -> Practice:
    """Load one practice file that is read on its own (a big one's parse comes from the cache)."""
    from companion.library.cache import big_file_data
    from companion.practice.load import load_practice
    from companion.sound.files import sound_names

    data = big_file_data(file, paths.cache_dir)
    return load_practice(file, source=source, sounds=sound_names(paths), data=data)


def resolve_one(paths: Paths, name: str) -> Practice:
    """`Library.load(paths).resolve(name)` without reading every other file.

    The user's file of that id wins, as in the library, else the bundled one. Raises
    PracticeError or UnknownPractice, as `Library.resolve` does.
    """
    if is_path(name):
        from companion.library.library import Library

        return Library(paths).resolve(name)
    for folder, source in ((paths.practices_dir, "user"), (paths.bundled_practices, "bundled")):
        file = folder / f"{name}.toml"
        if file.is_file():
            from companion.practice.errors import PracticeError, Problem
            from companion.user_files import entry_problem, shown

            unsafe = entry_problem(file)
            if unsafe is not None:  # a loop, a pipe or a device: never opened
                raise PracticeError([Problem(shown(str(file)), unsafe)])
            return load_alone(file, source, paths)
    from companion.library.library import Library  # for the message naming the closest ids

    return Library.load(paths).resolve(name)
