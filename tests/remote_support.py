"""Kept only for branches in flight that still import `tests.remote_support`: use tests.support.

Delete once every branch has merged.
"""

from tests.support import FAKE, ROOT, WAIT, FakePractice, Follower, Lines, companion, env_for

__all__ = ["FAKE", "ROOT", "WAIT", "FakePractice", "Follower", "Lines", "companion", "env_for"]
