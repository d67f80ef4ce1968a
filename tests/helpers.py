"""Kept only for branches in flight that still import `tests.helpers`: use tests.support.

Delete once every branch has merged.
"""

from tests.support import BOX, SOUNDS, practice_from, write_wav

__all__ = ["BOX", "SOUNDS", "practice_from", "write_wav"]
