"""HTTP errors: exceptions that carry their status, and the one handler that renders them.

Every error leaves the server as ``{"error": message, "status": code, ...}`` (JSON), or as a
small readable HTML page when the client prefers ``text/html``.  Unexpected exceptions are
logged with their traceback on the server and answered with a generic 500: a client never
sees a stack trace.
"""

from __future__ import annotations

import html
import json
import logging
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger("entente.server")


class ApiError(Exception):
    """An error with an HTTP status and a one-line message for the client."""

    status: int = 500
    title: str = "Internal Server Error"

    def __init__(self, message: str, **detail: Any) -> None:
        message = " ".join(message.split())  # one line (parser messages may span several)
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.headers: dict[str, str] = {}

    def payload(self) -> dict[str, Any]:
        return {"error": self.message, "status": self.status, **self.detail}


class BadRequest(ApiError):
    status, title = 400, "Bad Request"


class Unauthorized(ApiError):
    status, title = 401, "Unauthorized"

    def __init__(self, message: str, **detail: Any) -> None:
        super().__init__(message, **detail)
        self.headers["WWW-Authenticate"] = 'Bearer realm="entente-update"'


class Forbidden(ApiError):
    status, title = 403, "Forbidden"


class NotFound(ApiError):
    status, title = 404, "Not Found"


class MethodNotAllowed(ApiError):
    status, title = 405, "Method Not Allowed"


class NotAcceptable(ApiError):
    status, title = 406, "Not Acceptable"


class PayloadTooLarge(ApiError):
    status, title = 413, "Payload Too Large"


class UnsupportedMediaType(ApiError):
    status, title = 415, "Unsupported Media Type"


def refuse_content_coding(coding: str | None) -> None:
    """A 415 for a request body in a content coding (``Content-Encoding: gzip``): the server
    reads bodies as they are sent (RFC 9110 section 8.4.1), and a compressed query read as
    text was "not UTF-8 (byte 1)"."""
    shown = (coding or "").strip()
    if any(c.strip().lower() not in ("", "identity") for c in shown.split(",")):
        raise UnsupportedMediaType(f"cannot read a request body in the content coding "
                                   f"{shown!r}; send it uncompressed")


class TooManyRequests(ApiError):
    status, title = 429, "Too Many Requests"

    def __init__(self, message: str, retry_after: int, **detail: Any) -> None:
        super().__init__(message, retryAfter=retry_after, **detail)
        self.headers["Retry-After"] = str(retry_after)


class QueryTimeout(ApiError):
    status, title = 503, "Service Unavailable"
    #: the text of the query that ran out of time (set by the engine; the log names it)
    query: str | None = None


class ServiceUnavailable(ApiError):
    status, title = 503, "Service Unavailable"


_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{status} {title}</title></head>
<body><h1>{status} {title}</h1><p>{message}</p><p><a href="/">Back to the query page</a></p>
</body></html>
"""


def _prefers_html() -> bool:
    """HTML when the client ranks text/html above application/json (ties: JSON)."""
    from entente.server.negotiation import prefers_html  # (negotiation imports this module)

    return prefers_html(request.headers.get("Accept"), ("application/json",))


def render(error: ApiError) -> Response:
    """The response for ``error``: JSON, or HTML for a browser."""
    if _prefers_html():
        body = _HTML.format(
            status=error.status, title=error.title, message=html.escape(error.message)
        )
        response = Response(body, status=error.status, mimetype="text/html")
    else:
        response = Response(
            json.dumps(error.payload(), ensure_ascii=False) + "\n",
            status=error.status,
            mimetype="application/json",
        )
    response.headers.update(error.headers)
    response.headers["Vary"] = "Accept"
    return response


_HTTP_CLASSES: dict[int, type[ApiError]] = {
    400: BadRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound, 405: MethodNotAllowed,
    406: NotAcceptable, 413: PayloadTooLarge, 415: UnsupportedMediaType, 429: TooManyRequests,
    503: ServiceUnavailable,
}


def _from_http(exc: HTTPException) -> ApiError:
    code = exc.code or 500
    messages = {
        404: f"no resource at {request.path}",
        405: f"method {request.method} is not allowed at {request.path}",
        413: "the request is larger than the server accepts",
    }
    message = messages.get(code) or (exc.description or exc.name)
    cls = _HTTP_CLASSES.get(code)
    if cls is None or cls is TooManyRequests:
        error = ApiError(message)
        error.status, error.title = code, exc.name
    else:
        error = cls(message)
    allow = exc.get_response().headers.get("Allow") if code == 405 else None
    if allow:  # werkzeug lists a set: sorted, the header is the same in every process
        error.headers["Allow"] = ", ".join(sorted(m.strip() for m in allow.split(",")))
    return error


def init_app(app: Flask) -> None:
    """Register the handlers: ApiError, Werkzeug's HTTP errors, and the catch-all."""

    @app.errorhandler(ApiError)
    def _api_error(error: ApiError) -> Response:
        return render(error)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        return render(_from_http(error))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render(ApiError("internal server error; the problem has been logged"))
