"""Every folder and file the app reads or writes, in one place.

`COMPANION_HOME` puts everything under one folder (tests, portable use); otherwise the
platform's usual places are used (XDG on Linux; sockets of running practices go in
`$XDG_RUNTIME_DIR/companion`, else the cache folder).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import platformdirs

PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    """Find a bundled data folder in a wheel (inside the package) or a source checkout."""
    inside = PACKAGE_DIR / "_data" / name
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / name


# A NamedTuple, not a frozen dataclass: made before every first frame, and Python 3.11
# compiles each dataclass method from source, about 0.6 ms a class (issue 18).
class Paths(NamedTuple):
    """The folders the app uses; build with `Paths.from_env()` or `Paths.under(root)`."""

    config_dir: Path
    data_dir: Path
    bundled_practices: Path
    bundled_sounds: Path
    # Where a running practice keeps its socket for `companion note`, `status` and friends.
    run_dir: Path | None = None

    @property
    def runtime_dir(self) -> Path:
        """The folder for running practices' sockets (only this user may enter it)."""
        return self.run_dir if self.run_dir is not None else self.data_dir / "run"

    cache_root: Path | None = None  # None: a "cache" folder inside data_dir

    @property
    def cache_dir(self) -> Path:
        """Files the app can remake at will (spoken cues rendered ahead of time)."""
        return self.cache_root if self.cache_root is not None else self.data_dir / "cache"

    @property
    def logs_dir(self) -> Path:
        """Output of the commands `companion run --until` waits for, one file per run."""
        return self.data_dir / "logs"

    @property
    def practices_dir(self) -> Path:
        """The user's own practice files (override bundled ones by id)."""
        return self.config_dir / "practices"

    @property
    def courses_dir(self) -> Path:
        """The user's own course files."""
        return self.practices_dir / "courses"

    @property
    def sounds_dir(self) -> Path:
        """The user's own sounds, named in practices by file stem."""
        return self.config_dir / "sounds"

    @property
    def config_file(self) -> Path:
        """Settings and key bindings."""
        return self.config_dir / "config.toml"

    @property
    def journal_file(self) -> Path:
        """The SQLite journal of every practice."""
        return self.data_dir / "journal.sqlite3"

    @property
    def state_file(self) -> Path:
        """What the app remembers for itself (last practice, length): never config.toml."""
        return self.data_dir / "state.json"

    @property
    def bundled_courses(self) -> Path:
        """Courses shipped with the app."""
        return self.bundled_practices / "courses"

    @classmethod
    def under(cls, root: Path) -> Paths:
        """Everything below one folder (what COMPANION_HOME does)."""
        root = Path(root)
        return cls(root, root, _bundled("practices"), _bundled("sounds"), root / "run")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Paths:
        """Paths for this user, honouring COMPANION_HOME, XDG_CONFIG_HOME and XDG_DATA_HOME."""
        env = os.environ if environ is None else environ
        home = env.get("COMPANION_HOME")
        if home:
            return cls.under(Path(home).expanduser())
        config = env.get("XDG_CONFIG_HOME")
        data = env.get("XDG_DATA_HOME")
        config_dir = (
            Path(config) / "companion"
            if config
            else Path(platformdirs.user_config_dir("companion"))
        )
        data_dir = (
            Path(data) / "companion" if data else Path(platformdirs.user_data_dir("companion"))
        )
        runtime = env.get("XDG_RUNTIME_DIR")
        run_dir = (
            Path(runtime) / "companion"
            if runtime
            else Path(platformdirs.user_cache_dir("companion")) / "run"
        )
        cache = env.get("XDG_CACHE_HOME")
        cache_dir = (
            Path(cache) / "companion" if cache else Path(platformdirs.user_cache_dir("companion"))
        )
        return cls(
            config_dir,
            data_dir,
            _bundled("practices"),
            _bundled("sounds"),
            run_dir=run_dir,
            cache_root=cache_dir,
        )
