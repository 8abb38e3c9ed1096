"""Reading the inputs of a FHIR operation: a query string or a ``Parameters`` resource.

An operation takes named parameters, given in the query string of a GET
(primitive values only) or as a ``Parameters`` resource in the body of a
POST. :class:`Inputs` holds them the same way whichever way they came, and
its accessors check what the operation needs: a parameter given twice that
may appear once, a value of the wrong type, an unknown parameter name.
Every problem is a :class:`FhirError` that the server answers with an
``OperationOutcome`` and the HTTP status it carries.

The body is checked before it is parsed: at most :data:`MAX_DEPTH` levels
of nesting (a cheap scan, so that deeply nested JSON never reaches the
parser's recursion) and at most :data:`MAX_PARAMETERS` parameters.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote_plus

from ..arguments import check_bytes, check_int, check_items, check_text
from ..errors import ICD10KBError, InvalidArgumentError

__all__ = ["MAX_DEPTH", "MAX_PARAMETERS", "FhirError", "Inputs", "check_depth", "from_body", "from_query"]

MAX_DEPTH = 32
MAX_PARAMETERS = 200
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_CONTROL = re.compile(r"[\x00-\x1f]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]{0,63}")
_GENERAL = frozenset({"_format", "_pretty", "_summary", "_elements"})
_VALUE_KEYS = {
    "valueString": str,
    "valueCode": str,
    "valueUri": str,
    "valueUrl": str,
    "valueCanonical": str,
    "valueDateTime": str,
    "valueDate": str,
    "valueBoolean": bool,
    "valueInteger": int,
    "valueCoding": dict,
    "valueCodeableConcept": dict,
}


class FhirError(ICD10KBError):
    """An operation failed; the server answers with an ``OperationOutcome``.

    Attributes
    ----------
    status:
        The HTTP status (400, 404, 405, 413, 415, 422 …).
    code:
        The ``OperationOutcome.issue.code`` (``invalid``, ``not-found``, ``too-costly`` …).
    message:
        What went wrong, for a person.
    """

    def __init__(self, status: int, code: str, message: str) -> None:
        self.status = status
        self.code = code
        self.message = message
        super().__init__(message)

    def outcome(self) -> dict[str, Any]:
        """The ``OperationOutcome`` that reports this error."""
        return {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": self.code, "diagnostics": self.message}],
        }


def _bad(message: str, code: str = "invalid") -> FhirError:
    return FhirError(400, code, message)


def check_depth(body: bytes, limit: int = MAX_DEPTH) -> None:
    """Refuse a JSON text nested more than *limit* levels deep, before parsing it.

    Examples
    --------
    >>> check_depth(b'{"a": [1, {"b": "[[["}]}')
    >>> check_depth(b"[" * 100)
    Traceback (most recent call last):
      ...
    icd10kb.fhir.inputs.FhirError: the JSON body is nested more than 32 levels deep
    """
    body = check_bytes(body, "body")
    limit = check_int(limit, "limit", 1, 10_000)
    depth = 0
    for match in _TOKENS.finditer(body):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                raise _bad(f"the JSON body is nested more than {limit} levels deep", "too-long")
        elif token in (b"]", b"}"):
            depth -= 1


class Inputs:
    """The named inputs of one operation call."""

    __slots__ = ("values",)

    def __init__(self, values: dict[str, list[Any]]) -> None:
        if not isinstance(values, dict):
            raise InvalidArgumentError(values, "expected a dictionary of parameter name to values", "inputs")
        checked: dict[str, list[Any]] = {}
        for name, found in check_items(dict.items(values), "inputs", MAX_PARAMETERS):
            name = check_text(name, "parameter name", 64)
            if not _NAME.fullmatch(name) or type(found) is not list:
                raise InvalidArgumentError(name, "a parameter name (letters, digits, _, -) and a list", "inputs")
            checked[name] = [str.__getitem__(v, slice(None)) if isinstance(v, str) else v for v in found]
        self.values = checked

    def check_names(self, allowed: frozenset[str], operation: str) -> None:
        """Refuse a parameter that *operation* does not take."""
        for name in self.values:
            if name not in allowed and name not in _GENERAL:
                raise _bad(f"{operation} has no parameter {name[:64]!r}", "not-supported")

    def _one(self, name: str) -> Any:
        found = self.values.get(name)
        if not found:
            return None
        if len(found) > 1:
            raise _bad(f"the parameter {name!r} is given {len(found)} times; it may be given once")
        return found[0]

    def text(self, name: str, *, required: bool = False, limit: int = 1000) -> str | None:
        """A string parameter (code, uri, string): at most *limit* characters, no control characters."""
        value = self._one(name)
        if value is None:
            if required:
                raise FhirError(400, "required", f"the parameter {name!r} is required")
            return None
        if not isinstance(value, str):
            raise _bad(f"the parameter {name!r} must be a string")
        if len(value) > limit:
            raise _bad(f"the parameter {name!r} is longer than {limit} characters", "too-long")
        if not value or _CONTROL.search(value):
            raise _bad(f"the parameter {name!r} is empty or holds control characters")
        return value

    def texts(self, name: str, *, limit: int = 100) -> list[str]:
        """A repeatable string parameter (``property``); a comma-separated GET value counts as several."""
        out: list[str] = []
        for value in self.values.get(name, ()):
            if not isinstance(value, str) or not value or len(value) > 200:
                raise _bad(f"the parameter {name!r} must be a short string")
            out.extend(part.strip() for part in value.split(",") if part.strip())
        if len(out) > limit:
            raise _bad(f"the parameter {name!r} is given more than {limit} times", "too-long")
        return out

    def integer(self, name: str, *, minimum: int = 0, maximum: int = 1_000_000) -> int | None:
        """A whole number between *minimum* and *maximum*."""
        value = self._one(name)
        if value is None:
            return None
        if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,9}", value):
            value = int(value)
        if type(value) is not int or not minimum <= value <= maximum:
            raise _bad(f"the parameter {name!r} must be a whole number from {minimum} to {maximum}")
        return value

    def boolean(self, name: str) -> bool | None:
        """``true`` or ``false``."""
        value = self._one(name)
        if value is None:
            return None
        if value is True or value is False:
            return bool(value)
        if value in ("true", "false"):
            return bool(value == "true")

        raise _bad(f"the parameter {name!r} must be true or false")

    def coding(self, name: str) -> dict[str, Any] | None:
        """A ``Coding`` (POST only), checked to hold strings where FHIR puts them."""
        value = self._one(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise _bad(f"the parameter {name!r} must be a Coding (it can only be sent in a POSTed Parameters)")
        for key in ("system", "version", "code", "display"):
            item = value.get(key)
            if item is not None and (not isinstance(item, str) or len(item) > 1000):
                raise _bad(f"{name}.{key} must be a string of at most 1000 characters")
        return value

    def codings_of(self, name: str) -> list[dict[str, Any]]:
        """The codings of a ``CodeableConcept`` parameter."""
        value = self._one(name)
        if value is None:
            return []
        codings = value.get("coding") if isinstance(value, dict) else None
        if not isinstance(codings, list) or not codings or len(codings) > 20:
            raise _bad(f"the parameter {name!r} must be a CodeableConcept with 1 to 20 codings")
        for coding in codings:
            Inputs({name: [coding]}).coding(name)
        return codings

    def resource(self, name: str, resource_type: str) -> dict[str, Any] | None:
        """A resource given inline (``valueSet`` of ``$expand``)."""
        value = self._one(name)
        if value is None:
            return None
        if not isinstance(value, dict) or value.get("resourceType") != resource_type:
            raise _bad(f"the parameter {name!r} must be a {resource_type} resource")
        return value


def from_query(query: str) -> Inputs:
    """The inputs of a GET: the query string's parameters, in order.

    Decoded as ``urllib.parse.parse_qsl`` does (``+`` is a space, ``%XX``
    escapes, bad UTF-8 replaced), at a fraction of its cost for the plain
    queries that make up most requests.

    Examples
    --------
    >>> from_query("system=http%3A%2F%2Fhl7.org%2Ffhir%2Fsid%2Ficd-10-cm&code=L94.2").values["code"]
    ['L94.2']
    >>> from_query("filter=calc+cutis&count=2").values["filter"]
    ['calc cutis']
    """
    query = check_text(query, "query")
    values: dict[str, list[Any]] = {}
    if not query:
        return Inputs(values)
    parts = query.split("&")
    if len(parts) > MAX_PARAMETERS:
        raise _bad(f"more than {MAX_PARAMETERS} parameters", "too-long")
    for part in parts:
        if not part:
            continue
        name, _, value = part.partition("=")
        if "%" in name or "+" in name:
            name = unquote_plus(name)
        if "%" in value or "+" in value:
            value = unquote_plus(value)
        if not _NAME.fullmatch(name):
            raise _bad(f"{name[:64]!r} is not a parameter name")
        found = values.get(name)
        if found is None:
            values[name] = [value]
        else:
            found.append(value)
    return Inputs(values)


def from_body(body: bytes) -> Inputs:
    """The inputs of a POST: a ``Parameters`` resource in JSON.

    Examples
    --------
    >>> from_body(b'{"resourceType": "Parameters", "parameter": [{"name": "code", "valueCode": "L94.2"}]}').values
    {'code': ['L94.2']}
    """
    check_depth(body)
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise _bad("the body is not JSON (UTF-8)", "structure") from None
    if not isinstance(document, dict) or document.get("resourceType") != "Parameters":
        raise _bad("the body must be a Parameters resource", "structure")
    parameters = document.get("parameter", [])
    if not isinstance(parameters, list):
        raise _bad("Parameters.parameter must be a list", "structure")
    if len(parameters) > MAX_PARAMETERS:
        raise _bad(f"more than {MAX_PARAMETERS} parameters", "too-long")
    values: dict[str, list[Any]] = {}
    for index, parameter in enumerate(parameters):
        if not isinstance(parameter, dict) or not isinstance(parameter.get("name"), str):
            raise _bad(f"Parameters.parameter[{index}] has no name", "structure")
        name = parameter["name"]
        if not _NAME.fullmatch(name):
            raise _bad(f"Parameters.parameter[{index}].name {name[:64]!r} is not a parameter name", "structure")
        keys = [k for k in parameter if k.startswith("value") or k in ("resource", "part")]
        if len(keys) != 1:
            raise _bad(f"Parameters.parameter[{index}] ({name}) must hold exactly one value", "structure")
        key = keys[0]
        value = parameter[key]
        if key == "resource":
            if not isinstance(value, dict):
                raise _bad(f"Parameters.parameter[{index}].resource must be a resource", "structure")
        elif key == "part":
            raise _bad(
                f"Parameters.parameter[{index}] ({name}): parameters with parts are not taken here", "not-supported"
            )
        else:
            kind = _VALUE_KEYS.get(key)
            if kind is None:
                raise _bad(f"Parameters.parameter[{index}] ({name}): {key[:40]} is not taken here", "not-supported")
            if type(value) is not kind:
                raise _bad(f"Parameters.parameter[{index}].{key} has the wrong type", "structure")
        values.setdefault(name, []).append(value)
    return Inputs(values)
