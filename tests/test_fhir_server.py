"""The FHIR terminology server tested as a client uses it.

The server runs in its own process (``python -m icd10kb serve
--port 0``) on a loopback port the system picks; the tests query it over
real HTTP with fhirpy and with raw sockets, and validate every response
with the ``fhir.resources`` models (R4B, the R4 models for pydantic 2).
Only loopback traffic; every loop is bounded.
"""

from __future__ import annotations

import http.client
import json
import os
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import OperationOutcome, ResourceNotFound

import icd10kb
from icd10kb.fhir import SYSTEM, concept_map, grouping_code_system, grouping_value_sets

ROOT = Path(__file__).resolve().parent.parent
GROUPING = "urn:icd10kb:fhir/CodeSystem/l-blocks"


def validate(resource: dict[str, Any]) -> Any:
    """The resource parsed by the fhir.resources model of its type (raises if it is not valid FHIR)."""
    return get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def _extra_resources(kb: icd10kb.KnowledgeBase, folder: Path) -> Path:
    """A grouping built from the release itself: each code of chapter 12 grouped under its block."""
    rows = [(code, kb.block(code)) for code in kb.descendants("12") if kb.kind(code) != "block"]
    labels = {block: kb.title(block) for _, block in rows}
    resources = [
        grouping_code_system("l-blocks", labels, title="Chapter 12 by block", version="1", publisher="test"),
        *grouping_value_sets("l-blocks", rows, labels, version="1", publisher="test", system_version="2026-04-01"),
        concept_map(
            "icd-10-cm-to-l-blocks",
            rows,
            source=SYSTEM,
            target=GROUPING,
            title="Codes to blocks",
            version="1",
            publisher="test",
            equivalence="wider",
            displays=labels,
        ),
    ]
    path = folder / "resources.json"
    path.write_text(
        json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]})
    )
    return path


