"""The ValueSet operations: ``$expand`` and ``$validate-code``.

Like :mod:`icd10kb.fhir.operations`, each takes the service, the call's
inputs and the resource id in the URL (if any), and returns the response
resource or raises :class:`~icd10kb.fhir.inputs.FhirError`. The value set is
named once: by id in the URL, by ``url`` (a served value set, a chapter,
block or category's, or an implicit ``?fhir_vs`` one), or inline as
``valueSet``. Its ``compose`` is evaluated by :mod:`icd10kb.fhir.expansion`,
within the service's time limit; a page holds at most the service's
``max_expansion`` concepts.
"""

from __future__ import annotations

import datetime
import time
import uuid
from typing import TYPE_CHECKING, Any

from .concepts import SYSTEM, designations, fhir_code, kb_code
from .expansion import Compose, text_matcher
from .inputs import FhirError, Inputs
from .operations import _check_code, _coded, _date, _parameters
from .service import check_call

if TYPE_CHECKING:
    from .service import TerminologyService

__all__ = ["expand", "validate_in_value_set"]

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
    resource_id = check_call(service, inputs, resource_id)
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
    resource_id = check_call(service, inputs, resource_id)
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
