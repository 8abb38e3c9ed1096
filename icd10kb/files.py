"""Opening data files: paths, path-likes or binary file objects, plain or gzip.

Every reader in icd10kb goes through :func:`read_bytes`, so all of them
accept the same inputs, read ``.gz`` transparently, refuse absurdly large
(or decompression-bomb) inputs and name the file in their errors.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import zlib
from typing import BinaryIO, Union

from .errors import DataFileError

__all__ = ["MAX_FILE_BYTES", "NamedBytes", "Source", "describe", "read_bytes", "sha256"]

#: The largest (decompressed) data file icd10kb reads: far above any official file.
MAX_FILE_BYTES = 256 * 1024 * 1024

Source = Union[str, "os.PathLike[str]", BinaryIO]
_GZIP_MAGIC = b"\x1f\x8b"


class NamedBytes(io.BytesIO):
    """A binary file object over bytes already in memory, with a name for messages."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name


def describe(source: object) -> str:
    """A name for *source* to put in messages.

    Examples
    --------
    >>> describe("data/x.xml")
    'data/x.xml'
    >>> import io; describe(io.BytesIO(b""))
    '<stream>'
    >>> import pathlib; describe(pathlib.PurePosixPath("a.xml"))
    'a.xml'
    """
    if isinstance(source, (str, os.PathLike)):
        try:
            path = os.fspath(source)
        except Exception:  # a hostile __fspath__
            return f"<{type(source).__name__} object>"
        if isinstance(path, bytes):  # os.DirEntry from os.scandir(b".") and other bytes path-likes
            path = os.fsdecode(path)
        if isinstance(path, str):
            return str.__getitem__(path, slice(None))  # a plain str, whatever a subclass overrides
        return f"<{type(source).__name__} object>"
    try:
        name = getattr(source, "name", None)
    except Exception:  # a hostile property
        name = None
    return name if isinstance(name, str) else "<stream>"


def sha256(data: bytes) -> str:
    """Hex SHA-256 of *data*.

    Examples
    --------
    >>> sha256(b"")[:12]
    'e3b0c44298fc'
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        from .errors import InvalidArgumentError

        raise InvalidArgumentError(data, f"expected bytes, got {type(data).__name__}", "data")
    return hashlib.sha256(data).hexdigest()


def _read_raw(source: object, name: str, limit: int) -> bytes:
    if isinstance(source, (str, os.PathLike)):
        try:
            path = os.fspath(source)
        except Exception as exc:  # a hostile __fspath__
            raise DataFileError(name, f"not a usable path: {type(exc).__name__}") from None
        try:
            with open(path, "rb") as handle:
                return _read_limited(handle, name, limit)
        except OSError as exc:
            raise DataFileError(name, f"cannot be read: {exc.strerror or exc}") from None
        except (ValueError, TypeError) as exc:  # a NUL character in the path; a path-like that returns no path
            raise DataFileError(name, f"cannot be opened: {exc}") from None
    read = getattr(source, "read", None)
    if read is None:
        raise DataFileError(name, f"expected a path or a binary file object, got {type(source).__name__}")
    return _read_limited(source, name, limit)  # type: ignore[arg-type]


def _read_limited(handle: BinaryIO, name: str, limit: int) -> bytes:
    try:
        data = handle.read(limit + 1)
    except (OSError, EOFError, zlib.error, ValueError, TypeError) as exc:
        # ValueError: a closed file; EOFError and zlib.error: damaged data behind gzip.open()
        raise DataFileError(name, f"cannot be read: {exc}") from None
    except Exception as exc:  # the caller's own file object failed: reported as such, the cause kept
        raise DataFileError(name, f"cannot be read: its read() raised {type(exc).__name__}") from exc
    if isinstance(data, str):
        raise DataFileError(name, "opened in text mode; open it in binary mode ('rb')")
    if not isinstance(data, (bytes, bytearray)):
        raise DataFileError(name, f"read() returned {type(data).__name__}, not bytes")
    if len(data) > limit:
        raise DataFileError(name, f"larger than {limit} bytes")
    return bytes(data)


def _gunzip(data: bytes, name: str, limit: int) -> bytes:
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while True:
                chunk = stream.read(1 << 20)
                if not chunk:
                    break
                out.write(chunk)
                if out.tell() > limit:
                    raise DataFileError(name, f"decompresses to more than {limit} bytes")
    except (OSError, EOFError, zlib.error) as exc:
        raise DataFileError(name, f"damaged gzip data: {exc}") from None
    return out.getvalue()


def read_bytes(source: Source, *, limit: int = MAX_FILE_BYTES) -> tuple[bytes, str, str]:
    """Read a whole data file.

    Parameters
    ----------
    source:
        A path, a ``PathLike`` or a file object opened in binary mode. Gzip
        data is recognised by its magic bytes and decompressed.
    limit:
        The most bytes the file may hold, decompressed (a reader of one kind
        of file passes a budget near the size of the largest real one).

    Returns
    -------
    tuple
        ``(content, name, checksum)``: the (decompressed) bytes, a name for
        messages, and the SHA-256 of the bytes as stored (before
        decompression).

    Raises
    ------
    DataFileError
        If the file cannot be read, is damaged gzip, or is too large.

    Examples
    --------
    >>> import gzip, io
    >>> read_bytes(io.BytesIO(gzip.compress(b"A00")))[0]
    b'A00'
    """
    if type(limit) is not int or not 0 <= limit <= MAX_FILE_BYTES:
        from .errors import InvalidArgumentError

        raise InvalidArgumentError(limit, f"limit is a whole number of bytes, at most {MAX_FILE_BYTES}", "limit")
    name = describe(source)
    raw = _read_raw(source, name, limit)
    checksum = sha256(raw)
    if raw[:2] == _GZIP_MAGIC:
        return _gunzip(raw, name, limit), name, checksum
    return raw, name, checksum
