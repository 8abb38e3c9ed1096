"""The terminology service behind the server: releases, resources and their limits.

:class:`TerminologyService` knows which ICD-10-CM releases it answers for
(the one given, and on request the other releases shipped with the package),
which value sets, concept maps and grouping code systems it serves, and the
bounds of its work. The operations themselves are in
:mod:`icd10kb.fhir.operations`; the HTTP layer in :mod:`icd10kb.fhir.server`.

Value sets served without being registered:

- ``<base>/ValueSet/icd-10-cm-<kind>-<id>`` for every chapter, block and
  category (see :func:`~icd10kb.fhir.resources.hierarchy_value_set`);
- the implicit value sets ``http://hl7.org/fhir/sid/icd-10-cm?fhir_vs``
  (every concept) and ``…?fhir_vs=isa/<code>`` (a concept and its subtree).

Dates: ``$validate-code`` takes a ``date``. When the service has a
*date_check* hook (``(code, date) -> bool | None``, e.g. from a code
history), its answer is used; when it has none, or the hook answers None,
the answer comes from the release, and the response says so.
"""

from __future__ import annotations

import datetime
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..arguments import check_items, check_text
from ..errors import ICD10KBError, InvalidArgumentError
from ..files import Source, read_bytes
from ..kbargument import resolve_kb
from . import checks
from .concepts import SYSTEM
from .inputs import FhirError, Inputs
from .resources import DEFAULT_BASE, VALUE_SET_KINDS, hierarchy_value_set

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

__all__ = ["DateCheck", "Limits", "TerminologyService", "check_call", "read_resources"]

DateCheck = Callable[[str, datetime.date], "bool | None"]
_HIERARCHY_ID = re.compile(r"icd-10-cm-(chapter|block|category)-([A-Za-z0-9.\-]{1,20})")
_RESOURCE_TYPES = ("CodeSystem", "ValueSet", "ConceptMap")


def read_resources(path: Source) -> list[dict[str, Any]]:
    """The ValueSets, ConceptMaps and CodeSystems in a JSON file: one resource, or a Bundle of them.

    *path* is a path, a path-like or a binary file object (gzip is read too).

    Raises
    ------
    DataFileError
        If the file is not JSON (at most 200 MB), or holds something else.
    """
    import json

    from ..errors import DataFileError

    data, name, _ = read_bytes(path, limit=200_000_000)
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise DataFileError(name, f"is not JSON: {str(error)[:200]}") from None
    if isinstance(document, dict) and document.get("resourceType") == "Bundle":
        entries = document.get("entry", [])
        found = [e.get("resource") if isinstance(e, dict) else None for e in entries if isinstance(entries, list)]
    else:
        found = [document]
    for index, resource in enumerate(found):
        if not isinstance(resource, dict) or resource.get("resourceType") not in _RESOURCE_TYPES:
            raise DataFileError(name, f"entry {index} is not a {', '.join(_RESOURCE_TYPES)} resource")
    return found  # type: ignore[return-value]


def check_call(service: TerminologyService, inputs: Inputs, resource_id: str | None) -> str | None:
    """Check the arguments of an operation; return *resource_id* as a plain string (or None).

    Examples
    --------
    >>> from icd10kb.fhir.inputs import from_query
    >>> check_call(TerminologyService(kb, releases=()), from_query("code=L94.2"), "icd-10-cm")
    'icd-10-cm'
    """
    checks.same(service, TerminologyService, "service")
    checks.same(inputs, Inputs, "inputs")
    return None if resource_id is None else check_text(resource_id, "resource id", 64)


def _flat(concepts: Any, depth: int = 0) -> dict[str, str]:
    """Code to display of a CodeSystem's concepts, nested ones included (at most 20 levels)."""
    out: dict[str, str] = {}
    if not isinstance(concepts, list) or depth > 20:
        return out
    for concept in concepts:
        if isinstance(concept, dict) and isinstance(concept.get("code"), str):
            out[concept["code"]] = str(concept.get("display", ""))
            out.update(_flat(concept.get("concept"), depth + 1))
    return out


