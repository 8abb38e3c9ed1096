"""FHIR R4 resources built from a release: the CodeSystem, ValueSets and ConceptMaps.

Every builder returns plain JSON-ready dictionaries (``json.dumps`` them, or
validate them with ``fhir.resources``) and takes the knowledge base as its
first argument, ``None`` meaning :func:`icd10kb.load`.

- :func:`code_system` — the ``CodeSystem`` ``http://hl7.org/fhir/sid/icd-10-cm``
  with its version and every concept (see :mod:`icd10kb.fhir.concepts`);
  :func:`write_code_system` streams the same JSON to a file without holding
  it in memory.
- :func:`hierarchy_value_set` and :func:`value_sets` — one ``ValueSet`` per
  chapter, block or category, defined by an ``is-a`` filter.
- the builders for groupings that live outside the classification (CCSR,
  comorbidity groups, GEMs) are in :mod:`icd10kb.fhir.groupings`.

Canonical URLs of the resources icd10kb defines (value sets, maps, grouping
code systems) start with a *base* URL that the caller chooses;
:data:`DEFAULT_BASE` is a URN, since icd10kb publishes nothing at a web
address.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

from ..arguments import check_bool, check_choice, check_int, check_items
from ..errors import InvalidArgumentError
from . import checks
from .concepts import PROPERTIES, SYSTEM, concept_entry, fhir_code

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

__all__ = [
    "DEFAULT_BASE",
    "VALUE_SET_KINDS",
    "code_system",
    "hierarchy_value_set",
    "resource_id",
    "value_sets",
    "write_code_system",
    "code_system_header",
]

#: Base of the canonical URLs of the resources icd10kb defines.
DEFAULT_BASE = "urn:icd10kb:fhir"
#: The kinds of concept that get a value set each.
VALUE_SET_KINDS = ("chapter", "block", "category")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9.\-]+")
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_]+")
_CONTENTS = ("not-present", "example", "fragment", "complete", "supplement")


#: Most codes given to :func:`code_system` (a release has about 100,000 concepts).
MAX_CODES = 1_000_000


def _kb(kb: KnowledgeBase | None) -> KnowledgeBase:
    if kb is None:
        from ..load import load

        return load()
    from ..classification.core import Classification

    return checks.same(kb, Classification, "kb")  # type: ignore[no-any-return]


def resource_id(*parts: str) -> str:
    """A FHIR resource id (letters, digits, ``-`` and ``.``; at most 64) made from *parts*.

    Examples
    --------
    >>> resource_id("icd-10-cm", "block", "L80-L99")
    'icd-10-cm-block-L80-L99'
    >>> resource_id("ccsr", "CIR 007")
    'ccsr-CIR-007'
    """
    texts = [checks.text(part, "resource id", empty=True) for part in parts]
    text = "-".join(_ID_UNSAFE.sub("-", part).strip("-") for part in texts)
    if not text or len(text) > 64:
        raise InvalidArgumentError(parts, "a resource id is 1 to 64 letters, digits, '-' or '.'", "resource id")
    return text


def code_system_header(kb: KnowledgeBase, count: int, content: str) -> dict[str, Any]:
    """The ``CodeSystem`` of *kb*'s release without its concepts: *count* of them, *content* as FHIR says.

    Examples
    --------
    >>> code_system_header(kb, 0, "not-present")["version"]
    '2026-04-01'
    """
    count = check_int(count, "count")
    content = check_choice(content, _CONTENTS, "content")
    release = _kb(kb).release
    return {
        "resourceType": "CodeSystem",
        "id": "icd-10-cm",
        "url": SYSTEM,
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": "urn:oid:2.16.840.1.113883.6.90"}],
        "version": release.name,
        "name": "ICD10CM",
        "title": release.title,
        "status": "active",
        "experimental": False,
        **({"date": release.effective.isoformat()} if release.effective else {}),
        "publisher": release.source,
        "description": (
            f"The International Classification of Diseases, Tenth Revision, Clinical Modification, "
            f"release {release.name}: chapters, blocks, categories and codes with their notes."
        ),
        "copyright": release.license,
        "caseSensitive": True,
        "hierarchyMeaning": "is-a",
        "compositional": False,
        "versionNeeded": False,
        "content": content,
        "count": count,
        "property": [
            {"code": code, **({"uri": uri} if uri else {}), "description": text, "type": kind}
            for code, uri, kind, text in PROPERTIES
        ],
    }


def code_system(
    kb: KnowledgeBase | None = None, *, codes: Iterable[str] | None = None, notes: bool = True
) -> dict[str, Any]:
    """The FHIR ``CodeSystem`` of a release.

    Parameters
    ----------
    kb:
        The release (default: :func:`icd10kb.load`).
    codes:
        Only these concepts (``content`` becomes ``fragment``); default every
        concept, chapters and blocks included.
    notes:
        Include the instructional notes (as properties) and inclusion terms
        (as designations).

    Returns
    -------
    dict
        The resource as JSON-ready dictionaries.

    Examples
    --------
    >>> cs = code_system(kb, codes=kb.path("L94.2"))
    >>> cs["url"], cs["version"], cs["content"], [c["code"] for c in cs["concept"]]
    ('http://hl7.org/fhir/sid/icd-10-cm', '2026-04-01', 'fragment', ['chapter-12', 'L80-L99', 'L94', 'L94.2'])
    """
    kb = _kb(kb)
    wanted = None if codes is None else check_items(codes, "codes", MAX_CODES)
    notes = check_bool(notes, "notes")
    chosen = list(kb if wanted is None else dict.fromkeys(kb.normalize(c) for c in wanted))
    resource = code_system_header(kb, len(kb), "complete" if codes is None else "fragment")
    resource["concept"] = [concept_entry(kb, code, notes=notes) for code in chosen]
    return resource


def write_code_system(kb: KnowledgeBase | None, out: IO[str], *, notes: bool = True) -> int:
    """Write the whole ``CodeSystem`` as JSON to *out*, one concept at a time; return the concept count.

    The result is the JSON of :func:`code_system` (without indentation);
    memory stays flat whatever the release's size.
    """
    kb = _kb(kb)
    if not callable(getattr(out, "write", None)) or (
        isinstance(out, io.IOBase)
        and (isinstance(out, io.BufferedIOBase | io.RawIOBase) or out.closed or not out.writable())
    ):
        raise InvalidArgumentError(out, "expected a text file open for writing", "out")
    notes = check_bool(notes, "notes")
    header = json.dumps(code_system_header(kb, len(kb), "complete"), ensure_ascii=False, separators=(",", ":"))
    out.write(header[:-1] + ',"concept":[')
    count = 0
    for code in kb:
        if count:
            out.write(",")
        out.write(json.dumps(concept_entry(kb, code, notes=notes), ensure_ascii=False, separators=(",", ":")))
        count += 1
    out.write("]}")
    return count


def hierarchy_value_set(kb: KnowledgeBase | None, code: str, *, base: str = DEFAULT_BASE) -> dict[str, Any]:
    """The ``ValueSet`` of a chapter, block or category: the concept and everything below it.

    Defined intensionally, by an ``is-a`` filter on the concept, so that it
    expands to the concept itself and all its descendants.

    Examples
    --------
    >>> vs = hierarchy_value_set(kb, "L94")
    >>> vs["id"], vs["url"]
    ('icd-10-cm-category-L94', 'urn:icd10kb:fhir/ValueSet/icd-10-cm-category-L94')
    >>> vs["compose"]["include"][0]["filter"]
    [{'property': 'concept', 'op': 'is-a', 'value': 'L94'}]
    """
    kb = _kb(kb)
    canonical = kb.normalize(code)
    base = checks.text(base, "base")
    kind = kb.kind(canonical)
    if kind not in VALUE_SET_KINDS:
        raise InvalidArgumentError(code, "value sets are made for chapters, blocks and categories", "value set root")
    vs_id = resource_id("icd-10-cm", kind, canonical)
    release = kb.release
    return {
        "resourceType": "ValueSet",
        "id": vs_id,
        "url": f"{base}/ValueSet/{vs_id}",
        "version": release.name,
        "name": _NAME_UNSAFE.sub("_", f"ICD10CM_{kind}_{canonical}"),
        "title": f"ICD-10-CM {kind} {canonical}: {kb.title(canonical)}",
        "status": "active",
        "experimental": False,
        "publisher": "icd10kb",
        "description": f"The ICD-10-CM {kind} {canonical} ({kb.title(canonical)}) and every concept below it.",
        "immutable": True,
        "compose": {
            "include": [
                {
                    "system": SYSTEM,
                    "version": release.name,
                    "filter": [{"property": "concept", "op": "is-a", "value": fhir_code(kb, canonical)}],
                }
            ]
        },
    }


def value_sets(
    kb: KnowledgeBase | None = None, kind: str = "chapter", *, base: str = DEFAULT_BASE
) -> Iterator[dict[str, Any]]:
    """One ``ValueSet`` per chapter, block or category of the release, in the classification's order.

    Examples
    --------
    >>> [vs["id"] for vs in value_sets(kb, "chapter")][:2]
    ['icd-10-cm-chapter-1', 'icd-10-cm-chapter-2']
    """
    kind = check_choice(kind, VALUE_SET_KINDS, "value set kind")
    base = checks.text(base, "base")
    kb = _kb(kb)
    return (hierarchy_value_set(kb, code, base=base) for code in kb if kb.kind(code) == kind)
