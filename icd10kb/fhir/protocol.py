"""uvicorn's HTTP protocol, made to answer even malformed requests in FHIR.

A request that cannot be parsed (garbage, a bad header, an oversized head)
never reaches the application: uvicorn answers it with a plain-text 400.
:func:`protocol_class` subclasses uvicorn's protocol (httptools when it is
installed, else h11) so that such a request gets an ``OperationOutcome``
too, and so that the request head (request line and headers) is bounded
by :data:`MAX_HEAD` bytes however it is sent.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["MAX_HEAD", "protocol_class"]

#: Largest request head (request line and headers), in bytes.
MAX_HEAD = 32_768
_REASONS = {400: b"Bad Request", 431: b"Request Header Fields Too Large"}


def _outcome(status: int, code: str, message: str) -> bytes:
    body = json.dumps(
        {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": code, "diagnostics": message}]}
    ).encode()
    head = (
        b"HTTP/1.1 %d %s\r\ncontent-type: application/fhir+json; charset=utf-8\r\ncontent-length: %d\r\n"
        b"connection: close\r\n\r\n" % (status, _REASONS[status], len(body))
    )
    return head + body


def protocol_class() -> type[Any]:
    """The protocol class to give ``uvicorn.Config(http=...)``."""
    try:
        import httptools  # noqa: F401
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as Base

        bounded = True  # h11 bounds the head itself (h11_max_incomplete_event_size)
    except ImportError:  # pragma: no cover - the fhir extra installs httptools
        from uvicorn.protocols.http.h11_impl import H11Protocol as Base  # type: ignore[assignment]

        bounded = False

    class FhirProtocol(Base):
        """Malformed requests answered with an OperationOutcome; the head bounded."""

        _in_head = True
        _head = 0

        def data_received(self, data: bytes) -> None:
            if bounded and self._in_head:
                self._head += len(data)
            super().data_received(data)
            if bounded and self._in_head and self._head > MAX_HEAD and not self.transport.is_closing():
                self._reject(431, "too-long", f"the request line and headers are larger than {MAX_HEAD} bytes")

        def on_headers_complete(self) -> None:
            self._in_head = False
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._in_head, self._head = True, 0

        def send_400_response(self, msg: str) -> None:
            self._reject(400, "structure", "the HTTP request could not be parsed")

        def _reject(self, status: int, code: str, message: str) -> None:
            self.transport.write(_outcome(status, code, message))
            self.transport.close()

    return FhirProtocol
