"""The home screen: practices grouped by kind, a preview of the chosen one, and a quick start."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static

from companion.library.choose import LENGTHS, at_length, matching, quick_practice
from companion.library.last_list import Row, ShownList, read_list, save_list
from companion.ui.app import companion_app
from companion.ui.bindings import bindings_for
from companion.ui.screens.home_list import COURSE, library_rows, options, quick_words, shown_list
from companion.ui.screens.home_text import course_text, entry_text

if TYPE_CHECKING:  # the filter box, footer and watcher are imported after the first frame,
    # and the library when it is read (issue 18)
    from textual.widgets import Input

    from companion.library.library import Entry, Library
    from companion.practice.model import Practice
    from companion.ui.reload import (
        LibraryReloader,
        PracticeInvalid,
        PracticeReloaded,
        PracticeRemoved,
    )
    from companion.ui.screens.type_ahead import Held



class HomeScreen(Screen[None]):
    """Choose a practice and a length, or start a quick one."""

    WHERE = "home"
    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("home"))

    def __init__(self) -> None:
        super().__init__()
        self.library: Library | None = None  # None until read, or when it cannot be
        self._library_read = False  # the first frame may show the list kept from last time
        self._shown: ShownList | None = None  # that list, until the library is read
        self._kept: dict[str, Any] | None = None  # the list as kept now (last_list.py)
        self._unfiltered: list[Row] | None = None  # the rows of the whole list, to keep
        self.reloader: LibraryReloader | None = None
        self.length_index = 0
        self.query_text = ""
        self._filter: Input | None = None  # mounted by _build_rest, after the first frame
        self._filter_asked = False  # `/` pressed before that
        self._held: list[Held] = []  # keys typed after it, for the box
        self._built = False  # the preview and the rest follow the first frame (_build_rest)

    def compose(self) -> ComposeResult:
        """The list beside the preview; the filter box and footer follow (_build_rest)."""
        with Horizontal(id="home"):
            with Vertical(id="list-side"):
                yield OptionList(id="practices")
            with VerticalScroll(id="preview-side"):
                yield Static(id="preview")
        yield Static(id="status")

    # -- quick to open (issue 18) -----------------------------------------------------------
    async def _build_rest(self) -> None:
        """Draw the preview and mount the (hidden) filter box and the footer after the first frame.

        The list and status show first; the preview (its outline imports the engine), and
        the widgets they wait for, no longer hold them up. The widgets and their order are
        those of the whole screen.
        """
        if not self.is_attached:  # closed in its first moments (a quit, an end from outside)
            return
        self._built = True
        if not self._library_read:
            # The first frame showed the list kept from the last start: now the list as read
            # (the same, unless a change got past what last_list.py compares).
            self.refill()
        else:
            self.preview()
            self._keep_list()
        from textual.widgets import Footer, Input

        box = Input(placeholder="filter: type words, enter to keep", id="filter")
        box.display = False
        mounts = [
            self.query_one("#list-side").mount(box, before=self.query_one("#practices")),
            self.mount(Footer()),
        ]
        for mounted in mounts:
            await mounted
        # A footer mounted after the screen's bindings were published waits for the next
        # change to list them: publish them again now.
        self.refresh_bindings()
        self._filter = box
        if self._filter_asked:
            self.action_filter()
            from companion.ui.screens.type_ahead import give_typed_ahead

            held, self._held = self._held, []
            give_typed_ahead(box, held, self.app.post_message)
        if self.library is not None:
            # The home screen stays under a practice, so this keeps watching during one; a
            # poll is one directory listing every two seconds and draws nothing unless a
            # file changed. The practice in progress keeps the version it started with.
            from companion.ui.reload import LibraryReloader

            in_progress = companion_app(self).practice_in_progress
            self.reloader = LibraryReloader(self.library, in_progress=in_progress)
            self.reloader.start(self)

    def on_mount(self) -> None:
        """Fill the list (as kept last time, while its files are unchanged; else from the
        library read now); the rest of the screen follows its first frame."""
        app = companion_app(self)
        remembered = app.state
        if remembered.last_length in LENGTHS:
            self.length_index = LENGTHS.index(remembered.last_length)
        self._shown = read_list(app.paths)
        if self._shown is None:
            self.refill()
        else:
            self._kept = self._shown.as_json()
            self._fill(self._shown.rows, None)
        self.query_one("#practices").focus()
        # Through the app's queue first: while the app starts, Textual paints nothing until
        # its own mount is done, and the app's queue is read only from then on; so the rest
        # is built after a frame has really been written, not before it.
        self.app.call_later(self.call_after_refresh, self._build_rest)

    # -- live reload ----------------------------------------------------------------------------
    def on_practice_reloaded(self, message: PracticeReloaded) -> None:
        """A file was saved: the list and preview show the new version."""
        message.stop()
        self.refill()

    def on_practice_invalid(self, message: PracticeInvalid) -> None:
        """A file has a mistake: the last good version stays, the preview lists the lines."""
        message.stop()
        self.refill()

    def on_practice_removed(self, message: PracticeRemoved) -> None:
        """A file was deleted: the bundled practice comes back, or the entry goes."""
        message.stop()
        self.refill()

    # -- the library and the list -------------------------------------------------------------
    def read_library(self) -> Library | None:
        """The library, read now if not yet (the first frame may show the kept list instead);
        None when it cannot be read at all (said once)."""
        if self._library_read:
            return self.library
        self._library_read = True
        from companion.library.library import Library

        try:
            self.library = Library.load(companion_app(self).paths)
        except Exception as exc:  # a broken folder must not stop the app opening
            self.library = None
            self.notify(f"Could not read the practices: {exc}", severity="error")
        for problem in [] if self.library is None else self.library.folder_problems:
            self.notify(str(problem), title="Your practices", severity="warning", markup=False)
        return self.library

    def entries(self) -> list[Entry]:
        """Every entry that matches the filter."""
        library = self.read_library()
        return [] if library is None else matching(library, self.query_text)

    def refill(self, select: str | None = None) -> None:
        """Rebuild the grouped list, keeping the highlight (or moving it to `select`)."""
        keep = select or self._highlighted_id()
        rows = library_rows(self.read_library(), self.query_text)
        if select is None and self._shown is not None and rows == self._shown.rows:
            # The library as read lists what the kept list already shows (the usual case
            # just after the first frame): only the preview and status are new.
            self.preview()
            self._status()
        else:
            self._fill(rows, keep)
        self._shown = None  # from now on the list on screen is the library's
        if not self.query_text:
            self._unfiltered = rows
            if self._built:  # not before the first frame: keeping it can wait that long
                self._keep_list()

    def _fill(self, rows: list[Row], keep: str | None) -> None:
        listing = self.query_one("#practices", OptionList)
        listing.clear_options()
        listing.add_options(options(rows))
        ids = [oid for oid, _, _ in rows]
        if not any(ids):
            self.query_one("#preview", Static).update(
                Text("No practices match. Press / to change the filter.")
            )
        else:
            first = next(i for i, oid in enumerate(ids) if oid)
            listing.highlighted = ids.index(keep) if keep and keep in ids else first
            # The same row highlighted again sends no message; the preview may still be new.
            self.preview()
        self._status()

    def _keep_list(self) -> None:
        """Keep the whole list for the next start's first frame, when it is not kept already."""
        if self.library is None or self._unfiltered is None:
            return
        shown = shown_list(self.library, self._unfiltered)
        kept = shown.as_json()
        if kept != self._kept and save_list(companion_app(self).paths, shown):
            self._kept = kept

    def _highlighted_id(self) -> str | None:
        option = self.query_one("#practices", OptionList).highlighted_option
        return None if option is None else option.id

    def selected(self) -> Entry | None:
        """The highlighted practice entry (None for a course)."""
        oid = self._highlighted_id()
        library = None if oid is None else self.read_library()
        return None if library is None or oid is None else library.entries.get(oid)

    def selected_course(self) -> Any:
        """The highlighted course, if a course is highlighted."""
        oid = self._highlighted_id()
        library = None if oid is None or not oid.startswith(COURSE) else self.read_library()
        if library is None or oid is None:
            return None
        entry = library.courses.get(oid[len(COURSE) :])
        return entry.course if entry is not None else None

    def course_day(self, course: Any) -> Any:
        """The day to practise next: the journal says (when it can), else day 1."""
        number = 1
        journal = companion_app(self).journal
        if journal is not None:
            try:
                number = int(journal.next_course_day(course.id))
            except Exception:
                number = 1
        days = course.days
        return days[min(max(number, 1), len(days)) - 1]

    def on_option_list_option_highlighted(self, _: OptionList.OptionHighlighted) -> None:
        """Preview what is highlighted."""
        self.preview()

    def on_option_list_option_selected(self, _: OptionList.OptionSelected) -> None:
        """Enter on a practice starts it."""
        self.action_start()

    # -- the preview --------------------------------------------------------------------------
    def minutes(self) -> float | None:
        """The chosen length in minutes (None: the practice's own)."""
        return LENGTHS[self.length_index]

    def chosen(self, entry: Entry) -> Practice | None:
        """The practice at the chosen length."""
        if entry.practice is None:
            return None
        return at_length(entry.practice, self.minutes())

    def preview(self) -> None:
        """Outline the highlighted practice, or list a broken file's problems."""
        if not self._built:  # the first frame shows the list and status; this comes next
            return
        entry = self.selected()
        box = self.query_one("#preview", Static)
        course = self.selected_course()
        if course is not None:
            box.update(course_text(course, self.course_day(course)))
            return
        if entry is not None:
            box.update(entry_text(entry, self.minutes()))

    def _status(self) -> None:
        minutes = self.minutes()
        length = "own length" if minutes is None else f"{minutes:g} minutes"
        app = companion_app(self)
        if self._library_read or self._shown is None:
            quick_text = quick_words(self.quick_practice())
        else:  # the first frame, from the kept list
            quick_text = self._shown.quick(app.state.last_practice)
        keymap = app.keymap
        key = keymap.get("quick-start", "space").split(",")[0].strip()
        self.query_one("#status", Static).update(
            Text(f"Length: {length} (l to change)    Quick session ({key}): {quick_text}")
        )

    # -- actions ------------------------------------------------------------------------------
    def action_start(self) -> None:
        """Start the highlighted practice at the chosen length (or a course's next day)."""
        course = self.selected_course()
        if course is not None:
            self.start_course(course)
            return
        entry = self.selected()
        if entry is None:
            return
        practice = self.chosen(entry)
        if practice is None:
            self.notify("This file has problems; they are listed on the right.", severity="warning")
            return
        companion_app(self).start_practice(practice)

    def start_course(self, course: Any) -> None:
        """Begin the course's next day."""
        day = self.course_day(course)
        entry = self.library.entries.get(day.practice) if self.library else None
        if entry is None or entry.practice is None:
            self.notify(f"Day {day.number} needs {day.practice!r}, which cannot be read.")
            return
        companion_app(self).start_practice(
            entry.practice, course=course.id, day=day.number, reflection=day.reflection
        )

    def quick_practice(self) -> Practice | None:
        """The last practice, else a three-minute breathing space."""
        library = self.read_library()
        if library is None:
            return None
        return quick_practice(library, companion_app(self).state.last_practice)

    def action_quick(self) -> None:
        """One key to practise: the last practice, or three minutes of breathing."""
        practice = self.quick_practice()
        if practice is None:
            self.notify("No practices found.", severity="warning")
            return
        companion_app(self).start_practice(practice)

    def action_timer(self) -> None:
        """A quiet timer: minutes and interval bells chosen with a few keys."""
        from companion.ui.screens.timer import TimerScreen

        self.app.push_screen(TimerScreen())

    def action_cycle_length(self) -> None:
        """Own length, then 3, 5, 10 and 20 minutes."""
        self.length_index = (self.length_index + 1) % len(LENGTHS)
        companion_app(self).remember(last_length=LENGTHS[self.length_index])
        self.preview()
        self._status()

    def action_filter(self) -> None:
        """Show the filter box."""
        box = self._filter
        if box is None:  # pressed in the first moments: it opens as soon as it is there
            self._filter_asked = True
            return
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Filter as you type."""
        self.query_text = event.value
        self.refill()

    def on_input_submitted(self, _: Input.Submitted) -> None:
        """Keep the filter and go back to the list."""
        self.query_one("#practices").focus()

    def on_key(self, event: events.Key) -> None:
        """Escape in the filter clears it; keys typed ahead after an early `/` wait for the box."""
        if self._filter is None:
            # Typed ahead while the app starts, "/quiet" arrives in one burst, and this sees
            # every key of it before any binding runs: the `/` is taken here, and the letters
            # after it wait for the box (q would quit, t open the timer).
            bound = self.active_bindings.get(event.key)
            if self._filter_asked or (bound is not None and bound.binding.action == "filter"):
                event.stop()
                event.prevent_default()
                if self._filter_asked:
                    self._held.append((event.key, event.character))
                self._filter_asked = True
                return
        if event.key == "escape" and self._filter is not None and self._filter.has_focus:
            event.stop()
            self._clear_filter()

    def _clear_filter(self) -> None:
        box = self._filter
        if box is None:
            return
        box.value = ""
        box.display = False
        self.query_text = ""
        self.refill()
        self.query_one("#practices").focus()

    def action_customize(self) -> None:
        """Open the form for the highlighted practice at its own length; a save lists the copy."""
        from companion.ui.screens.customize import CustomizeScreen

        entry = self.selected()
        if entry is None or self.selected_course() is not None:
            self.notify("Highlight a practice to customize it.", timeout=4)
            return
        if entry.practice is None:
            self.notify(
                f"{entry.id} has problems (listed on the right); fix them in an editor: "
                f"companion edit {entry.id}",
                severity="warning",
                markup=False,
            )
            return
        paths = companion_app(self).paths

        def saved(path: Path | None) -> None:
            if path is None:
                return
            if self.reloader is not None:
                self.reloader.check()  # the new file joins the library now, not in 2 s
            else:
                from companion.library.library import Library

                self.library = Library.load(paths)
            if path.stem not in {e.id for e in self.entries()}:
                self._clear_filter()  # a new name the filter hides: show the whole list
            self.refill(select=path.stem)

        from companion.sound.files import sound_names

        self.app.push_screen(CustomizeScreen(entry.practice, paths, sound_names(paths)), saved)

    def action_history(self) -> None:
        """The History screen: past practice and its figures."""
        from companion.ui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen())

    def action_settings(self) -> None:
        """Volume, theme, motion and the rest."""
        from companion.ui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())

    def action_quit(self) -> None:
        """Leave the app."""
        self.app.exit(0)
