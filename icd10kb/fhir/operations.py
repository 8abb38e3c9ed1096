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
``ValueSet/$expand``        the members, filtered by text, paged
``ValueSet/$validate-code``  whether a code is in a value set
``ConceptMap/$translate``   the targets of a code in the served maps
==========================  ==================================================
"""

from __future__ import annotations

import datetime
import time
import uuid
from typing import TYPE_CHECKING, Any

from .concepts import SYSTEM, UnknownConceptError, describe, designations, fhir_code, kb_code
from .expansion import Compose, text_matcher
from .inputs import FhirError, Inputs

if TYPE_CHECKING:
    from ..kb import KnowledgeBase
    from .service import TerminologyService

__all__ = ["OPERATIONS", "expand", "lookup", "subsumes", "translate", "validate_code", "validate_in_value_set"]

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
_EXPAND = frozenset(
    {
        "url",
        "valueSet",
        "valueSetVersion",
        "context",
        "filter",
        "date",
        "offset",
        "count",
        "includeDesignations",
        "activeOnly",
        "displayLanguage",
        "excludeNested",
        "includeDefinition",
        "system-version",
    }
)
_VS_VALIDATE = frozenset(
    {
        "url",
        "valueSet",
        "valueSetVersion",
        "context",
        "code",
        "system",
        "systemVersion",
        "version",
        "display",
        "coding",
        "codeableConcept",
        "date",
        "abstract",
        "displayLanguage",
    }
)
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


def _value_set(service: TerminologyService, inputs: Inputs, resource_id: str | None) -> dict[str, Any]:
    inline = inputs.resource("valueSet", "ValueSet")
    url = inputs.text("url", limit=300)
    if sum(x is not None for x in (inline, url, resource_id)) != 1:
        raise FhirError(400, "invalid", "name the value set once: by id in the URL, by url, or inline as valueSet")
    vs = inline if inline is not None else service.value_set(url=url, id=resource_id)
    version = inputs.text("valueSetVersion", limit=40)
    if version is not None and version != vs.get("version"):
        raise FhirError(404, "not-found", f"the value set has no version {version!r}")
    return vs


def _compose(service: TerminologyService, vs: dict[str, Any]) -> Compose:
    if "compose" not in vs:
        raise FhirError(422, "not-supported", "the value set has no compose to expand")
    kb = service.release(_system_version(vs))
    return Compose(kb, vs["compose"], time.monotonic() + service.limits.time_limit)


def _system_version(vs: dict[str, Any]) -> str | None:
    include = vs.get("compose", {}).get("include") if isinstance(vs.get("compose"), dict) else None
    if isinstance(include, list) and include and isinstance(include[0], dict):
        version = include[0].get("version")
        return version if isinstance(version, str) else None
    return None


def expand(service: TerminologyService, inputs: Inputs, resource_id: str | None = None) -> dict[str, Any]:
    """``ValueSet/$expand``: the members of a value set, filtered by text and paged."""
    inputs.check_names(_EXPAND, "$expand")
    limit = service.limits.max_expansion
    offset = inputs.integer("offset") or 0
    count = inputs.integer("count", maximum=1_000_000)
    text = inputs.text("filter", limit=200)
    with_designations = inputs.boolean("includeDesignations") or False
    for name in ("activeOnly", "excludeNested", "includeDefinition"):
        inputs.boolean(name)
    _date(inputs)
    vs = _value_set(service, inputs, resource_id)
    compose = _compose(service, vs)
    kb = compose.kb
    members = compose.members()
    if text is not None:
        match = text_matcher(text)
        kept = []
        for i, code in enumerate(members):
            if i % 2000 == 0:
                compose._tick()
            if match(fhir_code(kb, code), kb.title(code)):
                kept.append(code)
        members = kept
    total = len(members)
    if count is None and total - offset > limit:
        raise FhirError(
            422, "too-costly", f"the expansion has {total} concepts, more than {limit}: page it with count and offset"
        )
    size = min(limit, count if count is not None else limit)
    page = members[offset : offset + size]
    contains = []
    for code in page:
        entry: dict[str, Any] = {"system": SYSTEM, "version": kb.release.name, "code": fhir_code(kb, code)}
        if not kb.is_billable(code):
            entry["abstract"] = True
        entry["display"] = kb.title(code)
        if with_designations:
            found = designations(kb, code)
            if found:
                entry["designation"] = found
        contains.append(entry)
    parameters: list[dict[str, Any]] = [{"name": "offset", "valueInteger": offset}]
    if count is not None:
        parameters.append({"name": "count", "valueInteger": size})
    if text is not None:
        parameters.append({"name": "filter", "valueString": text})
    out = {k: v for k, v in vs.items() if k not in ("compose", "expansion", "text")}
    out["resourceType"] = "ValueSet"
    out["expansion"] = {
        "identifier": f"urn:uuid:{uuid.uuid4()}",
        "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "total": total,
        "offset": offset,
        "parameter": parameters,
        **({"contains": contains} if contains else {}),
    }
    return out


def validate_in_value_set(
    service: TerminologyService, inputs: Inputs, resource_id: str | None = None
) -> dict[str, Any]:
    """``ValueSet/$validate-code``: whether a code is a member of a value set."""
    inputs.check_names(_VS_VALIDATE, "$validate-code")
    vs = _value_set(service, inputs, resource_id)
    compose = _compose(service, vs)
    values = {k: v for k, v in inputs.values.items() if k not in ("url", "valueSet", "valueSetVersion", "context")}
    if "systemVersion" in values:
        values["version"] = values.pop("systemVersion")
    codings = Inputs(values).codings_of("codeableConcept")
    if codings:
        values = {**{k: v for k, v in values.items() if k != "codeableConcept"}, "coding": codings[:1]}
    checked = Inputs(values)
    kb, code, coding_display = _coded(checked, service, "code", "coding", "system", "version", False)
    if kb is not compose.kb:
        raise FhirError(400, "invalid", "the code's version is not the value set's")
    display = checked.text("display", limit=1000) or coding_display
    _date(checked)
    result, message, title = _check_code(kb, code, display, checked.boolean("abstract"))
    if result and not compose.contains(kb_code(kb, code)):
        result, message = False, f"{code} is not in the value set {vs.get('url', '')}"
    return _parameters(
        ("result", "valueBoolean", result), ("message", "valueString", message), ("display", "valueString", title)
    )


def translate(service: TerminologyService, inputs: Inputs, resource_id: str | None = None) -> dict[str, Any]:
    """``ConceptMap/$translate``: the targets of a code in the served concept maps."""
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


#: ``(resource type, operation name) -> function``.
OPERATIONS = {
    ("CodeSystem", "lookup"): lookup,
    ("CodeSystem", "validate-code"): validate_code,
    ("CodeSystem", "subsumes"): subsumes,
    ("ValueSet", "expand"): expand,
    ("ValueSet", "validate-code"): validate_in_value_set,
    ("ConceptMap", "translate"): translate,
}
