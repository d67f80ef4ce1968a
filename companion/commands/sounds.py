"""`companion sounds` (bells, cue tones and soundscapes, bundled and the user's own) and
`companion sounds play NAME`."""

from __future__ import annotations

import argparse
import wave
from pathlib import Path

from companion.commands import Context
from companion.sound.files import sound_listing, sound_problem
from companion.user_files import shown

PLAY_SLACK = 1.0  # seconds past a sound's length to wait for the mixer to drain
SCAPE_SECONDS = 10.0  # how long `sounds play rain` lets a soundscape play


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `sounds` and `sounds play`."""
    p = sub.add_parser(
        "sounds",
        help=(
            "list the bells, cue tones and soundscapes (name, seconds, source, file, and why "
            "any cannot be played); `sounds play NAME`"
        ),
    )
    p.set_defaults(func=cmd_list)
    actions = p.add_subparsers(dest="sounds_command", metavar="ACTION")
    play = actions.add_parser(
        "play", help="play one sound and exit when it has rung out (a soundscape: a while)"
    )
    play.add_argument("name", metavar="NAME", help="a sound name, e.g. bowl, or a soundscape")
    play.add_argument("--volume", type=float, default=0.8, metavar="V", help="0 to 1 (default 0.8)")
    play.add_argument(
        "--seconds",
        type=float,
        default=SCAPE_SECONDS,
        metavar="S",
        help=f"how long a soundscape plays (default {SCAPE_SECONDS:g})",
    )
    play.set_defaults(func=cmd_play)


def wav_length(path: Path) -> float | None:
    """Seconds in a WAV file, or None when it cannot be read."""
    try:
        with wave.open(str(path), "rb") as w:
            rate = w.getframerate()
            return w.getnframes() / rate if rate else None
    except (OSError, EOFError, wave.Error):
        return None


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    """Print every sound with its length, where it comes from and its file.

    A file that cannot be played (too big, cut short, text with an audio name) is listed
    with the reason under it; entries that are not files at all (a link loop, a pipe, a
    name that is not UTF-8) are listed after, one line each. Nothing is decoded to list.
    """
    from companion.sound.files import SOUNDSCAPES, soundscape_files
    from companion.sound.tones import CUE_TONES

    found, skipped = sound_listing(ctx.paths)
    if not found and not skipped:
        print("No sounds found.", file=ctx.out)
        return 0
    problems = {name: sound_problem(path) for name, (path, _source) in found.items()}
    lengths: dict[str, float | None] = {}
    mixer = None
    for name, (path, _source) in found.items():
        if problems[name] is not None or path.suffix.lower() == ".wav":
            lengths[name] = None if problems[name] else wav_length(path)
            continue
        if mixer is None:  # only an OGG needs the mixer to tell its length
            from companion.sound.player import MixerPlayer

            mixer = MixerPlayer(ctx.paths, background=False)
        lengths[name] = mixer.length(name) if mixer.available else None
    if mixer is not None:
        mixer.close()
    scapes = soundscape_files(ctx.paths)
    for path, _source in scapes.values():
        lengths[path.stem] = wav_length(path) if path.suffix.lower() == ".wav" else None
    width = max((len(n) for n in (*found, *scapes)), default=4)
    bells = {n: f for n, f in found.items() if n not in CUE_TONES}
    tones = {n: f for n, f in found.items() if n in CUE_TONES}
    for title, group in (
        ("", bells),
        ("Cue tones for practising with eyes closed:", tones),
        ("Soundscapes, played in a loop beneath a practice:", scapes),
    ):
        if title and group:
            print(f"\n{title}", file=ctx.out)
        for name, (path, source) in group.items():
            length = lengths[name]
            secs = "?" if length is None else f"{length:.1f}s"
            print(f"{name:<{width}}  {secs:>6}  {source:<7}  {path}", file=ctx.out)
            if problems.get(name) is not None:
                print(f"{'':<{width}}    cannot be played: {problems[name]}", file=ctx.out)
    if skipped:
        print("\nLeft out (not sound files):", file=ctx.out)
        for item in skipped:
            print(f"  {shown(str(item.path))}: {item.reason}", file=ctx.out)
    print(
        f"\nAdd your own .wav or .ogg files to {shown(str(ctx.paths.sounds_dir))}"
        f" (soundscapes to {ctx.paths.sounds_dir / SOUNDSCAPES})",
        file=ctx.out,
    )
    return 0


def cmd_play(args: argparse.Namespace, ctx: Context) -> int:
    """Play one sound through the mixer and wait until it has rung out."""
    from companion.sound.files import soundscape_files
    from companion.sound.player import MixerPlayer, close_names

    name: str = args.name
    found, skipped = sound_listing(ctx.paths)
    scapes = soundscape_files(ctx.paths)
    odd = [item for item in skipped if item.stem == name]
    if name not in found and name not in scapes and odd:
        print(f"Cannot play {name!r}: {shown(str(odd[0].path))} {odd[0].reason}.", file=ctx.err)
        return 1
    if name not in found and name in scapes:
        return _play_scape(args, ctx, name, scapes[name][0])
    if name not in found:
        close = close_names(name, [*found, *scapes])
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        print(f"No sound called {name!r}.{hint} `companion sounds` lists them.", file=ctx.err)
        return 1
    path = found[name][0]
    why = sound_problem(path)
    if why is not None:
        print(f"Cannot play {name!r}: {path} {why}.", file=ctx.err)
        return 1
    player = MixerPlayer(ctx.paths, volume=args.volume, background=False)
    try:
        if not player.available:
            print(f"No sound device found: cannot play {name!r}.", file=ctx.err)
            return 1
        length = player.length(name)
        if length is None:
            print(f"Could not read {path}: is it a .wav or .ogg sound file?", file=ctx.err)
            return 1
        print(f"Playing {name} ({length:.1f}s) from {path}", file=ctx.out)
        player.play(name)
        player.wait_quiet(length + PLAY_SLACK)
        return 0
    finally:
        player.close()


def _play_scape(args: argparse.Namespace, ctx: Context, name: str, path: Path) -> int:
    """Play a soundscape for --seconds, fading in and out as a practice would."""
    import threading

    from companion.sound.background import FADE
    from companion.sound.player import MixerPlayer

    player = MixerPlayer(ctx.paths, volume=args.volume, background=False)
    try:
        if not player.available:
            print(f"No sound device found: cannot play {name!r}.", file=ctx.err)
            return 1
        print(f"Playing the soundscape {name} for {args.seconds:g}s from {path}", file=ctx.out)
        player.start_background(name, 1.0)
        hold = threading.Event()  # never set: the soundscape plays for a set time
        hold.wait(max(0.0, args.seconds - FADE))
        player.stop_background()
        hold.wait(FADE + 0.2)
        return 0
    finally:
        player.close()
