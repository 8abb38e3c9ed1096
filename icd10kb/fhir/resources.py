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
- :func:`grouping_value_sets`, :func:`grouping_code_system` and
  :func:`concept_map` — for groupings that live outside the classification
  (CCSR categories, comorbidity groups, GEMs): they take plain rows, so any
  dataset that yields ``(code, group)`` or ``(source, target)`` pairs can be
  published.

Canonical URLs of the resources icd10kb defines (value sets, maps, grouping
code systems) start with a *base* URL that the caller chooses;
:data:`DEFAULT_BASE` is a URN, since icd10kb publishes nothing at a web
address.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any

from ..errors import InvalidArgumentError
from .concepts import PROPERTIES, SYSTEM, concept_entry, fhir_code

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

__all__ = [
    "DEFAULT_BASE",
    "EQUIVALENCES",
    "VALUE_SET_KINDS",
    "code_system",
    "concept_map",
    "grouping_code_system",
    "grouping_value_sets",
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
#: ConceptMap equivalences of FHIR R4 (``ConceptMap.group.element.target.equivalence``).
EQUIVALENCES = frozenset(
    {
        "relatedto",
        "equivalent",
        "equal",
        "wider",
        "subsumes",
        "narrower",
        "specializes",
        "inexact",
        "unmatched",
        "disjoint",
    }
)
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9.\-]+")


def _kb(kb: KnowledgeBase | None) -> KnowledgeBase:
    if kb is None:
        from ..load import load

        return load()
    return kb


def resource_id(*parts: str) -> str:
    """A FHIR resource id (letters, digits, ``-`` and ``.``; at most 64) made from *parts*.

    Examples
    --------
    >>> resource_id("icd-10-cm", "block", "L80-L99")
    'icd-10-cm-block-L80-L99'
    >>> resource_id("ccsr", "CIR 007")
    'ccsr-CIR-007'
    """
    text = "-".join(_ID_UNSAFE.sub("-", part).strip("-") for part in parts)
    if not text or len(text) > 64:
        raise InvalidArgumentError(parts, "a resource id is 1 to 64 letters, digits, '-' or '.'", "resource id")
    return text


def code_system_header(kb: KnowledgeBase, count: int, content: str) -> dict[str, Any]:
    release = kb.release
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


def code_system(kb: KnowledgeBase | None = None, *, codes: Iterable[str] | None = None, notes: bool = True) -> dict[str, Any]:
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
    chosen = list(kb if codes is None else dict.fromkeys(kb.normalize(c) for c in codes))
    resource = code_system_header(kb, len(kb), "complete" if codes is None else "fragment")
    resource["concept"] = [concept_entry(kb, code, notes=notes) for code in chosen]
    return resource


