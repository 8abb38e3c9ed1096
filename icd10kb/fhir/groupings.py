"""FHIR resources for groupings outside the classification: CCSR, comorbidity groups, GEMs.

These builders take plain rows, so any dataset that yields ``(code, group)``
pairs with group labels (``icd10kb.groupers``' ``mapping(name)`` and its
labels, for instance) or ``(source, target[, equivalence])`` pairs (the
GEMs) can be published and served:

- :func:`grouping_code_system` — a ``CodeSystem`` of the groups;
- :func:`grouping_value_sets` — one ``ValueSet`` per group, listing its codes;
- :func:`concept_map` — a ``ConceptMap`` (ICD-10-CM to the groups, or between
  code systems), which the server answers ``$translate`` from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..arguments import check_choice
from ..errors import InvalidArgumentError
from . import checks
from .concepts import SYSTEM
from .resources import _NAME_UNSAFE, DEFAULT_BASE, resource_id

__all__ = ["EQUIVALENCES", "concept_map", "grouping_code_system", "grouping_resources", "grouping_value_sets"]

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
    name, labels = checks.text(name, "name"), checks.labels(labels, "labels")
    title, version = checks.text(title, "title"), checks.text(version, "version")
    publisher, base = checks.text(publisher, "publisher"), checks.text(base, "base")
    cs_id = resource_id(name)
    return {
        "resourceType": "CodeSystem",
        "id": cs_id,
        "url": f"{base}/CodeSystem/{cs_id}",
        "version": version,
        "name": _NAME_UNSAFE.sub("_", name),
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
    name = checks.text(name, "name")
    checked = checks.rows(rows, "rows", (2, 3), empty=(2,))
    labels = checks.labels(labels, "labels")
    version, publisher = checks.text(version, "version"), checks.text(publisher, "publisher")
    system_version, base = checks.optional_text(system_version, "system_version"), checks.text(base, "base")
    return _value_sets(name, checked, labels, version, publisher, system_version, base)


def _value_sets(
    name: str,
    checked: list[tuple[str, ...]],
    labels: dict[str, str],
    version: str,
    publisher: str,
    system_version: str | None,
    base: str,
) -> list[dict[str, Any]]:
    groups: dict[str, set[str]] = {}
    for row in checked:
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
                "name": _NAME_UNSAFE.sub("_", f"{name}_{group}"),
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
        equivalence (see :data:`EQUIVALENCES`), else *equivalence*. A row
        whose target is ``""`` says the source has no target (``unmatched``).
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
    map_id = checks.text(map_id, "map_id")
    checked = checks.rows(rows, "rows", (2, 3), empty=(1, 2))
    source, target = checks.text(source, "source"), checks.text(target, "target")
    title, version = checks.text(title, "title"), checks.text(version, "version")
    publisher = checks.text(publisher, "publisher")
    equivalence = check_choice(equivalence, tuple(sorted(EQUIVALENCES)), "equivalence")
    source_version = checks.optional_text(source_version, "source_version")
    target_version = checks.optional_text(target_version, "target_version")
    displays = None if displays is None else checks.labels(displays, "displays")
    base = checks.text(base, "base")
    names = {"source": source, "target": target, "title": title, "version": version, "publisher": publisher}
    return _concept_map(map_id, checked, names, equivalence, source_version, target_version, displays, base)


def _concept_map(
    map_id: str,
    checked: list[tuple[str, ...]],
    names: dict[str, str],
    equivalence: str,
    source_version: str | None,
    target_version: str | None,
    displays: dict[str, str] | None,
    base: str,
) -> dict[str, Any]:
    source, target = names["source"], names["target"]
    elements: dict[str, list[dict[str, Any]]] = {}
    for row in checked:
        kind = row[2] if len(row) > 2 and row[2] else equivalence
        if kind not in EQUIVALENCES:
            raise InvalidArgumentError(row, f"the equivalence must be one of {', '.join(sorted(EQUIVALENCES))}", "row")
        if not row[1] and kind != "unmatched":
            raise InvalidArgumentError(row, "only an 'unmatched' row may have no target code", "row")
        target_entry: dict[str, Any] = {"code": row[1]} if row[1] else {}
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
        "version": names["version"],
        "name": _NAME_UNSAFE.sub("_", map_id),
        "title": names["title"],
        "status": "active",
        "experimental": False,
        "publisher": names["publisher"],
        "sourceUri": source,
        "targetUri": target,
        "group": [group],
    }


def grouping_resources(
    name: str,
    rows: Iterable[tuple[str, str]],
    labels: Mapping[str, str],
    *,
    title: str,
    version: str,
    publisher: str,
    system_version: str | None = None,
    base: str = DEFAULT_BASE,
) -> list[dict[str, Any]]:
    """Everything to serve a grouping: its ``CodeSystem``, a ``ValueSet`` per group, and a ``ConceptMap``.

    The map goes from ICD-10-CM to the grouping's code system (equivalence
    ``wider``: a group holds more than one code); ``$translate`` answers
    from it. *rows* are ``(code, group)`` pairs, as ``mapping(name)`` of a
    grouper yields them.

    Examples
    --------
    >>> found = grouping_resources("demo", [("L94.2", "SKN")], {"SKN": "Skin"}, title="Demo", version="1",
    ...                            publisher="me")
    >>> [(r["resourceType"], r["id"]) for r in found]
    [('CodeSystem', 'demo'), ('ValueSet', 'demo-SKN'), ('ConceptMap', 'icd-10-cm-to-demo')]
    """
    name = checks.text(name, "name")
    pairs = checks.rows(rows, "rows", (2, 3), empty=(2,))
    labels = checks.labels(labels, "labels")
    title, version, publisher = (
        checks.text(title, "title"),
        checks.text(version, "version"),
        checks.text(publisher, "publisher"),
    )
    system_version, base = checks.optional_text(system_version, "system_version"), checks.text(base, "base")
    system = grouping_code_system(name, labels, title=title, version=version, publisher=publisher, base=base)
    sets = _value_sets(name, pairs, labels, version, publisher, system_version, base)
    names = {"source": SYSTEM, "target": system["url"], "title": f"ICD-10-CM to {title}"}
    names.update(version=version, publisher=publisher)
    cm = _concept_map(f"icd-10-cm-to-{name}", pairs, names, "wider", system_version, None, labels, base)
    return [system, *sets, cm]