@pytest.fixture(scope="module")
def base(kb: icd10kb.KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    extra = _extra_resources(kb, tmp_path_factory.mktemp("fhir"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "icd10kb",
        "serve",
        "--port",
        "0",
        "--resources",
        str(extra),
        "--max-expansion",
        "500",
    ]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 120)
        assert ready, "the server did not start within 120 s"
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert line.startswith("icd10kb FHIR terminology server on http://127.0.0.1:"), line + proc.stderr.read()
        yield line.split(" on ")[1].strip()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def client(base: str) -> SyncFHIRClient:
    return SyncFHIRClient(base)


def _raw(
    base: str, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def _param(parameters: Any, name: str) -> Any:
    found = [p for p in parameters["parameter"] if p["name"] == name]
    return found


def test_server_listens_on_loopback_only(base: str) -> None:
    assert urlsplit(base).hostname == "127.0.0.1"


def test_metadata_capability_statement(client: SyncFHIRClient) -> None:
    statement = validate(client.execute("metadata", method="get"))
    assert statement.fhirVersion == "4.0.1"
    operations = {op.name for r in statement.rest[0].resource for op in r.operation}
    assert operations == {"lookup", "validate-code", "subsumes", "expand", "translate"}


def test_metadata_terminology_capabilities(client: SyncFHIRClient) -> None:
    caps = validate(client.execute("metadata", method="get", params={"mode": "terminology"}))
    assert caps.codeSystem[0].uri == SYSTEM
    assert caps.codeSystem[0].version[0].code == "2026-04-01"
    assert caps.expansion.paging is True


@pytest.mark.parametrize("method", ["get", "post"])
def test_lookup(client: SyncFHIRClient, kb: icd10kb.KnowledgeBase, method: str) -> None:
    if method == "get":
        result = client.execute("CodeSystem/$lookup", method="get", params={"system": SYSTEM, "code": "L94.0"})
    else:
        result = client.execute(
            "CodeSystem/$lookup",
            data={
                "resourceType": "Parameters",
                "parameter": [{"name": "coding", "valueCoding": {"system": SYSTEM, "code": "L94.0"}}],
            },
        )
    validate(result)
    assert _param(result, "display")[0]["valueString"] == kb.title("L94.0")
    assert _param(result, "version")[0]["valueString"] == "2026-04-01"
    synonyms = [p["part"][2]["valueString"] for p in _param(result, "designation")]
    assert synonyms == [n.text for n in kb.notes("L94.0") if n.kind == "inclusion_terms"]
    props = {
        (p["part"][0]["valueCode"], str(next(v for k, v in p["part"][1].items() if k.startswith("value"))))
        for p in _param(result, "property")
    }
    assert ("parent", "L94") in props and ("notSelectable", "False") in props


def test_lookup_header_has_children_and_is_not_selectable(client: SyncFHIRClient, kb: icd10kb.KnowledgeBase) -> None:
    result = client.execute(
        "CodeSystem/icd-10-cm/$lookup", method="get", params={"code": "chapter-12", "property": "child,notSelectable"}
    )
    validate(result)
    props = [(p["part"][0]["valueCode"], p["part"][1]) for p in _param(result, "property")]
    assert [v["valueCode"] for c, v in props if c == "child"] == list(kb.children("12"))
    assert ("notSelectable", {"name": "value", "valueBoolean": True}) in props
    assert not _param(result, "designation")


def test_lookup_unknown_code_is_404_with_suggestion(client: SyncFHIRClient) -> None:
    with pytest.raises(ResourceNotFound) as caught:
        client.execute("CodeSystem/$lookup", method="get", params={"system": SYSTEM, "code": "l94.2"})
    outcome = validate(json.loads(str(caught.value)))
    assert "did you mean L94.2" in outcome.issue[0].diagnostics


def test_validate_code(client: SyncFHIRClient) -> None:
    good = validate(
        client.execute(
            "CodeSystem/$validate-code",
            method="get",
            params={"url": SYSTEM, "code": "S72.001A", "version": "2026-04-01"},
        )
    )
    assert good.parameter[0].valueBoolean is True
    bad = client.execute("CodeSystem/$validate-code", method="get", params={"url": SYSTEM, "code": "S06.1X7D"})
    assert _param(bad, "result")[0]["valueBoolean"] is False
    header = client.execute(
        "CodeSystem/$validate-code", method="get", params={"url": SYSTEM, "code": "L94", "abstract": "false"}
    )
    assert _param(header, "result")[0]["valueBoolean"] is False


def test_validate_code_with_date_is_answered_from_the_code_history(client: SyncFHIRClient) -> None:
    result = client.execute(
        "CodeSystem/$validate-code", method="get", params={"url": SYSTEM, "code": "L94.2", "date": "2019-05-01"}
    )
    assert _param(result, "result")[0]["valueBoolean"] is True
    assert "valid on 2019-05-01 per the code history" in _param(result, "message")[0]["valueString"]
    added = client.execute(  # U07.1 (COVID-19) entered ICD-10-CM in April 2020
        "CodeSystem/$validate-code", method="get", params={"url": SYSTEM, "code": "U07.1", "date": "2019-05-01"}
    )
    assert _param(added, "result")[0]["valueBoolean"] is False


def test_grouper_maps_are_served(client: SyncFHIRClient) -> None:
    found = client.execute(
        "ConceptMap/$translate", method="get", params={"system": "http://hl7.org/fhir/sid/icd-9-cm", "code": "428.0"}
    )
    assert _param(found, "result")[0]["valueBoolean"] is True


def test_validate_code_older_release_by_version(client: SyncFHIRClient, kb: icd10kb.KnowledgeBase) -> None:
    old = icd10kb.load("2021")
    added = next(c for c in kb.descendants("chapter-12".split("-")[1]) if c not in old)
    result = client.execute(
        "CodeSystem/$validate-code", method="get", params={"url": SYSTEM, "code": added, "version": "2021"}
    )
    assert _param(result, "result")[0]["valueBoolean"] is False
    with pytest.raises(ResourceNotFound):
        client.execute(
            "CodeSystem/$validate-code", method="get", params={"url": SYSTEM, "code": "A00", "version": "1999"}
        )


@pytest.mark.parametrize(
    ("a", "b", "outcome"),
    [
        ("L94", "L94.2", "subsumes"),
        ("L94.2", "chapter-12", "subsumed-by"),
        ("L94.2", "L94.2", "equivalent"),
        ("L94.2", "L94.3", "not-subsumed"),
        ("S72.001", "S72.001A", "subsumes"),
    ],
)
def test_subsumes(client: SyncFHIRClient, a: str, b: str, outcome: str) -> None:
    result = validate(
        client.execute("CodeSystem/$subsumes", method="get", params={"system": SYSTEM, "codeA": a, "codeB": b})
    )
    assert result.parameter[0].valueCode == outcome


def test_expand_hierarchy_value_set_pages(client: SyncFHIRClient, kb: icd10kb.KnowledgeBase) -> None:
    expected = ["L80-L99", *kb.descendants("L80-L99")]
    got: list[str] = []
    for offset in range(0, 10_000, 50):  # bounded; stops at the end
        page = validate(
            client.execute(
                "ValueSet/icd-10-cm-block-L80-L99/$expand", method="get", params={"count": 50, "offset": offset}
            )
        )
        assert page.expansion.total == len(expected)
        got += [c.code for c in page.expansion.contains or []]
        if offset + 50 >= page.expansion.total:
            break
    assert got == expected


def test_expand_filters(client: SyncFHIRClient, kb: icd10kb.KnowledgeBase) -> None:
    text = client.execute(
        "ValueSet/$expand", method="get", params={"url": f"{SYSTEM}?fhir_vs=isa/L94", "filter": "calcinosis"}
    )
    assert [c["code"] for c in validate(text).expansion.model_dump()["contains"]] == ["L94.2"]
    inline = {
        "resourceType": "ValueSet",
        "status": "active",
        "compose": {
            "include": [
                {
                    "system": SYSTEM,
                    "filter": [
                        {"property": "concept", "op": "descendent-of", "value": "L94"},
                        {"property": "notSelectable", "op": "=", "value": "false"},
                    ],
                }
            ]
        },
    }
    posted = client.execute(
        "ValueSet/$expand",
        data={
            "resourceType": "Parameters",
            "parameter": [{"name": "valueSet", "resource": inline}, {"name": "count", "valueInteger": 100}],
        },
    )
    codes = [c["code"] for c in validate(posted).model_dump()["expansion"]["contains"]]
    assert codes == list(kb.billable_codes("L94"))


def test_expand_too_large_is_too_costly(client: SyncFHIRClient) -> None:
    with pytest.raises(OperationOutcome) as caught:
        client.execute("ValueSet/$expand", method="get", params={"url": f"{SYSTEM}?fhir_vs"})
    assert "too-costly" in str(caught.value)


def test_value_set_validate_code(client: SyncFHIRClient) -> None:
    inside = client.execute(
        "ValueSet/icd-10-cm-chapter-12/$validate-code", method="get", params={"system": SYSTEM, "code": "L94.2"}
    )
    outside = client.execute(
        "ValueSet/icd-10-cm-chapter-12/$validate-code", method="get", params={"system": SYSTEM, "code": "A00.0"}
    )
    assert validate(inside).parameter[0].valueBoolean is True
    assert _param(outside, "result")[0]["valueBoolean"] is False


def test_grouping_resources_are_served(client: SyncFHIRClient, kb: icd10kb.KnowledgeBase) -> None:
    found = client.resources("ValueSet").search(url="urn:icd10kb:fhir/ValueSet/l-blocks-L80-L99").fetch()
    assert len(found) == 1 and found[0]["title"].startswith("l-blocks L80-L99")
    vs = client.reference("ValueSet", "icd-10-cm-category-L94").to_resource()
    validate(vs.serialize())
    result = client.execute(
        "ValueSet/l-blocks-L80-L99/$validate-code", method="get", params={"system": SYSTEM, "code": "L94.2"}
    )
    assert _param(result, "result")[0]["valueBoolean"] is True


def test_translate(client: SyncFHIRClient, kb: icd10kb.KnowledgeBase) -> None:
    result = validate(
        client.execute(
            "ConceptMap/$translate", method="get", params={"system": SYSTEM, "code": "L94.2", "targetsystem": GROUPING}
        )
    )
    assert result.parameter[0].valueBoolean is True
    match = _param(result.model_dump(), "match")[0]["part"]
    assert match[0]["valueCode"] == "wider"
    assert match[1]["valueCoding"] == {"system": GROUPING, "code": "L80-L99", "display": kb.title("L80-L99")}
    none = client.execute(  # the served CCSR maps A00.0; the test grouping does not
        "ConceptMap/$translate", method="get", params={"system": SYSTEM, "code": "A00.0", "targetsystem": GROUPING}
    )
    assert _param(none, "result")[0]["valueBoolean"] is False


# --- hostile and malformed requests: an OperationOutcome and nothing else --------------------

LOOKUP = f"/CodeSystem/$lookup?system={quote(SYSTEM, safe='')}"
HOSTILE = [
    ("GET", "/../../etc/passwd", None, {}, 404),
    ("GET", "/CodeSystem/..%2F..%2Fetc%2Fpasswd", None, {}, 404),
    ("GET", "/CodeSystem/icd-10-cm/$nonsense", None, {}, 404),
    ("GET", "/Patient/1", None, {}, 404),
    ("GET", f"{LOOKUP}&code=L94.2&code=L94.3", None, {}, 400),
    ("GET", f"{LOOKUP}&code=L94.2&bogus=1", None, {}, 400),
    ("GET", f"{LOOKUP}&code=" + "A" * 5000, None, {}, 400),
    ("GET", f"{LOOKUP}&code=L94.2%00", None, {}, 400),
    ("GET", "/CodeSystem/$lookup?code=L94.2&system=http://loinc.org", None, {}, 404),
    ("GET", "/ValueSet/icd-10-cm-block-L80-L99/$expand?count=-1", None, {}, 400),
    ("GET", "/ValueSet/icd-10-cm-block-L80-L99/$expand?count=abc", None, {}, 400),
    ("GET", "/ValueSet/icd-10-cm-block-L80-L99/$expand?offset=99999999999", None, {}, 400),
    ("GET", f"{LOOKUP}&code=L94.2&_format=xml", None, {}, 406),
    ("GET", f"{LOOKUP}&code=L94.2", None, {"Accept": "application/fhir+xml"}, 406),
    ("DELETE", "/CodeSystem/icd-10-cm", None, {}, 405),
    ("PUT", "/CodeSystem/icd-10-cm", b"{}", {"Content-Type": "application/fhir+json"}, 405),
    ("HEAD", "/metadata", None, {}, 405),
    ("POST", "/CodeSystem/$lookup", b"<Parameters/>", {"Content-Type": "application/fhir+xml"}, 415),
    ("POST", "/CodeSystem/$lookup", b"not json", {"Content-Type": "application/fhir+json"}, 400),
    ("POST", "/CodeSystem/$lookup", b"[" * 100_00 + b"]" * 100_00, {"Content-Type": "application/json"}, 400),
    ("POST", "/CodeSystem/$lookup", b'{"resourceType": "Patient"}', {"Content-Type": "application/json"}, 400),
    (
        "POST",
        "/CodeSystem/$lookup",
        b'{"resourceType": "Parameters", "parameter": [{"name": "code"}]}',
        {"Content-Type": "application/json"},
        400,
    ),
    (
        "POST",
        "/CodeSystem/$lookup",
        b'{"resourceType": "Parameters", "parameter": [{"name": "code", "valueCode": 7}]}',
        {"Content-Type": "application/json"},
        400,
    ),
    (
        "POST",
        "/ValueSet/$expand",
        json.dumps(
            {
                "resourceType": "Parameters",
                "parameter": [
                    {
                        "name": "valueSet",
                        "resource": {
                            "resourceType": "ValueSet",
                            "compose": {"include": [{"system": "http://loinc.org"}]},
                        },
                    }
                ],
            }
        ).encode(),
        {"Content-Type": "application/json"},
        422,
    ),
]


@pytest.mark.parametrize(("method", "path", "body", "headers", "status"), HOSTILE)
def test_hostile_requests_get_an_operation_outcome(
    base: str, method: str, path: str, body: bytes | None, headers: dict[str, str], status: int
) -> None:
    got, response_headers, content = _raw(base, method, path, body, headers)
    assert got == status
    if method == "HEAD":
        return
    assert response_headers["content-type"].startswith("application/fhir+json")
    outcome = validate(json.loads(content))
    assert outcome.get_resource_type() == "OperationOutcome" and outcome.issue[0].severity == "error"
    assert "Traceback" not in content.decode() and 'File "' not in content.decode()


def test_huge_body_is_refused_before_it_is_read(base: str) -> None:
    status, _, content = _raw(
        base, "POST", "/CodeSystem/$lookup", b" " * 2_000_000, {"Content-Type": "application/fhir+json"}
    )
    assert status == 413
    assert validate(json.loads(content)).issue[0].code == "too-long"


def test_huge_body_without_length_is_cut_off(base: str) -> None:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    chunks = (b" " * 65_536 for _ in range(40))  # 2.6 MB, chunked: no Content-Length
    try:
        connection.request(
            "POST",
            "/CodeSystem/$lookup",
            body=chunks,
            headers={"Content-Type": "application/fhir+json"},
            encode_chunked=True,
        )
        response = connection.getresponse()
        assert response.status == 413
        validate(json.loads(response.read()))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may close the connection once it has answered; it never read it all
    finally:
        connection.close()


# --- the curl examples of docs/howto/fhir-server.md, run against the live server -----------

DOC = ROOT / "docs" / "howto" / "fhir-server.md"
DOC_BASE = "http://127.0.0.1:8080"


def _examples() -> list[tuple[str, Any]]:
    import re

    text = DOC.read_text(encoding="utf-8")
    pairs = re.findall(r"^```bash\n(curl [^\n]*)\n```\n\n```json\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    return [(command, json.loads(expected)) for command, expected in pairs]


def _contains(actual: Any, expected: Any) -> bool:
    """Whether *actual* holds *expected*: dict keys recursively, list items in order (a subsequence)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and _contains(actual[k], v) for k, v in expected.items())
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return False
        items = iter(actual)
        return all(any(_contains(item, want) for item in items) for want in expected)
    if isinstance(expected, str) and isinstance(actual, str) and len(expected) > 30:
        return expected in actual
    return bool(actual == expected)


def test_docs_have_curl_examples() -> None:
    assert len(_examples()) >= 16


@pytest.mark.parametrize(("command", "expected"), _examples(), ids=lambda v: str(v)[:70] if isinstance(v, str) else "")
def test_docs_curl_example(base: str, command: str, expected: Any) -> None:
    import shlex

    words = shlex.split(command)
    assert words[0] == "curl"
    method, headers, body, url = "GET", {}, None, None
    rest = iter(words[1:])
    for word in rest:
        if word == "-s":
            continue
        if word == "-X":
            method = next(rest)
        elif word == "-H":
            name, _, value = next(rest).partition(":")
            headers[name.strip()] = value.strip()
        elif word == "-d":
            body = next(rest).encode()
        else:
            assert word.startswith(DOC_BASE), word
            url = word[len(DOC_BASE) :]
    assert url is not None
    status, response_headers, content = _raw(base, method, url, body, headers)
    answer = json.loads(content)
    validate(answer)
    assert response_headers["content-type"].startswith("application/fhir+json")
    assert (status >= 400) == (answer["resourceType"] == "OperationOutcome")
    assert _contains(answer, expected), json.dumps(answer)[:3000]


def _socket_exchange(base: str, raw: bytes, step: int = 16_384) -> bytes:
    """Send raw bytes (in pieces), read until the server closes; a reset ends the reading."""
    import socket

    parts = urlsplit(base)
    received = b""
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        try:
            for start in range(0, len(raw), step):
                sock.sendall(raw[start : start + step])
        except OSError:
            pass  # the server answered and closed before taking it all
        try:
            while len(received) < 1_000_000:
                chunk = sock.recv(65_536)
                if not chunk:
                    break
                received += chunk
        except OSError:
            pass
    return received


def _fhir_or_nothing(received: bytes, status: int) -> None:
    if not received:
        return  # the connection was reset after the answer: nothing else reached the client
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 %d " % status), head
    assert b"content-type: application/fhir+json" in head.lower()
    assert validate(json.loads(body)).issue[0].severity == "error"


@pytest.mark.parametrize(
    "raw",
    [
        b"GARBAGE\r\n\r\n",
        b"GET /metadata HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        b"GET /metadata HTTP/1.1\r\nBad Header\r\n\r\n",
    ],
)
def test_unparsable_http_gets_an_operation_outcome(base: str, raw: bytes) -> None:
    received = _socket_exchange(base, raw)
    assert received
    _fhir_or_nothing(received, 400)


def test_oversized_request_head_is_cut_off(base: str) -> None:
    received = _socket_exchange(base, b"GET /metadata?x=" + b"A" * 300_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    _fhir_or_nothing(received, 431)
    status, _, _ = _raw(base, "GET", "/metadata")  # and the server goes on serving
    assert status == 200


def test_lookup_and_validate_in_a_grouping_code_system(client: SyncFHIRClient, kb: icd10kb.KnowledgeBase) -> None:
    found = validate(client.execute("CodeSystem/$lookup", method="get", params={"system": GROUPING, "code": "L80-L99"}))
    assert [p.valueString for p in found.parameter if p.name == "display"] == [kb.title("L80-L99")]
    good = client.execute("CodeSystem/$validate-code", method="get", params={"url": GROUPING, "code": "L80-L99"})
    bad = client.execute("CodeSystem/$validate-code", method="get", params={"url": GROUPING, "code": "L94.2"})
    assert _param(good, "result")[0]["valueBoolean"] is True and _param(bad, "result")[0]["valueBoolean"] is False
    with pytest.raises(ResourceNotFound):
        client.execute("CodeSystem/$lookup", method="get", params={"system": GROUPING, "code": "nope"})