class Limits:
    """The bounds of the service's work.

    Attributes
    ----------
    max_body:
        Largest request body, in bytes.
    max_expansion:
        Most concepts in one ``$expand`` response (one page); an expansion
        larger than this without ``count`` is refused as ``too-costly``.
    time_limit:
        Seconds one operation may spend evaluating a value set.
    """

    def __init__(self, *, max_body: int = 65_536, max_expansion: int = 1000, time_limit: float = 2.0) -> None:
        for name, value in (("max_body", max_body), ("max_expansion", max_expansion)):
            if type(value) is not int or value < 1:
                raise InvalidArgumentError(value, "a whole number, 1 or more", name)
        if type(time_limit) is bool or not isinstance(time_limit, (int, float)) or not 0 < time_limit <= 600:  # NaN too
            raise InvalidArgumentError(time_limit, "seconds, more than 0 and at most 600", "time_limit")
        self.max_body = max_body
        self.max_expansion = max_expansion
        self.time_limit = float(time_limit)


class _Map:
    """A concept map with its indexes for ``$translate``.

    Raises
    ------
    InvalidArgumentError
        If the map is not shaped as FHIR says (groups, elements and targets are lists of
        objects; codes, systems and equivalences are text), naming where.
    """

    def __init__(self, resource: dict[str, Any]) -> None:
        self.resource = resource
        self.forward: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.backward: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for g, group in enumerate(_objects(resource.get("group"), "group")):
            source, target = _text(group.get("source", ""), f"group[{g}].source"), _text(
                group.get("target", ""), f"group[{g}].target"
            )
            for e, element in enumerate(_objects(group.get("element"), f"group[{g}].element")):
                code = _text(element.get("code"), f"group[{g}].element[{e}].code", required=True)
                display = element.get("display")
                for t, entry in enumerate(_objects(element.get("target"), f"group[{g}].element[{e}].target")):
                    where = f"group[{g}].element[{e}].target[{t}]"
                    to = _text(entry.get("code"), f"{where}.code")
                    equivalence = _text(entry.get("equivalence", "equivalent"), f"{where}.equivalence")
                    if not to or equivalence in ("unmatched", "disjoint"):
                        continue  # says there is no translation: nothing for $translate to return
                    match = {"equivalence": equivalence}
                    coding = {"system": target, "code": to, "display": entry.get("display")}
                    self.forward.setdefault((source, code), []).append(
                        {**match, "concept": {k: v for k, v in coding.items() if v}}
                    )
                    back = {"system": source, "code": code, "display": display}
                    self.backward.setdefault((target, to), []).append(
                        {**match, "concept": {k: v for k, v in back.items() if v}}
                    )


def _ordered(releases: object) -> object:
    """A set of release names as a sorted list (a set has no order; the names are looked up one by one)."""
    if isinstance(releases, (set, frozenset)):
        names = list(frozenset.__iter__(releases) if isinstance(releases, frozenset) else set.__iter__(releases))
        if all(type(name) is str for name in names):
            return sorted(names)
        return names  # check_text names the first that is not text
    return releases


def _objects(value: object, where: str) -> list[Mapping[str, Any]]:
    """A list of JSON objects of a concept map (absent: none)."""
    if value is None:
        return []
    if type(value) is not list or not all(isinstance(item, Mapping) for item in value):
        raise InvalidArgumentError(value, f"{where} of a ConceptMap is a list of objects", "resource")
    return value


def _text(value: object, where: str, *, required: bool = False) -> str:
    """A text field of a concept map, a plain ``str`` ("" when absent and not *required*)."""
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise InvalidArgumentError(value, f"{where} of a ConceptMap is text", "resource")
    return check_text(value, where, 10_000)


