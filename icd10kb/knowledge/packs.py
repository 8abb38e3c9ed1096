"""Reading knowledge packs: :func:`read_pack` reads and validates one pack file.

Packs are JSON, or YAML with the ``yaml`` extra, validated whole against
:class:`~icd10kb.knowledge.models.KnowledgePack`; every problem is reported
with its place in the file. :mod:`icd10kb.knowledge.index` merges packs
against a release.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..errors import DataFileError, KnowledgePackError
from ..files import NamedBytes, describe, read_bytes
from ..files import Source as FileSource
from ..knowledge.models import (
    KnowledgePack,
)
from .yamlsafe import MAX_DIGITS

if TYPE_CHECKING:
    pass

__all__ = ["MAX_PACK_BYTES", "builtin_packs", "read_pack"]

#: The largest pack file read (decompressed); a pack of 20,000 sources is 1.5 MB.
MAX_PACK_BYTES = 64 * 1024 * 1024


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _parse(data: bytes, name: str) -> Any:
    lowered = name.lower()
    if lowered.endswith((".yaml", ".yml", ".yaml.gz", ".yml.gz")):
        try:
            import yaml  # noqa: F401 - only to say what is missing
        except ImportError:
            raise KnowledgePackError(name, [("", "YAML packs need PyYAML: pip install 'icd10kb[yaml]'")]) from None
        from .yamlsafe import load_yaml

        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise KnowledgePackError(name, [("", f"not UTF-8 text at byte {exc.start}")]) from None
        return load_yaml(text, name)  # the limits of JSON packs: depth, integers, duplicate keys; no aliases
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise KnowledgePackError(
            name, [("", f"not UTF-8 text: byte {data[exc.start]:#x} at offset {exc.start}")], line
        ) from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_int=_int, parse_constant=_constant)
    except _DuplicateKey as exc:
        raise KnowledgePackError(name, [("", f"the key {exc.key!r} appears twice in one object")]) from None
    except _Refused as exc:
        raise KnowledgePackError(name, [("", str(exc))]) from None
    except json.JSONDecodeError as exc:
        raise KnowledgePackError(name, [("", f"malformed JSON: {exc.msg}")], exc.lineno, exc.colno) from None
    except RecursionError:
        raise KnowledgePackError(name, [("", "nested too deeply")]) from None


class _Refused(ValueError):
    pass


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"an integer of more than {MAX_DIGITS} digits")
    return int(text)


def _constant(text: str) -> float:
    raise _Refused(f"{text} is not JSON")


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _problems(errors: list[Any]) -> list[tuple[str, str]]:
    """pydantic's errors as (place, message), most precise first-hand."""
    # A list whose items failed is also "too short" once they are dropped; say only what is wrong inside.
    inner = {tuple(e["loc"][:i]) for e in errors for i in range(1, len(e["loc"])) if isinstance(e["loc"][i], int)}
    problems: list[tuple[str, str]] = []
    for error in errors:
        if error["type"] == "too_short" and tuple(error["loc"]) in inner:
            continue
        message = error["msg"].removeprefix("Value error, ")
        if not error["loc"] and ": " in message:  # the pack-wide checks name their own places
            for part in message.split("; "):
                where, _, what = part.partition(": ")
                problems.append((where, what))
        else:
            problems.append((_location(error["loc"]), message))
    return problems


def read_pack(source: FileSource | KnowledgePack | dict[str, Any]) -> tuple[KnowledgePack, str]:
    """Read and validate one knowledge pack.

    Parameters
    ----------
    source:
        A path, ``PathLike`` or binary file object (JSON, or YAML when the
        name ends in ``.yaml``/``.yml``; gzip is read transparently), an
        already parsed ``dict``, or a :class:`KnowledgePack`.

    Returns
    -------
    tuple
        ``(pack, name)``: the validated pack and a name for messages.

    Raises
    ------
    KnowledgePackError
        If the file cannot be read or parsed, or the pack is invalid; it
        lists every problem with its place (a JSON path such as
        ``diseases[0].symptoms[1].identifiers``).

    Examples
    --------
    >>> pack, _ = read_pack({"format": "icd10kb-knowledge/1", "id": "x", "title": "X",
    ...     "sources": {"s": {"title": "S"}},
    ...     "diseases": [{"code": "L94.2", "label": "Calcinosis cutis", "sources": ["s"]}]})
    >>> pack.diseases[0].code
    'L94.2'
    >>> read_pack({"format": "icd10kb-knowledge/1"})
    Traceback (most recent call last):
      ...
    icd10kb.errors.KnowledgePackError: <pack>: invalid knowledge pack (4 problem(s)): id: Field required; ...
    """
    if isinstance(source, KnowledgePack):
        return source, f"<pack {source.id}>"
    if isinstance(source, dict):
        raw, name = source, "<pack>"
    else:
        name = describe(source)
        try:
            data, name, _ = read_bytes(source, limit=MAX_PACK_BYTES)
        except DataFileError as exc:
            raise KnowledgePackError(name, [("", exc.message)]) from None
        raw = _parse(data, name)
    if not isinstance(raw, dict):
        raise KnowledgePackError(name, [("", f"the top level must be an object, not {type(raw).__name__}")])
    try:
        return KnowledgePack.model_validate(raw), name
    except ValidationError as exc:
        problems = _problems(exc.errors(include_url=False))
        raise KnowledgePackError(name, problems) from None


def builtin_packs() -> list[tuple[KnowledgePack, str]]:
    """The knowledge packs shipped in the package: every dataset of kind ``"knowledge"``."""
    from ..datasets import describe, names, read

    packs = []
    for name in names():
        info = describe(name)
        if info.kind == "knowledge":
            for entry in info.files:
                packs.append(read_pack(NamedBytes(read(name, entry.path), f"icd10kb/data/{entry.path}")))
    return packs
