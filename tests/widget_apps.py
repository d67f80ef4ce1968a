"""Kept only for branches in flight that still import `tests.widget_apps`: use tests.support.

Delete once every branch has merged.
"""

from tests.support import (
    BOX_AFTER_SETTLE as BOX,
)
from tests.support import (
    CALM,
    PHRASES,
    RAMP,
    SCAN_DOWN,
    SCAN_UP,
    TONGLEN,
    WidgetApp,
    state_feed,
)
from tests.support import (
    timeline_of as timeline,
)

__all__ = [
    "BOX",
    "CALM",
    "PHRASES",
    "RAMP",
    "SCAN_DOWN",
    "SCAN_UP",
    "TONGLEN",
    "WidgetApp",
    "state_feed",
    "timeline",
]