class TerminologyService:
    """The releases, resources and limits one server answers with.

    Parameters
    ----------
    kb:
        The release answered by default (default :func:`icd10kb.load`).
    releases:
        Other shipped releases (names) that requests may ask for with
        ``version``, loaded when first asked for; default all shipped ones.
    resources:
        Value sets, concept maps and code systems to serve (JSON
        dictionaries, e.g. from :mod:`icd10kb.fhir.resources`).
    base:
        The base of the canonical URLs of icd10kb's own value sets.
    date_check:
        The code-history hook for ``date`` (see the module's notes).
    limits:
        The bounds of the work (:class:`Limits`).

    Examples
    --------
    >>> service = TerminologyService(kb)
    >>> service.release("2026-04-01") is kb
    True
    >>> service.value_set(id="icd-10-cm-chapter-12")["compose"]["include"][0]["filter"][0]["value"]
    'chapter-12'
    """

    def __init__(
        self,
        kb: KnowledgeBase | None = None,
        *,
        releases: Iterable[str] | None = None,
        resources: Iterable[Mapping[str, Any]] = (),
        base: str = DEFAULT_BASE,
        date_check: DateCheck | None = None,
        limits: Limits | None = None,
    ) -> None:
        from ..classification.releases import available
        from ..kb import KnowledgeBase as Facade

        self.kb = resolve_kb(kb)
        if not isinstance(self.kb, Facade):  # the service answers from notes and knowledge too
            raise InvalidArgumentError(kb, "pass a KnowledgeBase from icd10kb.load(), or None", "kb")
        self.base = check_text(base, "base", 2000)
        if date_check is not None and not callable(date_check):
            raise InvalidArgumentError(date_check, "the code-history hook (a function), or None", "date_check")
        self.date_check = date_check
        if limits is not None and not isinstance(limits, Limits):
            raise InvalidArgumentError(limits, "a Limits, or None", "limits")
        self.limits = limits if limits is not None else Limits()
        shipped = available()
        wanted = tuple(
            shipped
            if releases is None
            else (check_text(name, "release", 100) for name in check_items(_ordered(releases), "releases", 1000))
        )
        for name in wanted:
            if name not in shipped:
                raise InvalidArgumentError(name, f"not a shipped release ({', '.join(shipped)})", "release")
        resources = check_items(resources, "resources", 100_000)
        self._loaded: dict[str, KnowledgeBase] = {self.kb.release.name: self.kb}
        self._names = tuple(dict.fromkeys((self.kb.release.name, *wanted)))
        self._lock = threading.Lock()
        self._by_id: dict[tuple[str, str], dict[str, Any]] = {}
        self._by_url: dict[tuple[str, str], dict[str, Any]] = {}
        self._maps: dict[str, _Map] = {}
        self._systems: dict[str, dict[str, str]] = {}
        for resource in resources:
            self.add(resource)

    # --- releases ---------------------------------------------------------------

    @property
    def versions(self) -> tuple[str, ...]:
        """The release names requests may ask for, the default first."""
        return self._names

    def release(self, version: str | None) -> KnowledgeBase:
        """The release called *version* (None: the default), or a 404 ``FhirError``."""
        if version is None:
            return self.kb
        found = self._loaded.get(version)
        if found is not None:
            return found
        if version not in self._names:
            raise FhirError(
                404,
                "not-found",
                f"{SYSTEM} version {version[:40]!r} is not served here; versions: {', '.join(self._names)}",
            )
        with self._lock:
            if version not in self._loaded:
                from ..load import load

                self._loaded[version] = load(version)
        return self._loaded[version]

    # --- resources --------------------------------------------------------------

    def add(self, resource: Mapping[str, Any]) -> None:
        """Serve a ValueSet, ConceptMap or CodeSystem (given as JSON)."""
        kind = resource.get("resourceType") if isinstance(resource, Mapping) else None
        if type(kind) is not str or kind not in _RESOURCE_TYPES:  # a plain str: no subclass's own __eq__
            raise InvalidArgumentError(resource, f"a {', '.join(_RESOURCE_TYPES)} resource", "resource")
        rid, url = resource.get("id"), resource.get("url")
        if type(rid) is not str or type(url) is not str or not rid or not url:
            raise InvalidArgumentError(rid, "a resource to serve needs an id and a url (plain text)", "resource")
        if kind == "CodeSystem" and url == SYSTEM:
            raise InvalidArgumentError(url, "ICD-10-CM is served from the release itself", "resource")
        if (kind, rid) in self._by_id or (kind, url) in self._by_url:
            raise InvalidArgumentError(rid, f"a {kind} with this id or url is already served", "resource")
        stored = dict(resource)
        built_map = _Map(stored) if kind == "ConceptMap" else None  # checked before anything is kept
        flat = _flat(stored.get("concept", [])) if kind == "CodeSystem" else None
        self._by_id[(kind, rid)] = stored
        self._by_url[(kind, url)] = stored
        if built_map is not None:
            self._maps[url] = built_map
        if flat is not None:
            self._systems[url] = flat

    def flat_code_system(self, url: str) -> dict[str, str] | None:
        """The concepts (code to display) of a served code system other than ICD-10-CM, or None."""
        return self._systems.get(url)

    def read_url(self, kind: str, url: str) -> dict[str, Any]:
        """A served resource by canonical URL, or a 404 ``FhirError``."""
        found = self._by_url.get((kind, url))
        if found is None:
            raise FhirError(404, "not-found", f"there is no {kind} {url[:120]!r} here")
        return found

    def resources(self, kind: str) -> list[dict[str, Any]]:
        """The resources of one type that were added, in the order they were added."""
        return [r for (k, _), r in self._by_id.items() if k == kind]

    def read(self, kind: str, rid: str) -> dict[str, Any]:
        """A resource by type and id, or a 404 ``FhirError``."""
        if kind == "CodeSystem" and rid == "icd-10-cm":
            from .resources import code_system_header

            return code_system_header(self.kb, len(self.kb), "not-present")
        if kind == "ValueSet":
            return self.value_set(id=rid)
        found = self._by_id.get((kind, rid))
        if found is None:
            raise FhirError(404, "not-found", f"there is no {kind} with id {rid[:64]!r}")
        return found

    def value_set(self, *, url: str | None = None, id: str | None = None) -> dict[str, Any]:
        """A value set by canonical URL or by id: registered, per chapter/block/category, or implicit."""
        if url is not None:
            found = self._by_url.get(("ValueSet", url))
            if found is not None:
                return found
            if url.startswith(SYSTEM + "?fhir_vs"):
                return self._implicit(url)
            prefix = self.base + "/ValueSet/"
            if not url.startswith(prefix):
                raise FhirError(404, "not-found", f"there is no value set {url[:120]!r} here")
            id = url[len(prefix) :]
        assert id is not None
        found = self._by_id.get(("ValueSet", id))
        if found is not None:
            return found
        match = _HIERARCHY_ID.fullmatch(id)
        if match:
            kind, code = match.groups()
            try:
                if kind in VALUE_SET_KINDS and self.kb.kind(code) == kind and self.kb.normalize(code) == code:
                    return hierarchy_value_set(self.kb, code, base=self.base)
            except ICD10KBError:
                pass
        raise FhirError(404, "not-found", f"there is no value set {id[:64]!r} here")

    def _implicit(self, url: str) -> dict[str, Any]:
        rest = url[len(SYSTEM + "?fhir_vs") :]
        include: dict[str, Any] = {"system": SYSTEM}
        if rest.startswith("=isa/") and len(rest) > 5:
            include["filter"] = [{"property": "concept", "op": "is-a", "value": rest[5:]}]
        elif rest:
            raise FhirError(404, "not-found", f"{url[:120]!r} is not an implicit value set of {SYSTEM}")
        return {"resourceType": "ValueSet", "url": url, "status": "active", "compose": {"include": [include]}}

    def concept_maps(self, url: str | None) -> list[_Map]:
        """The concept maps for ``$translate``: the one at *url*, or all of them."""
        if url is None:
            return list(self._maps.values())
        found = self._maps.get(url)
        if found is None:
            raise FhirError(404, "not-found", f"there is no ConceptMap {url[:120]!r} here")
        return [found]
