"""The commands that look for codes or check them: ``search`` and ``check``."""

from __future__ import annotations

import argparse
import sys

from .common import Command, Failure, UsageError, count, load_kb
from .output import emit, emit_json, say

__all__ = ["COMMANDS"]

#: What separates the codes read from standard input, besides white space.
_SEPARATORS = str.maketrans(",;", "  ")
#: Suggestions printed at most under one finding.
_SHOWN = 10


#: The most characters `icd10kb check` reads from standard input (100,000 codes and their separators).
MAX_STDIN = 1_000_000

def cmd_search(args: argparse.Namespace) -> int:
    from ..search.index import check_filters

    kb = load_kb(args)
    check_filters(kb, chapter=args.chapter, block=args.block)  # before the index is built
    hits = kb.search(
        " ".join(args.words),
        args.limit,
        chapter=args.chapter,
        block=args.block,
        billable=True if args.billable else None,
    )
    if args.json:
        emit_json(list(hits))
        return 0
    if not hits:
        if args.limit:  # --limit 0 asks for nothing, and gets it
            say("no match")
        return 0
    width = max(len(h.code) for h in hits)
    for hit in hits:
        extra = f"  (+{hit.seventh_characters} 7th-character codes)" if hit.seventh_characters else ""
        emit(f"{hit.code.ljust(width)}  {hit.title}{extra}")
        for match in [m for m in hit.matches if m.field != "title"][:2]:
            emit(f"{' ' * width}    {match.field}: {match.text}")
        for typo, word in hit.corrections:
            emit(f"{' ' * width}    read {typo!r} as {word!r}")
    return 0


def _read_codes(args: argparse.Namespace) -> list[str]:
    codes = list(args.codes)
    if codes and codes != ["-"]:
        return codes
    stdin = sys.stdin
    if stdin is None or getattr(stdin, "closed", False):
        raise UsageError("no codes to check: give them as arguments (standard input is closed)")
    if not codes and stdin.isatty():  # a bare `icd10kb check` on a terminal: do not wait in silence
        raise UsageError("no codes to check: give them as arguments, or pipe them in (or '-' to type them)")
    try:
        text = stdin.read(MAX_STDIN + 1)  # bounded: a stream without end is refused, not read forever
    except UnicodeDecodeError as exc:
        raise Failure(f"standard input is not {exc.encoding} text: {exc.reason} at byte {exc.start}") from exc
    except (OSError, ValueError) as exc:
        raise Failure(f"cannot read standard input: {exc}") from exc
    if len(text) > MAX_STDIN:
        raise Failure(f"standard input holds more than {MAX_STDIN:,} characters: check at most 100,000 codes at once")
    codes = text.translate(_SEPARATORS).split()
    if not codes:
        raise UsageError("no codes to check: give them as arguments or on standard input")
    return codes


def cmd_check(args: argparse.Namespace) -> int:
    codes = _read_codes(args)
    kb = load_kb(args)
    findings = kb.check(codes)
    if args.json:
        emit_json(list(findings))
    elif not findings:
        emit(f"{len(codes)} code(s): no findings")
    else:
        for finding in findings:
            concerned = ", ".join(repr(code) for code in finding.codes)
            emit(f"{finding.severity}: {finding.kind}: {concerned}: {finding.message}")
            if finding.note:
                emit(f"    note at {finding.note_at}: {finding.note}")
            if finding.suggestions:
                hidden = len(finding.suggestions) - _SHOWN
                more = f" (and {hidden} more; --json lists all)" if hidden > 0 else ""
                emit(f"    consider: {', '.join(finding.suggestions[:_SHOWN])}{more}")
    return 1 if any(f.severity == "error" for f in findings) else 0


def _search_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("words", nargs="+", help="the words to look for")
    parser.add_argument("--limit", type=count, default=10, help="hits to show at most (default 10)")
    parser.add_argument("--chapter", help="only within this chapter (e.g. 12)")
    parser.add_argument("--block", help="only within this block (e.g. L80-L99)")
    parser.add_argument("--billable", action="store_true", help="only billable codes")


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "codes",
        nargs="*",
        help="the codes, principal first; '-' (or none, when piped) reads them from standard input"
        " (separated by spaces, commas, semicolons or new lines)",
    )


COMMANDS = {
    "search": Command(
        "find codes from words (titles, inclusion terms and includes notes, knowledge)", cmd_search, _search_arguments
    ),
    "check": Command("check the codes of one encounter against the coding rules", cmd_check, _check_arguments),
}
