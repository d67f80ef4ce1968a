"""The practices a person can choose: finding, loading and watching bundled and user files.

`library` reads every practice and course (the user's own win by id); `watch` notices files
changed on disk, and `Library.apply` brings the library up to date with each change;
`choose` groups, filters and picks the quick practice for the home screen. All pure.
"""

from companion.library.library import CourseEntry, Entry, Library, UnknownPractice

__all__ = ["CourseEntry", "Entry", "Library", "UnknownPractice"]