def write_code_system(kb: KnowledgeBase | None, out: IO[str], *, notes: bool = True) -> int:
    """Write the whole ``CodeSystem`` as JSON to *out*, one concept at a time; return the concept count.

    The result is the JSON of :func:`code_system` (without indentation);
    memory stays flat whatever the release's size.
    """
    kb = _kb(kb)
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
    >>> vs["id"], vs["url"], vs["compose"]["include"][0]["filter"]
    ('icd-10-cm-category-L94', 'urn:icd10kb:fhir/ValueSet/icd-10-cm-category-L94', [{'property': 'concept', 'op': 'is-a', 'value': 'L94'}])
    """
    kb = _kb(kb)
    canonical = kb.normalize(code)
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
        "name": _ID_UNSAFE.sub("_", f"ICD10CM_{kind}_{canonical}"),
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


def value_sets(kb: KnowledgeBase | None = None, kind: str = "chapter", *, base: str = DEFAULT_BASE) -> Iterator[dict[str, Any]]:
    """One ``ValueSet`` per chapter, block or category of the release, in the classification's order.

    Examples
    --------
    >>> [vs["id"] for vs in value_sets(kb, "chapter")][:2]
    ['icd-10-cm-chapter-1', 'icd-10-cm-chapter-2']
    """
    if kind not in VALUE_SET_KINDS:
        raise InvalidArgumentError(kind, f"one of {', '.join(VALUE_SET_KINDS)}", "value set kind")
    kb = _kb(kb)
    return (hierarchy_value_set(kb, code, base=base) for code in kb if kb.kind(code) == kind)


def _check_pairs(rows: Iterable[Any], what: str) -> Iterator[tuple[str, ...]]:
    for number, row in enumerate(rows):
        if not isinstance(row, (tuple, list)) or len(row) < 2 or not all(isinstance(v, str) and v for v in row[:2]):
            raise InvalidArgumentError(row, f"row {number} of {what} is not a pair of non-empty strings", what)
        yield tuple(row)


def grouping_code_system(
    name: str,
    labels: Mapping[str, str],
    *,
    title: str,
    version: str,
    publisher: str,
    base: str = DEFAULT_BASE,
) -> dict[str, Any]:
    """A ``CodeSystem`` for the groups of a grouping (CCSR categories, comorbidity groups …).

    *labels* maps each group's code to its label.

    Examples
    --------
    >>> cs = grouping_code_system("demo", {"G1": "Group one"}, title="Demo", version="1", publisher="me")
    >>> cs["url"], cs["concept"]
    ('urn:icd10kb:fhir/CodeSystem/demo', [{'code': 'G1', 'display': 'Group one'}])
    """
    cs_id = resource_id(name)
    return {
        "resourceType": "CodeSystem",
        "id": cs_id,
        "url": f"{base}/CodeSystem/{cs_id}",
        "version": version,
        "name": _ID_UNSAFE.sub("_", name),
        "title": title,
        "status": "active",
        "experimental": False,
        "publisher": publisher,
        "caseSensitive": True,
        "content": "complete",
        "count": len(labels),
        "concept": [{"code": code, "display": label} for code, label in labels.items()],
    }


def grouping_value_sets(
    name: str,
    rows: Iterable[tuple[str, str]],
    labels: Mapping[str, str],
    *,
    version: str,
    publisher: str,
    system_version: str | None = None,
    base: str = DEFAULT_BASE,
) -> list[dict[str, Any]]:
    """One ``ValueSet`` per group of a grouping, listing its ICD-10-CM codes.

    Parameters
    ----------
    name:
        The grouping's name (``"ccsr"``): it prefixes the value set ids.
    rows:
        ``(code, group)`` pairs, codes as the code system spells them.
    labels:
        Each group's label; a group without a label is an error.
    version, publisher:
        The grouping's version and publisher.
    system_version:
        The ICD-10-CM release the codes belong to.

    Examples
    --------
    >>> [vs["compose"]["include"][0]["concept"] for vs in grouping_value_sets(
    ...     "demo", [("L94.2", "SKN"), ("L94.0", "SKN")], {"SKN": "Skin"}, version="1", publisher="me")]
    [[{'code': 'L94.0'}, {'code': 'L94.2'}]]
    """
    groups: dict[str, set[str]] = {}
    for row in _check_pairs(rows, f"the {name} rows"):
        groups.setdefault(row[1], set()).add(row[0])
    out = []
    for group in sorted(groups):
        if group not in labels:
            raise InvalidArgumentError(group, f"the group has no label in the {name} labels", "group")
        vs_id = resource_id(name, group)
        include: dict[str, Any] = {"system": SYSTEM}
        if system_version:
            include["version"] = system_version
        include["concept"] = [{"code": code} for code in sorted(groups[group])]
        out.append(
            {
                "resourceType": "ValueSet",
                "id": vs_id,
                "url": f"{base}/ValueSet/{vs_id}",
                "version": version,
                "name": _ID_UNSAFE.sub("_", f"{name}_{group}"),
                "title": f"{name} {group}: {labels[group]}",
                "status": "active",
                "experimental": False,
                "publisher": publisher,
                "immutable": True,
                "compose": {"include": [include]},
            }
        )
    return out


def concept_map(
    map_id: str,
    rows: Iterable[tuple[str, ...]],
    *,
    source: str,
    target: str,
    title: str,
    version: str,
    publisher: str,
    equivalence: str = "equivalent",
    source_version: str | None = None,
    target_version: str | None = None,
    displays: Mapping[str, str] | None = None,
    base: str = DEFAULT_BASE,
) -> dict[str, Any]:
    """A ``ConceptMap`` from plain rows ``(source code, target code[, equivalence])``.

    Parameters
    ----------
    map_id:
        The map's resource id.
    rows:
        One row per mapping; the optional third item is the row's FHIR R4
        equivalence (see :data:`EQUIVALENCES`), else *equivalence*.
    source, target:
        The code systems' canonical URLs (``SYSTEM`` for ICD-10-CM).
    displays:
        Display texts of the target codes (a grouping's labels).

    Examples
    --------
    >>> cm = concept_map("demo", [("L94.2", "SKN"), ("L94.0", "SKN", "narrower")], source=SYSTEM,
    ...                  target="urn:icd10kb:fhir/CodeSystem/demo", title="Demo", version="1", publisher="me",
    ...                  equivalence="wider")
    >>> [(e["code"], e["target"][0]["equivalence"]) for e in cm["group"][0]["element"]]
    [('L94.0', 'narrower'), ('L94.2', 'wider')]
    """
    if equivalence not in EQUIVALENCES:
        raise InvalidArgumentError(equivalence, f"one of {', '.join(sorted(EQUIVALENCES))}", "equivalence")
    elements: dict[str, list[dict[str, Any]]] = {}
    for row in _check_pairs(rows, f"the rows of map {map_id}"):
        kind = row[2] if len(row) > 2 and row[2] else equivalence
        if kind not in EQUIVALENCES:
            raise InvalidArgumentError(row, f"the equivalence must be one of {', '.join(sorted(EQUIVALENCES))}", "row")
        target_entry: dict[str, Any] = {"code": row[1]}
        if displays and row[1] in displays:
            target_entry["display"] = displays[row[1]]
        target_entry["equivalence"] = kind
        elements.setdefault(row[0], []).append(target_entry)
    cm_id = resource_id(map_id)
    group: dict[str, Any] = {"source": source}
    if source_version:
        group["sourceVersion"] = source_version
    group["target"] = target
    if target_version:
        group["targetVersion"] = target_version
    group["element"] = [{"code": code, "target": elements[code]} for code in sorted(elements)]
    return {
        "resourceType": "ConceptMap",
        "id": cm_id,
        "url": f"{base}/ConceptMap/{cm_id}",
        "version": version,
        "name": _ID_UNSAFE.sub("_", map_id),
        "title": title,
        "status": "active",
        "experimental": False,
        "publisher": publisher,
        "sourceUri": source,
        "targetUri": target,
        "group": [group],
    }
