"""The practices a person can choose: finding, loading and watching bundled and user files.

`library` reads every practice and course (the user's own win by id); `one` reads a single
practice by id (what `companion run` needs); `cache` keeps files' parsed TOML between runs;
`watch` notices files changed on disk, and `Library.apply` brings the library up to date
with each change; `choose` groups, filters and picks the quick practice for the home screen.
All pure. Nothing is imported here: import from the modules themselves, so that reading
one practice does not load the rest (issue 18).
"""
