"""`companion voice` (which voice would speak cues, and whether it works) and
`companion voice test "words"` (speak a line through the mixer)."""

from __future__ import annotations

import argparse
import shlex
import time
from pathlib import Path

from companion.commands import Context

TRY_LINE = "Breathe in."
DRAIN = 0.5  # seconds past the line's length to let the mixer finish


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `voice` and `voice test`."""
    p = sub.add_parser(
        "voice",
        help="which voice would speak cues, and whether it works; `voice test WORDS` speaks a line",
        description=(
            "Spoken guidance uses an offline voice, set with `voice` in [settings] of the "
            'config file: "off" (the default), "system" (espeak-ng on Linux, say on macOS, '
            'the built-in speech on Windows) or a command such as ["my-tts", "--out", '
            '"{wav}", "{text}"]. docs/eyes-closed.md has more.'
        ),
    )
    p.add_argument(
        "--voice", metavar="SETTING", help='try "system" or "off" instead of the setting'
    )
    p.set_defaults(func=cmd_voice)
    actions = p.add_subparsers(dest="voice_command", metavar="ACTION")
    test = actions.add_parser("test", help="speak a line through the speakers")
    test.add_argument("words", nargs="?", default="Let the shoulders drop.", metavar="WORDS")
    test.add_argument("--voice", metavar="SETTING", help='try "system" instead of the setting')
    test.add_argument("--volume", type=float, default=0.8, metavar="V", help="0 to 1 (default 0.8)")
    test.set_defaults(func=cmd_test)


def _setting(args: argparse.Namespace, ctx: Context) -> tuple[str | tuple[str, ...], str]:
    """The voice setting to use and where it came from."""
    from companion.config import load_config

    if args.voice:
        return _voice_arg(args.voice), "--voice"
    config, notice = load_config(ctx.paths)
    if notice:
        print(notice, file=ctx.err)
    return config.voice, str(ctx.paths.config_file)


def _voice_arg(text: str) -> str | tuple[str, ...]:
    """--voice as written: off, system, a TOML list, or a command line split like a shell."""
    import tomllib

    word = text.strip()
    if word.lower() in ("off", "system"):
        return word.lower()
    if word.startswith("["):
        try:
            value = tomllib.loads(f"v = {word}")["v"]
        except tomllib.TOMLDecodeError:
            value = None
        if isinstance(value, list) and all(isinstance(w, str) for w in value):
            return tuple(value)
    try:
        return tuple(shlex.split(word))
    except ValueError:
        return (word,)


def cmd_voice(args: argparse.Namespace, ctx: Context) -> int:
    """Say what the voice setting resolves to and try it on a short line."""
    from companion.sound.voice import VOICE_OFF, VOICE_SYSTEM, choose_voice, describe

    setting, source = _setting(args, ctx)
    print(f"voice = {describe(setting)}  (from {source})", file=ctx.out)
    if setting == VOICE_OFF:
        system = choose_voice(VOICE_SYSTEM)
        print("Cues are not spoken (the default).", file=ctx.out)
        if system.command is not None:
            found = f"{system.command.label} ({system.command.argv[0]})"
            print(f'With voice = "system" they would be spoken by {found}.', file=ctx.out)
        else:
            print(f'With voice = "system": {system.notice}', file=ctx.out)
        print(
            f"Set it in [settings] of {ctx.paths.config_file}; "
            "`companion voice test --voice system` tries it.",
            file=ctx.out,
        )
        return 0
    return _try(setting, ctx, TRY_LINE, play=False, volume=0.0)


def cmd_test(args: argparse.Namespace, ctx: Context) -> int:
    """Render a line with the voice and play it through the mixer."""
    setting, _source = _setting(args, ctx)
    if setting == "off":
        print(
            'The voice is off; trying the system voice (voice = "system" keeps it).', file=ctx.out
        )
        setting = "system"
    return _try(setting, ctx, args.words, play=True, volume=args.volume)


def _try(
    setting: str | tuple[str, ...], ctx: Context, words: str, *, play: bool, volume: float
) -> int:
    """Render `words`, report how long it took, and optionally play them."""
    from companion.sound.voice import Voice, choose_voice, wav_seconds

    if not isinstance(setting, str) and not any("{wav}" in w for w in setting):
        print("The voice command must say where to write the sound with {wav}.", file=ctx.err)
        return 1
    choice = choose_voice(setting)
    if choice.command is None:
        print(choice.notice, file=ctx.err)
        return 1
    command = choice.command
    print(f"Uses {command.label}: {shlex.join(command.argv)}", file=ctx.out)
    voice = Voice(command, ctx.paths.cache_dir)
    cached = voice.wav_for(words).is_file()
    started = time.perf_counter()
    path = voice.wait(words, voice.timeout + 1.0)
    took = time.perf_counter() - started
    voice.close()
    if path is None:
        print(f"It does not work yet: {voice.error(words) or 'no sound came back'}.", file=ctx.err)
        return 1
    length = wav_seconds(path) or 0.0
    how = "was already rendered" if cached else f"rendered in {took:.2f} s"
    print(f"It works: {words!r} {how}, {length:.1f} s of speech ({path}).", file=ctx.out)
    if not play:
        return 0
    return _play(ctx, path, length, volume)


def _play(ctx: Context, path: Path, length: float, volume: float) -> int:
    """Play a rendered line on the mixer's speech channel and wait for it to finish."""
    from companion.sound.player import MixerPlayer

    player = MixerPlayer(ctx.paths, volume=volume, background=False)
    try:
        if not player.available:
            print(player.notice or "No sound device found: cannot speak.", file=ctx.err)
            return 1
        if not player.play_speech(path):
            print(f"The mixer could not play {path}.", file=ctx.err)
            return 1
        player.wait_quiet(length + DRAIN)
        return 0
    finally:
        player.close()
