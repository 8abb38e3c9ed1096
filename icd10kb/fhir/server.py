"""The HTTP face of the terminology service: a Starlette application run by uvicorn.

Needs the ``fhir`` extra (``starlette``, ``uvicorn``; ``orjson`` makes
responses faster when it is there). Routes, with ``[base]`` the server's
root:

- ``GET [base]/metadata`` (``?mode=terminology`` for TerminologyCapabilities);
- ``GET [base]/{CodeSystem|ValueSet|ConceptMap}/{id}`` and ``GET [base]/{type}?url=…``;
- ``GET`` or ``POST [base]/{type}/$op`` and ``[base]/{type}/{id}/$op`` for the
  operations of :mod:`icd10kb.fhir.operations`.

Everything the server answers is FHIR JSON: a failed request gets an
``OperationOutcome`` with its HTTP status (400 bad input, 404 unknown code,
resource or route, 405 wrong method, 406 a format other than JSON, 413 a
body over the limit, 415 a body that is not JSON, 422 an expansion too
large or too slow, 500 an internal error: never a stack trace).
Request bodies, expansion pages and the time spent on a value set are
bounded (:class:`~icd10kb.fhir.service.Limits`).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..arguments import check_bool, check_choice, check_int
from ..errors import ICD10KBError, InvalidArgumentError
from . import checks
from .capability import capability_statement, terminology_capabilities
from .inputs import FhirError, Inputs, from_body, from_query
from .operations import lookup, subsumes, translate, validate_code
from .service import TerminologyService
from .valuesets import expand, validate_in_value_set

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["MEDIA_TYPE", "OPERATIONS", "ListenError", "create_app", "serve"]

MEDIA_TYPE = "application/fhir+json"
_LOG = logging.getLogger("icd10kb.fhir")
_PATH = re.compile(r"/(CodeSystem|ValueSet|ConceptMap)(?:/([A-Za-z0-9\-.]{1,64}))?(?:/\$([a-z\-]{1,20}))?")
_JSON_TYPES = ("application/fhir+json", "application/json")
_FORMATS = frozenset({"json", "application/json", "application/fhir+json"})
_CONTENT_TYPE = b"application/fhir+json; charset=utf-8"
#: ``(resource type, operation name) -> function``.
OPERATIONS = {
    ("CodeSystem", "lookup"): lookup,
    ("CodeSystem", "validate-code"): validate_code,
    ("CodeSystem", "subsumes"): subsumes,
    ("ValueSet", "expand"): expand,
    ("ValueSet", "validate-code"): validate_in_value_set,
    ("ConceptMap", "translate"): translate,
}
_CACHE_SIZE = 4096
_HOST = re.compile(r"[A-Za-z0-9.\-:]{0,255}")
_LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


class ListenError(ICD10KBError, OSError):
    """The server cannot listen at the address asked for (taken, or not this machine's)."""

    def __init__(self, host: str, port: int, reason: str) -> None:
        self.host, self.port, self.reason = host, port, reason
        super().__init__(f"cannot listen on {host[:255]}:{port}: {reason}")


def _dumps() -> Callable[[Any], bytes]:
    try:
        import orjson
    except ImportError:
        return lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return orjson.dumps


class _App:
    """The request handler: routing, inputs, limits, errors and the response cache.

    It knows nothing of Starlette's request objects: :meth:`respond` takes the
    method, path, query, a header getter and a body reader, so that the
    Starlette endpoint and the plain-ASGI path for GET requests (which skips
    building a Request, the largest cost of a cached ``$lookup``) share it.
    """

    def __init__(self, service: TerminologyService) -> None:
        self.service = service
        self.dumps = _dumps()
        self.cache: dict[tuple[str, str], bytes] = {}

    def outcome(self, error: FhirError) -> tuple[int, bytes]:
        return error.status, self.dumps(error.outcome())

    async def respond(
        self, method: str, path: str, query: str, header: Callable[[str], str], body: Callable[[], Any]
    ) -> tuple[int, bytes]:
        """``(status, JSON body)`` for one request; never raises."""
        try:
            return await self.handle(method, path, query, header, body)
        except FhirError as error:
            return self.outcome(error)
        except Exception:  # the one place that turns any failure into an OperationOutcome
            _LOG.exception("internal error on %s %s", method[:10], path[:200])
            return self.outcome(FhirError(500, "exception", "internal error; the server log has the details"))

    def _negotiate(self, header: Callable[[str], str], inputs: Inputs) -> None:
        formats = inputs.values.get("_format", [])
        if any(not isinstance(f, str) or f.split(";")[0].strip() not in _FORMATS for f in formats):
            raise FhirError(406, "not-supported", "this server answers in JSON only (_format=json)")
        accept = header("accept")
        if accept and "json" not in accept and "*/*" not in accept and "application/*" not in accept:
            raise FhirError(406, "not-supported", "this server answers in application/fhir+json only")

    async def _body(self, header: Callable[[str], str], body: Callable[[], Any]) -> bytes:
        limit = self.service.limits.max_body
        content_type = header("content-type").split(";")[0].strip().lower()
        if content_type not in _JSON_TYPES:
            raise FhirError(415, "not-supported", "POST a Parameters resource as application/fhir+json")
        length = header("content-length")
        if length and (not length.isdigit() or int(length) > limit):
            raise FhirError(413, "too-long", f"the body is larger than {limit} bytes")
        chunks, size = [], 0
        async for chunk in body():
            size += len(chunk)
            if size > limit:
                raise FhirError(413, "too-long", f"the body is larger than {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    async def handle(
        self, method: str, path: str, query: str, header: Callable[[str], str], body: Callable[[], Any]
    ) -> tuple[int, bytes]:
        if method not in ("GET", "POST"):
            raise FhirError(405, "not-supported", f"{method[:10]} is not supported here; use GET or POST")
        if len(query) > 8192:
            raise FhirError(414, "too-long", "the query string is longer than 8192 characters")
        key = (path, query)
        if method == "GET" and not header("accept"):
            cached = self.cache.get(key)
            if cached is not None:
                return 200, cached
        inputs = from_query(query)
        self._negotiate(header, inputs)
        if method == "GET":
            cached = self.cache.get(key)
            if cached is not None:
                return 200, cached
        if path.rstrip("/") == "/metadata":
            if method != "GET":
                raise FhirError(405, "not-supported", "metadata is read with GET")
            inputs.check_names(frozenset({"mode"}), "metadata")
            mode = inputs.text("mode", limit=20)
            if mode not in (None, "full", "normative", "terminology"):
                raise FhirError(400, "invalid", "mode is full, normative or terminology")
            build = terminology_capabilities if mode == "terminology" else capability_statement
            return 200, self.dumps(build(self.service))
        match = _PATH.fullmatch(path)
        if match is None:
            raise FhirError(404, "not-found", "unknown path; see [base]/metadata for what this server offers")
        kind, rid, operation = match.groups()
        if operation is None:
            if method != "GET":
                raise FhirError(405, "not-supported", "resources are read with GET")
            return 200, self.dumps(self._read(kind, rid, inputs))
        function = OPERATIONS.get((kind, operation))
        if function is None:
            raise FhirError(404, "not-supported", f"{kind} has no operation ${operation}")
        if method == "POST":
            posted = from_body(await self._body(header, body))
            for name, values in inputs.values.items():
                posted.values.setdefault(name, []).extend(values)
            inputs = posted
        if kind == "ValueSet":  # value sets can take up to the time limit: off the event loop
            from starlette.concurrency import run_in_threadpool

            result = await run_in_threadpool(function, self.service, inputs, rid)
        else:
            result = function(self.service, inputs, rid)
        data = self.dumps(result)
        if method == "GET" and kind != "ValueSet":
            if len(self.cache) >= _CACHE_SIZE:
                self.cache.clear()
            self.cache[key] = data
        return 200, data

    def _read(self, kind: str, rid: str | None, inputs: Inputs) -> dict[str, Any]:
        if rid is not None:
            inputs.check_names(frozenset(), "read")
            return self.service.read(kind, rid)
        inputs.check_names(frozenset({"url", "_count"}), "search")
        url = inputs.text("url", limit=300)
        found: list[dict[str, Any]] = []
        if url is None:
            found = self.service.resources(kind)
        else:
            try:
                if kind == "CodeSystem" and url.split("|")[0] == "http://hl7.org/fhir/sid/icd-10-cm":
                    found = [self.service.read("CodeSystem", "icd-10-cm")]
                elif kind == "ValueSet":
                    found = [self.service.value_set(url=url)]
                else:
                    found = [r for r in self.service.resources(kind) if r.get("url") == url]
            except FhirError:
                found = []
        return {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(found),
            "entry": [{"resource": r, "search": {"mode": "match"}} for r in found],
        }


class _Server:
    """The ASGI application: GET requests answered directly, everything else by Starlette.

    A GET carries no body, so it needs nothing of Starlette's request
    machinery; answering it straight from the ASGI scope roughly halves the
    cost of a ``$lookup``. POSTs, other methods and lifespan events go to the
    Starlette application, which shares the same handler.
    """

    def __init__(self, handler: _App, starlette: Starlette) -> None:
        self.handler = handler
        self.starlette = starlette

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.starlette(scope, receive, send)
            return
        headers = scope["headers"]

        def header(name: str) -> str:
            wanted = name.encode()
            for key, value in headers:
                if key == wanted:
                    return str(value.decode("latin-1"))
            return ""

        query = scope["query_string"].decode("latin-1")
        status, body = await self.handler.respond("GET", scope["path"], query, header, _no_body)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", _CONTENT_TYPE), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


async def _no_body() -> Any:  # pragma: no cover - a GET has no body to read
    return
    yield


def create_app(service: TerminologyService | None = None) -> _Server:
    """The ASGI application answering for *service* (default: the default release).

    Examples
    --------
    >>> app = create_app(TerminologyService(kb))
    >>> type(app.starlette).__name__
    'Starlette'
    """
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    if service is not None:
        checks.same(service, TerminologyService, "service")
    handler = _App(service if service is not None else TerminologyService())

    def reply(status: int, body: bytes) -> Response:
        return Response(body, status_code=status, media_type=MEDIA_TYPE)

    async def endpoint(request: Request) -> Response:
        headers = request.headers
        status, body = await handler.respond(
            request.method, request.url.path, request.url.query, lambda name: headers.get(name, ""), request.stream
        )
        return reply(status, body)

    async def failed(request: Request, exc: Exception) -> Response:
        return reply(*handler.outcome(FhirError(500, "exception", "internal error")))

    methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
    starlette = Starlette(routes=[Route("/{path:path}", endpoint, methods=methods)], exception_handlers={500: failed})
    return _Server(handler, starlette)


def serve(
    service: TerminologyService | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    access_log: bool = False,
    log_level: str = "warning",
    announce: Callable[[str], None] | None = None,
) -> None:
    """Run the server with uvicorn until interrupted.

    Parameters
    ----------
    service:
        What to serve (default: the default release).
    host:
        The address to listen on: loopback unless told otherwise.
    port:
        The port; 0 picks a free one.
    access_log:
        Log every request (slower).
    log_level:
        uvicorn's log level.
    announce:
        Called with the server's base URL once it listens (default: print it).
    """
    import socket

    import uvicorn

    if service is not None:
        checks.same(service, TerminologyService, "service")
    host = checks.text(host, "host", 255, empty=True)
    if not _HOST.fullmatch(host):
        raise InvalidArgumentError(host, "an IP address or host name (letters, digits, '.', '-', ':')", "host")
    port = check_int(port, "port", 0, 65535)
    access_log = check_bool(access_log, "access_log")
    log_level = check_choice(log_level, _LOG_LEVELS, "log_level")
    if announce is not None and not callable(announce):
        raise InvalidArgumentError(announce, "expected a function taking the server's URL, or None", "announce")
    app = create_app(service)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except (OSError, UnicodeError) as error:  # no such address; the port is taken; a label too long
            reason = getattr(error, "strerror", None) or "not an address of this machine"
            raise ListenError(host, port, reason) from error
        sock.listen(2048)  # connections wait in the backlog until uvicorn accepts them
        shown = f"[{host}]" if family == socket.AF_INET6 else host
        (announce or print)(f"icd10kb FHIR terminology server on http://{shown}:{sock.getsockname()[1]}")
        _run(uvicorn, app, sock, access_log, log_level)
    finally:
        sock.close()


def _run(uvicorn: Any, app: _Server, sock: Any, access_log: bool, log_level: str) -> None:
    from .protocol import protocol_class

    config = uvicorn.Config(
        app,
        http=protocol_class(),
        access_log=access_log,
        log_level=log_level,
        server_header=False,
        lifespan="off",
        h11_max_incomplete_event_size=16_384,
        timeout_keep_alive=5,
    )
    uvicorn.Server(config).run(sockets=[sock])
