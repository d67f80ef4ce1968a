"""The History screen: a gentle look back over what has been practised and what the mind brought.

Figures come from the journal (companion.journal.stats) in a worker thread; this module only
draws them. The drawing helpers return plain text so tests can read them without a terminal.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from companion.journal.checkin import word_for
from companion.journal.stats import Stats
from companion.practice.durations import clock_text
from companion.services import Journal
from companion.ui.app import CompanionApp
from companion.ui.widgets.body_map import BodyMap

# Minutes a day -> shade. Fixed steps (not relative ones) so the legend means the same
# thing every week.
SHADES: tuple[tuple[float, str], ...] = ((40, "█"), (20, "▓"), (10, "▒"), (0.01, "░"))
NONE = "·"
LEGEND = f"{NONE} none  ░ under 10 min  ▒ 10-20  ▓ 20-40  █ 40 or more"
BARS = " ▁▂▃▄▅▆▇█"
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
RECENT = 8


def shade(minutes: float) -> str:
    """The block for a day's minutes."""
    for floor, block in SHADES:
        if minutes >= floor:
            return block
    return NONE


def calendar_lines(stats: Stats) -> list[str]:
    """Weeks as columns, Monday to Sunday as rows, months named above where they begin."""
    if not stats.calendar:
        return []
    first = stats.calendar[0][0]
    days = dict(stats.calendar)
    weeks = (stats.today - first).days // 7 + 1
    months = [" "] * (weeks * 2 + 3)  # room for the last month's name to run past the grid
    for w in range(weeks):
        start = first + timedelta(weeks=w)
        if w == 0 or start.month != (start - timedelta(weeks=1)).month:
            label = f"{start:%b}"
            if w * 2 + len(label) <= len(months):
                months[w * 2 : w * 2 + len(label)] = label
    lines = ["     " + "".join(months).rstrip()]
    for weekday in range(7):
        cells = []
        for w in range(weeks):
            day = first + timedelta(weeks=w, days=weekday)
            cells.append(" " if day > stats.today else shade(days.get(day, 0.0)))
        lines.append((f"{WEEKDAYS[weekday]:<4} " + " ".join(cells)).rstrip())
    return lines


def week_bars(stats: Stats, height: int = 4) -> list[str]:
    """Minutes per week as columns of eighth blocks, with the busiest week's minutes on top."""
    values = [m for _, m in stats.weekly_minutes]
    if not values:
        return []
    top = max(values)
    if top <= 0:
        return ["No minutes yet in these twelve weeks."]
    lines = []
    for row in range(height, 0, -1):
        cells = []
        for m in values:
            eighths = round(m / top * height * 8)
            fill = min(8, max(0, eighths - (row - 1) * 8))
            cells.append(BARS[fill] * 2)
        lines.append(" ".join(cells))
    lines.append(" ".join(f"{d:%d}" for d, _ in stats.weekly_minutes))
    lines[0] += f"  {max(1, round(top))} min" if top >= 0.5 else "  under a minute"
    return lines


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _minutes(m: float) -> str:
    if 0 < m < 1:
        return "under a minute"
    return f"{m:.0f} minute" if round(m) == 1 else f"{m:.0f} minutes"


def headline(stats: Stats, show_streak: bool) -> str:
    """Days this week and month, minutes in all; the streak only when the setting asks."""
    if stats.empty:
        return "Nothing recorded yet. The practices you do will gather here."
    text = (
        f"{_days(stats.days_this_week)} this week · {_days(stats.days_this_month)} this month · "
        f"{_minutes(stats.total_minutes)} in all"
    )
    if show_streak and stats.streak:
        text += f" · {_days(stats.streak)} in a row"
    return text


def labels_lines(stats: Stats, months: int = 4) -> list[str]:
    """What the mind brings most, overall, then month by month for the latest months."""
    if not stats.labels:
        return ["No notes taken yet. In a noting practice, each key you press is kept here."]
    total = sum(n for _, n in stats.labels)
    lines = []
    width = max(len(label) for label, _ in stats.labels[:6])
    for label, n in stats.labels[:6]:
        bar = "█" * max(1, round(20 * n / stats.labels[0][1]))
        lines.append(f"{label:<{width}}  {bar} {n} ({100 * n / total:.0f}%)")
    recent = stats.labels_by_month[-months:]
    if len(recent) > 1:
        lines.append("")
        for month, labels in recent:
            name = date.fromisoformat(month + "-01").strftime("%b %Y")
            lines.append(f"{name}: " + ", ".join(f"{label} {n}" for label, n in labels[:4]))
    return lines


def recent_lines(runs: list[Any]) -> list[str]:
    """The latest practices: day, title, time practised, how it ended and its notes."""
    out = []
    for r in runs:
        when = date.fromisoformat(r.local_date).strftime("%a %d %b") if r.local_date else ""
        planned = "" if r.planned is None else f" of {clock_text(r.planned)}"
        ended = {"running": "in progress", "ended early": "ended early"}.get(r.status, "")
        line = f"{when}  {r.title}  {clock_text(r.practised)}{planned}"
        if ended:
            line += f"  ({ended})"
        if r.labels:
            line += "  · " + ", ".join(f"{label} {n}" for label, n in list(r.labels.items())[:3])
        out.append(line)
    return out


