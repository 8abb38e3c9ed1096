"""What the server says about itself: ``CapabilityStatement`` and ``TerminologyCapabilities``.

``GET [base]/metadata`` answers with the CapabilityStatement;
``GET [base]/metadata?mode=terminology`` with the TerminologyCapabilities
(the R4 convention).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from . import checks
from .concepts import PROPERTIES, SYSTEM

if TYPE_CHECKING:
    from .service import TerminologyService

__all__ = ["FHIR_VERSION", "capability_statement", "terminology_capabilities"]

#: The FHIR version the server speaks.
FHIR_VERSION = "4.0.1"
_DEFINITION = "http://hl7.org/fhir/OperationDefinition/"
_OPERATIONS = {
    "CodeSystem": ("lookup", "validate-code", "subsumes"),
    "ValueSet": ("expand", "validate-code"),
    "ConceptMap": ("translate",),
}


def _software() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return {"name": "icd10kb", "version": version("icd10kb")}
    except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
        return {"name": "icd10kb"}


def _check(service: object) -> None:
    from .service import TerminologyService

    checks.same(service, TerminologyService, "service")


def _today() -> str:
    return datetime.date.today().isoformat()


def capability_statement(service: TerminologyService) -> dict[str, Any]:
    """The server's ``CapabilityStatement``.

    Examples
    --------
    >>> from icd10kb.fhir.service import TerminologyService
    >>> cs = capability_statement(TerminologyService(kb))
    >>> cs["fhirVersion"], [r["type"] for r in cs["rest"][0]["resource"]]
    ('4.0.1', ['CodeSystem', 'ValueSet', 'ConceptMap'])
    """
    _check(service)
    resources = []
    for kind, operations in _OPERATIONS.items():
        resources.append(
            {
                "type": kind,
                "interaction": [{"code": "read"}, {"code": "search-type"}],
                "searchParam": [{"name": "url", "type": "uri"}],
                "operation": [{"name": name, "definition": f"{_DEFINITION}{kind}-{name}"} for name in operations],
            }
        )
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": _today(),
        "publisher": "icd10kb",
        "kind": "instance",
        "instantiates": ["http://hl7.org/fhir/CapabilityStatement/terminology-server"],
        "software": _software(),
        "implementation": {"description": f"ICD-10-CM terminology service ({', '.join(service.versions)})"},
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "rest": [{"mode": "server", "resource": resources}],
    }


def terminology_capabilities(service: TerminologyService) -> dict[str, Any]:
    """The server's ``TerminologyCapabilities``: the code system, its versions and what ``$expand`` takes.

    Examples
    --------
    >>> from icd10kb.fhir.service import TerminologyService
    >>> tc = terminology_capabilities(TerminologyService(kb, releases=()))
    >>> tc["codeSystem"][0]["uri"], [v["code"] for v in tc["codeSystem"][0]["version"]]
    ('http://hl7.org/fhir/sid/icd-10-cm', ['2026-04-01'])
    """
    _check(service)
    property_codes = [code for code, *_ in PROPERTIES]
    versions = [
        {
            "code": name,
            "isDefault": index == 0,
            "compositional": False,
            "language": ["en"],
            "filter": [
                {"code": "concept", "op": ["is-a", "descendent-of", "is-not-a"]},
                {"code": "parent", "op": ["="]},
                {"code": "kind", "op": ["=", "in"]},
                {"code": "notSelectable", "op": ["="]},
            ],
            "property": property_codes,
        }
        for index, name in enumerate(service.versions)
    ]
    limits = service.limits
    return {
        "resourceType": "TerminologyCapabilities",
        "status": "active",
        "date": _today(),
        "publisher": "icd10kb",
        "kind": "instance",
        "software": _software(),
        "codeSystem": [{"uri": SYSTEM, "version": versions, "subsumption": True}],
        "expansion": {
            "hierarchical": False,
            "paging": True,
            "incomplete": False,
            "parameter": [
                {"name": name}
                for name in ("filter", "count", "offset", "includeDesignations", "valueSetVersion", "activeOnly")
            ],
            "textFilter": (
                "Every word of the filter must start a word of the display (any case), or the filter must "
                f"start the code. At most {limits.max_expansion} concepts per page."
            ),
        },
        "codeSearch": "all",
        "validateCode": {"translations": False},
        "translation": {"needsMap": True},
        "closure": {"translation": False},
    }
