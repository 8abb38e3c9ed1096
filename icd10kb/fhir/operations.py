"""The FHIR terminology operations, over a :class:`~icd10kb.fhir.service.TerminologyService`.

Each operation takes the service, the call's :class:`~icd10kb.fhir.inputs.Inputs`
and, for instance-level calls, the resource id in the URL; it returns the
response resource as JSON-ready dictionaries, or raises
:class:`~icd10kb.fhir.inputs.FhirError`. Nothing here knows about HTTP
beyond the status an error carries.

==========================  ==================================================
operation                   answers
==========================  ==================================================
``CodeSystem/$lookup``      display, designations (inclusion terms), properties
``CodeSystem/$validate-code``  whether a code is in the release (and its display)
``CodeSystem/$subsumes``    equivalent, subsumes, subsumed-by, not-subsumed
``ConceptMap/$translate``   the targets of a code in the served maps
==========================  ==================================================

The ValueSet operations (``$expand``, ``$validate-code``) are in
:mod:`icd10kb.fhir.valuesets`; the helpers here that read a code, a coding
or a date are shared with them.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from .concepts import SYSTEM, UnknownConceptError, describe, kb_code
from .inputs import FhirError, Inputs
from .service import check_call

if TYPE_CHECKING:
    from ..kb import KnowledgeBase
    from .service import TerminologyService

__all__ = ["lookup", "subsumes", "translate", "validate_code"]

_LOOKUP = frozenset({"code", "system", "version", "coding", "date", "displayLanguage", "property"})
_VALIDATE = frozenset(
    {
        "url",
        "codeSystem",
        "code",
        "system",
        "version",
        "display",
        "coding",
        "codeableConcept",
        "date",
        "abstract",
        "displayLanguage",
    }
)
_SUBSUMES = frozenset({"codeA", "codeB", "system", "version", "codingA", "codingB"})
_TRANSLATE = frozenset(
    {
        "url",
        "conceptMap",
        "conceptMapVersion",
        "code",
        "system",
        "version",
        "source",
        "coding",
        "codeableConcept",
        "target",
        "targetsystem",
        "reverse",
    }
)


def _parameters(*pairs: tuple[str, str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Parameters",
        "parameter": [{"name": name, key: value} for name, key, value in pairs if value is not None],
    }


def _date(inputs: Inputs) -> datetime.date | None:
    text = inputs.text("date", limit=40)
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text[:10]) if len(text) >= 10 else datetime.date(int(text[:4]), 1, 1)
    except ValueError:
        raise FhirError(400, "invalid", f"the date {text!r} is not a FHIR date or dateTime") from None


def _given(
    inputs: Inputs, code_name: str, coding_name: str, system_name: str, version_name: str
) -> tuple[str | None, str | None, str | None, str | None]:
    """``(code, system, version, display)`` from a code/system pair or a coding input, as given."""
    code = inputs.text(code_name, limit=100)
    coding = inputs.coding(coding_name)
    system = inputs.text(system_name, limit=300)
    version = inputs.text(version_name, limit=40)
    display = None
    if coding is not None:
        if code is not None:
            raise FhirError(400, "invalid", f"give {code_name} or {coding_name}, not both")
        code, system = coding.get("code"), coding.get("system")
        version, display = coding.get("version") or version, coding.get("display")
    return code, system, version, display


def _coded(
    inputs: Inputs,
    service: TerminologyService,
    code_name: str,
    coding_name: str,
    system_name: str,
    version_name: str,
    implied_system: bool,
) -> tuple[KnowledgeBase, str, str | None]:
    """The release, the code (as given) and the display of a code/system or a coding input."""
    code, system, version, display = _given(inputs, code_name, coding_name, system_name, version_name)
    if code is None:
        raise FhirError(400, "required", f"a {code_name} (with its system) or a {coding_name} is required")
    if system is None and not implied_system:
        raise FhirError(400, "required", f"the {system_name} of {code!r} is required")
    if system is not None and system != SYSTEM:
        raise FhirError(404, "not-found", f"the code system {system[:120]!r} is not served here")
    return service.release(version), code, display


def _other_system(
    service: TerminologyService, inputs: Inputs, resource_id: str | None
) -> tuple[str, str, dict[str, str], str | None] | None:
    """For a served code system other than ICD-10-CM (a grouping's): its url, the code, its concepts and display."""
    if resource_id is not None:
        return None
    code, system, _, display = _given(inputs, "code", "coding", "system", "version")
    if system is None and "url" in inputs.values:
        system = inputs.text("url", limit=300)
    if code is None or system is None or system == SYSTEM:
        return None
    concepts = service.flat_code_system(system)
    return None if concepts is None else (system, code, concepts, display)


def _instance(service: TerminologyService, resource_id: str | None) -> None:
    if resource_id is not None and resource_id != "icd-10-cm":
        raise FhirError(404, "not-found", f"there is no CodeSystem with id {resource_id[:64]!r}")


def lookup(service: TerminologyService, inputs: Inputs, resource_id: str | None = None) -> dict[str, Any]:
    """``CodeSystem/$lookup``: what the release says about one code."""
    resource_id = check_call(service, inputs, resource_id)
    inputs.check_names(_LOOKUP, "$lookup")
    _instance(service, resource_id)
    other = _other_system(service, inputs, resource_id)
    if other is not None:
        system, code, concepts, _ = other
        if code not in concepts:
            raise FhirError(404, "not-found", f"{code[:100]!r} is not a code of {system[:120]}")
        found = service.read_url("CodeSystem", system)
        return _parameters(
            ("name", "valueString", found.get("title") or found.get("name") or system),
            ("version", "valueString", found.get("version")),
            ("display", "valueString", concepts[code]),
        )
    kb, code, _ = _coded(inputs, service, "code", "coding", "system", "version", resource_id is not None)
    _date(inputs)
    inputs.text("displayLanguage", limit=40)
    wanted = set(inputs.texts("property"))
    try:
        canonical = kb_code(kb, code)
    except UnknownConceptError as error:
        raise FhirError(404, "not-found", str(error)) from None
    out: dict[str, Any] = _parameters(
        ("name", "valueString", "ICD-10-CM"),
        ("version", "valueString", kb.release.name),
        ("display", "valueString", kb.title(canonical)),
    )
    synonyms, props = describe(kb, canonical, children=not wanted or "child" in wanted)
    if not wanted or "designation" in wanted:
        for d in synonyms:
            out["parameter"].append(
                {
                    "name": "designation",
                    "part": [
                        {"name": "language", "valueCode": d["language"]},
                        {"name": "use", "valueCoding": d["use"]},
                        {"name": "value", "valueString": d["value"]},
                    ],
                }
            )
    for prop in props:
        if wanted and prop["code"] not in wanted:
            continue
        key = next(k for k in prop if k.startswith("value"))
        out["parameter"].append(
            {
                "name": "property",
                "part": [{"name": "code", "valueCode": prop["code"]}, {"name": "value", key: prop[key]}],
            }
        )
    return out


def _check_code(
    kb: KnowledgeBase, code: str, display: str | None, abstract: bool | None
) -> tuple[bool, str | None, str | None]:
    """``(result, message, display)`` for one code of a release."""
    try:
        canonical = kb_code(kb, code)
    except UnknownConceptError as error:
        return False, f"{error} (release {kb.release.name})", None
    title = kb.title(canonical)
    if display is not None and display.casefold() != title.casefold():
        return False, f"the display {display[:200]!r} is not that of {code}: {title!r}", title
    if not kb.is_billable(canonical):
        note = f"{code} is a header ({kb.kind(canonical)}): not valid on a claim"
        return (abstract is not False), note, title
    return True, None, title


def validate_code(service: TerminologyService, inputs: Inputs, resource_id: str | None = None) -> dict[str, Any]:
    """``CodeSystem/$validate-code``: whether a code is in the release, with its display."""
    resource_id = check_call(service, inputs, resource_id)
    inputs.check_names(_VALIDATE, "$validate-code")
    _instance(service, resource_id)
    other = _other_system(service, inputs, resource_id)
    if other is not None:
        system, code, concepts, display = other
        display = inputs.text("display", limit=1000) or display
        title = concepts.get(code)
        if title is None:
            return _parameters(
                ("result", "valueBoolean", False),
                ("message", "valueString", f"{code[:100]!r} is not a code of {system[:120]}"),
            )
        if display is not None and display.casefold() != title.casefold():
            return _parameters(
                ("result", "valueBoolean", False),
                ("message", "valueString", f"the display is not {title!r}"),
                ("display", "valueString", title),
            )
        return _parameters(("result", "valueBoolean", True), ("display", "valueString", title))
    if inputs.values.get("codeSystem"):
        raise FhirError(422, "not-supported", "codeSystem given inline is not supported; use url")
    if "url" in inputs.values and "system" not in inputs.values:
        inputs = Inputs({**inputs.values, "system": inputs.values["url"]})
        inputs.values.pop("url")
    elif "url" in inputs.values:
        raise FhirError(400, "invalid", "give url or system, not both")
    codings = inputs.codings_of("codeableConcept")
    if codings:
        inputs = Inputs({**{k: v for k, v in inputs.values.items() if k != "codeableConcept"}, "coding": codings[:1]})
    kb, code, coding_display = _coded(inputs, service, "code", "coding", "system", "version", resource_id is not None)
    display = inputs.text("display", limit=1000) or coding_display
    abstract = inputs.boolean("abstract")
    inputs.text("displayLanguage", limit=40)
    when = _date(inputs)
    result, message, title = _check_code(kb, code, display, abstract)
    if when is not None:
        verdict = service.date_check(code, when) if service.date_check is not None else None
        if verdict is not None:
            result = verdict and result if display is not None else verdict
            message = f"{'valid' if verdict else 'not valid'} on {when.isoformat()} per the code history" + (
                f"; {message}" if message else ""
            )
        else:
            extra = f"no code history here: answered from release {kb.release.name}"
            message = f"{message}; {extra}" if message else extra
    return _parameters(
        ("result", "valueBoolean", result), ("message", "valueString", message), ("display", "valueString", title)
    )


def subsumes(service: TerminologyService, inputs: Inputs, resource_id: str | None = None) -> dict[str, Any]:
    """``CodeSystem/$subsumes``: how two codes stand in the hierarchy."""
    resource_id = check_call(service, inputs, resource_id)
    inputs.check_names(_SUBSUMES, "$subsumes")
    _instance(service, resource_id)
    kb_a, a, _ = _coded(inputs, service, "codeA", "codingA", "system", "version", resource_id is not None)
    kb_b, b, _ = _coded(inputs, service, "codeB", "codingB", "system", "version", resource_id is not None)
    if kb_a is not kb_b:
        raise FhirError(400, "invalid", "the two codings name different versions")
    try:
        a, b = kb_code(kb_a, a), kb_code(kb_a, b)
    except UnknownConceptError as error:
        raise FhirError(404, "not-found", str(error)) from None
    if a == b:
        outcome = "equivalent"
    elif kb_a.is_ancestor(a, b):
        outcome = "subsumes"
    elif kb_a.is_ancestor(b, a):
        outcome = "subsumed-by"
    else:
        outcome = "not-subsumed"
    return _parameters(("outcome", "valueCode", outcome))


def translate(service: TerminologyService, inputs: Inputs, resource_id: str | None = None) -> dict[str, Any]:
    """``ConceptMap/$translate``: the targets of a code in the served concept maps."""
    resource_id = check_call(service, inputs, resource_id)
    inputs.check_names(_TRANSLATE, "$translate")
    if inputs.values.get("conceptMap"):
        raise FhirError(422, "not-supported", "a conceptMap given inline is not supported; use url")
    url = inputs.text("url", limit=300)
    if resource_id is not None:
        url = service.read("ConceptMap", resource_id)["url"]
    code, system = inputs.text("code", limit=100), inputs.text("system", limit=300)
    coding = inputs.coding("coding")
    if coding is None:
        coding = next(iter(inputs.codings_of("codeableConcept")), None)
    if coding is not None:
        code, system = coding.get("code"), coding.get("system")
    if code is None or system is None:
        raise FhirError(400, "required", "a code with its system (or a coding) is required")
    inputs.text("version", limit=40)
    inputs.text("conceptMapVersion", limit=40)
    target = inputs.text("targetsystem", limit=300) or inputs.text("target", limit=300)
    reverse = inputs.boolean("reverse") or False
    matches = []
    for found in service.concept_maps(url):
        group = found.resource.get("group", [{}])[0]
        other = group.get("source") if reverse else group.get("target")
        if target is not None and other != target and found.resource.get("targetUri") != target:
            continue
        index = found.backward if reverse else found.forward
        for match in index.get((system, code), ()):
            matches.append(
                {
                    "name": "match",
                    "part": [
                        {"name": "equivalence", "valueCode": match["equivalence"]},
                        {"name": "concept", "valueCoding": match["concept"]},
                        {"name": "source", "valueUri": found.resource["url"]},
                    ],
                }
            )
    message = None if matches else f"no mapping for {code!r} of {system[:120]} in the concept maps served here"
    out = _parameters(("result", "valueBoolean", bool(matches)), ("message", "valueString", message))
    out["parameter"].extend(matches)
    return out
