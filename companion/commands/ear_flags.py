"""`--background NAME` and `--eyes-closed`, shared by `companion run` and `companion timer`."""

from __future__ import annotations

import argparse

from companion.commands import Context
from companion.practice.model import Practice


def add_ear_flags(p: argparse.ArgumentParser) -> None:
    """Add the soundscape and eyes-closed options to a command."""
    p.add_argument(
        "--background",
        metavar="NAME",
        help='a soundscape beneath the practice (`companion sounds` lists them; "off" for none)',
    )
    p.add_argument(
        "--eyes-closed",
        action="store_true",
        help="soft tones mark every breath phase, region, phrase and segment change",
    )


def apply_ear_flags(practice: Practice, args: argparse.Namespace, ctx: Context) -> Practice | None:
    """The practice with the flags' choices in its `[sound]`; None after saying what is wrong."""
    sound = practice.sound
    name = getattr(args, "background", None)
    if name is not None:
        name = name.strip()
        if name.lower() in ("", "off", "none"):
            name = "off"
        else:
            from companion.practice.suggest import suggest
            from companion.sound.files import soundscape_files

            known = soundscape_files(ctx.paths)
            if name not in known:
                names = ", ".join(sorted(known)) or "none installed"
                print(
                    f"--background: no soundscape called {name!r}{suggest(name, known)} "
                    f'(soundscapes: {names}; or "off")',
                    file=ctx.err,
                )
                return None
        sound = sound._replace(background=name)
    if getattr(args, "eyes_closed", False):
        sound = sound._replace(eyes_closed=True)
    return practice._replace(sound=sound)