def checkin_line(stats: Stats) -> str:
    """The average check-in before and after, in words first."""
    c = stats.checkin
    if c is None:
        return "No check-ins yet (turn them on in settings if you would like them)."
    return (
        f"Arriving, on average: {word_for(round(c.before))} ({c.before:.1f}); "
        f"afterwards: {word_for(round(c.after))} ({c.after:.1f}), over {c.runs} practices."
    )


class HistoryScreen(Screen[None]):
    """Looking back: calendar, minutes a week, practices, notes, body map, check-ins, courses."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="history-back"),
        Binding("q", "back", "Back", id="history-back-q", show=False),
    ]

    DEFAULT_CSS = """
    HistoryScreen #history-body { padding: 1 2; }
    HistoryScreen .section { margin-top: 1; color: $accent; text-style: bold; }
    HistoryScreen #headline { text-style: bold; }
    HistoryScreen .muted { color: $text-muted; }
    HistoryScreen #history-bodymap { height: 16; }
    """

    def __init__(
        self,
        journal: Journal | None = None,
        *,
        show_streak: bool | None = None,
        today: date | None = None,
    ) -> None:
        """`journal` defaults to app.journal and `show_streak` to app.config.show_streak."""
        super().__init__()
        self.journal = journal
        self.show_streak = show_streak
        self.today = today
        self.stats: Stats | None = None
        self.problem: str | None = None
        self.recent: list[Any] = []

    def compose(self) -> ComposeResult:
        """A scrolling page, filled in once the figures are read."""
        with VerticalScroll(id="history-body"):
            yield Static("Looking back…", id="history-wait", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        """Read the figures off the event loop."""
        app = self.app
        if isinstance(app, CompanionApp):  # any app may show History when given a journal
            if self.journal is None:
                self.journal = app.journal
            if self.show_streak is None:
                self.show_streak = app.config.show_streak
        self.load()

    @work(exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        """Compute the figures in a thread (SQLite blocks) and then show them."""
        stats, runs, problem = await asyncio.to_thread(self._read)
        await self.show_figures(stats, problem, runs)

    def _read(self) -> tuple[Stats | None, list[Any], str | None]:
        if self.journal is None:
            return None, [], "The journal is not open, so there is nothing to look back on yet."
        try:
            stats = self.journal.stats(today=self.today, streak=bool(self.show_streak))
            return stats, list(self.journal.runs(RECENT)), None
        except Exception as exc:  # a damaged journal must not take the app down
            return None, [], f"The journal cannot be read just now: {exc}."

    async def show_figures(
        self, stats: Stats | None, problem: str | None, runs: list[Any] | None = None
    ) -> None:
        """Replace the placeholder with every section."""
        self.stats, self.problem, self.recent = stats, problem, list(runs or [])
        body = self.query_one("#history-body", VerticalScroll)
        await body.remove_children()
        if stats is None:
            await body.mount(Static(problem or "", id="headline"))
            return
        widgets: list[Static | Any] = [
            Static(headline(stats, bool(self.show_streak)), id="headline")
        ]
        if not stats.empty:
            widgets += self._sections(stats)
        await body.mount_all(widgets)

    def _sections(self, s: Stats) -> list[Any]:
        out: list[Any] = [
            Static("The last twelve weeks", classes="section"),
            Static(Text("\n".join(calendar_lines(s))), id="history-calendar"),
            Static(LEGEND, classes="muted"),
            Static("Minutes each week", classes="section"),
            Static(Text("\n".join(week_bars(s))), id="history-weeks"),
            Static("Lately", classes="section"),
            Static(Text("\n".join(recent_lines(self.recent))), id="history-recent"),
            Static("Practised most", classes="section"),
            Static(
                "\n".join(
                    f"{p.title}: {p.runs} {'time' if p.runs == 1 else 'times'}, {_minutes(p.minutes)}"
                    for p in s.top_practices
                ),
                id="history-practices",
            ),
            Static("What the mind brings", classes="section"),
            Static(Text("\n".join(labels_lines(s))), id="history-labels"),
        ]
        if s.body_map:
            out.append(Static("Where notes gather in body scans", classes="section"))
            out.append(_body_map(s))
        out.append(Static("Check-ins", classes="section"))
        out.append(Static(checkin_line(s), id="history-checkin"))
        if s.courses:
            out.append(Static("Courses", classes="section"))
            out.append(
                Static(
                    "\n".join(
                        f"{c.course}: {_days(c.days_completed)} done; day {c.next_day} is next"
                        for c in s.courses
                    ),
                    id="history-courses",
                )
            )
        return out

    def action_back(self) -> None:
        """Back to where History was opened from."""
        self.app.pop_screen()


def _body_map(s: Stats) -> BodyMap:
    """The body map of every note taken in a scan."""
    counts = {region: Counter(labels) for region, labels in s.body_map.items()}
    return BodyMap(counts, id="history-bodymap")
