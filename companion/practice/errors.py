"""Errors a practice file can have, worded for the person who wrote the file."""

from __future__ import annotations

from typing import NamedTuple


# A NamedTuple, not a frozen dataclass: made before every first frame, and Python 3.11
# compiles each dataclass method from source, about 0.6 ms a class (issue 18).
class Problem(NamedTuple):
    """One thing wrong in one file: where it is and what to do about it."""

    path: str
    message: str
    where: str = ""  # a field path such as "segment[3].pattern.in"
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is not None:
            column = f":{self.column}" if self.column is not None else ""
            return f"{self.path}:{self.line}{column}: {self.message}"
        if self.where:
            return f"{self.path}: {self.where}: {self.message}"
        return f"{self.path}: {self.message}"


class PracticeError(Exception):
    """A practice file could not be used; `problems` lists every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
