"""Reading a release's list of valid codes: the NCHS item list and the CMS order and code files."""

from __future__ import annotations

import re

from ..errors import DataFileError
from ..files import Source, read_bytes

__all__ = ["code_list_from_bytes", "read_code_list"]

_ITEM_CHAPTER = re.compile(r"[0-9]{1,2}")
_ITEM_BLOCK = re.compile(r"[A-Z0-9]{3}-[A-Z0-9]{3}")


def read_code_list(source: Source) -> frozenset[str]:
    """Read a release's list of valid codes, as dotless codes.

    Three official layouts are recognised from their first line: the NCHS
    item list (one item a line: chapter numbers, block ranges, dotless
    codes), the CMS order file (order number, code, header flag, titles)
    and the CMS code file (code, then its title).

    Parameters
    ----------
    source:
        A path, ``PathLike`` or binary file object, plain or gzip.

    Returns
    -------
    frozenset[str]
        Every dotless code listed (chapters and blocks are left out).

    Raises
    ------
    DataFileError
        If the file cannot be read or a line is not in the layout.

    Examples
    --------
    >>> import io
    >>> sorted(read_code_list(io.BytesIO(b"12\\r\\nL80-L99\\r\\nL94\\r\\nL942\\r\\n")))
    ['L94', 'L942']
    """
    data, name, _ = read_bytes(source)
    return code_list_from_bytes(data, name)


def code_list_from_bytes(data: bytes, name: str) -> frozenset[str]:
    """The codes of a code list already read (see :func:`read_code_list`)."""
    from ..arguments import check_bytes, check_text

    data, name = check_bytes(data, "data"), check_text(name, "file name", 4096)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = data[: exc.start].count(b"\n") + 1
        raise DataFileError(name, f"not UTF-8 text: byte {data[exc.start]:#x}", where) from None
    codes: set[str] = set()
    order = re.compile(r"[0-9]{5} ([A-Z0-9]{3,7}) *[01] ")
    plain = re.compile(r"([A-Z0-9]{3,7})(?:\s.*)?")
    layout: re.Pattern[str] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip("\ufeff")
        if not line.strip():
            continue
        if layout is None:
            layout = order if order.match(line) else plain
        if layout is plain and (_ITEM_CHAPTER.fullmatch(line.strip()) or _ITEM_BLOCK.fullmatch(line.strip())):
            continue
        match = layout.match(line) if layout is order else layout.fullmatch(line.rstrip())
        if match is None or not match.group(1)[0].isalpha():
            raise DataFileError(name, f"not a code list line: {line[:60]!r}", number, 1)
        codes.add(match.group(1))
    if not codes:
        raise DataFileError(name, "no codes in the code list")
    return frozenset(codes)
