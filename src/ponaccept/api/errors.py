"""Problem-style error bodies (RFC 9457 shape) and the exception → HTTP mapping.

Every error response is ``application/problem+json``::

    {"type": "urn:ponaccept:problem:<slug>", "title": "...", "status": 409, "detail": "...",
     "errors": [{"field": "body.splitters[2].ratio", "message": "..."}],
     "current_state": "testing", "allowed_events": ["submit"]}

``errors`` is always present (possibly empty); ``current_state``/``allowed_events`` only for state
conflicts. Routes raise :class:`ApiError` subclasses (or let domain/repository errors propagate);
they never build error responses by hand.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ponaccept.db.repositories.errors import NotFound, RepositoryError
from ponaccept.domain.errors import DomainError, IllegalTransition

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class FieldProblem(BaseModel):
    field: str = Field(examples=["body.splitters[2].ratio"])
    message: str = Field(examples=["Input should be 2, 4, 8, 16, 32 or 64"])


class Problem(BaseModel):
    """The body of every error response."""

    type: str = Field(examples=["urn:ponaccept:problem:validation"])
    title: str = Field(examples=["Request validation failed"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["1 field is invalid"])
    errors: list[FieldProblem] = Field(default_factory=list)
    current_state: str | None = None
    allowed_events: list[str] | None = None


class ApiError(Exception):
    """An expected failure with its HTTP status; the handler renders it as a Problem."""

    status = 400
    slug = "bad-request"
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[FieldProblem | tuple[str, str]] = (),
        current_state: str | None = None,
        allowed_events: Sequence[str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = [
            e if isinstance(e, FieldProblem) else FieldProblem(field=e[0], message=e[1]) for e in errors
        ]
        self.current_state = current_state
        self.allowed_events = list(allowed_events) if allowed_events is not None else None

    def problem(self) -> Problem:
        return Problem(
            type=f"urn:ponaccept:problem:{self.slug}",
            title=self.title,
            status=self.status,
            detail=self.detail,
            errors=self.errors,
            current_state=self.current_state,
            allowed_events=self.allowed_events,
        )


class NotFoundError(ApiError):
    status = 404
    slug = "not-found"
    title = "Not found"

    def __init__(self, entity: str, ident: object) -> None:
        super().__init__(f"{entity} {ident} does not exist")


class ConflictError(ApiError):
    """The request is valid but contradicts stored state (409): in use, duplicate, wrong state."""

    status = 409
    slug = "conflict"
    title = "Conflict"


class InvalidRequest(ApiError):
    """Semantic validation failed (422); name the offending fields in ``errors``."""

    status = 422
    slug = "validation"
    title = "Request validation failed"


class Unauthorized(ApiError):
    status = 401
    slug = "unauthorized"
    title = "Missing or invalid API key"


class Forbidden(ApiError):
    status = 403
    slug = "forbidden"
    title = "Role not allowed"


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    body = problem.model_dump(exclude_none=True)
    body.setdefault("errors", [])
    return JSONResponse(body, status_code=problem.status, media_type=PROBLEM_JSON, headers=headers)


def field_path(loc: Sequence[int | str]) -> str:
    """``("body", "splitters", 2, "ratio")`` → ``body.splitters[2].ratio``."""
    path = ""
    for part in loc:
        if isinstance(part, str) and _is_validator_tag(part):
            continue
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _is_validator_tag(part: str) -> bool:
    """pydantic puts union-member and validator names in ``loc`` (``function-after[...]``,
    ``lax-or-strict[...]``); they are not fields a client could name."""
    return part.startswith("function-") or "[" in part or "(" in part


def _validation_problems(errors: Sequence[Any]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    seen: set[tuple[str, str]] = set()
    for error in errors:
        field = field_path(list(error.get("loc", ()))) or "body"
        message = str(error.get("msg", "invalid"))
        if (field, message) not in seen:  # union members repeat the same complaint
            seen.add((field, message))
            problems.append(FieldProblem(field=field, message=message))
    return problems


def _plural(n: int) -> str:
    return f"{n} field is invalid" if n == 1 else f"{n} fields are invalid"


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every expected exception into a Problem response."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
        return problem_response(exc.problem(), headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = _validation_problems(exc.errors())
        return problem_response(InvalidRequest(_plural(len(problems)), errors=problems).problem())

    @app.exception_handler(IllegalTransition)
    async def _transition(_request: Request, exc: IllegalTransition) -> JSONResponse:
        error = ConflictError(str(exc), current_state=exc.current_state, allowed_events=exc.allowed_events)
        error.slug, error.title = "illegal-transition", "Illegal state transition"
        return problem_response(error.problem())

    @app.exception_handler(NotFound)
    async def _not_found(_request: Request, exc: NotFound) -> JSONResponse:
        error = ApiError(str(exc))
        error.status, error.slug, error.title = 404, "not-found", "Not found"
        return problem_response(error.problem())

    @app.exception_handler(RepositoryError)
    async def _repository(_request: Request, exc: RepositoryError) -> JSONResponse:
        return problem_response(ConflictError(str(exc)).problem())

    @app.exception_handler(DomainError)
    async def _domain(_request: Request, exc: DomainError) -> JSONResponse:
        if isinstance(exc, ValueError):
            return problem_response(InvalidRequest(str(exc)).problem())
        return problem_response(ConflictError(str(exc)).problem())

    @app.exception_handler(IntegrityError)
    async def _integrity(_request: Request, exc: IntegrityError) -> JSONResponse:
        # Driver messages quote row values ("Failing row contains ..." may include an ONU password), so
        # neither the answer nor the log repeats them: only the constraint's name is logged.
        constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
        log.info("integrity error answered with 409: %s (constraint %s)", type(exc.orig).__name__, constraint)
        return problem_response(
            ConflictError(
                "the request conflicts with existing data (duplicate or still referenced)"
            ).problem()
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        error = ApiError(str(exc.detail))
        error.status, error.slug, error.title = exc.status_code, f"http-{exc.status_code}", str(exc.detail)
        return problem_response(error.problem(), dict(exc.headers) if exc.headers else None)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": description, "content": {PROBLEM_JSON: {}}}
    for status, description in {
        400: "Malformed request body (e.g. not parseable as JSON)",
        401: "Missing or invalid API key",
        403: "The key's role may not do this",
        404: "Not found",
        409: "Conflict with stored state (in use, duplicate, illegal transition: see current_state)",
        422: "Validation failed; `errors[].field` names each invalid field",
    }.items()
}
"""``responses=`` for routers, so OpenAPI documents the Problem body on every error status."""
