"""Domain errors and their gRPC status codes.

Service code raises these; the gRPC edge interceptor turns them into a status
with a ``google.rpc.Status`` carrying ``ErrorInfo`` (reason) and ``BadRequest``
(field violations) details, which the gateway turns into problem+json.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import grpc


@dataclass(frozen=True, slots=True)
class FieldViolation:
    field: str
    description: str


@dataclass
class DomainError(Exception):
    message: str
    reason: str = "ERROR"
    violations: list[FieldViolation] = field(default_factory=list)
    code: grpc.StatusCode = field(default=grpc.StatusCode.UNKNOWN, init=False)

    def __str__(self) -> str:
        return self.message


@dataclass
class InvalidArgument(DomainError):
    reason: str = "INVALID_ARGUMENT"

    def __post_init__(self) -> None:
        self.code = grpc.StatusCode.INVALID_ARGUMENT


@dataclass
class NotFound(DomainError):
    reason: str = "NOT_FOUND"

    def __post_init__(self) -> None:
        self.code = grpc.StatusCode.NOT_FOUND


@dataclass
class AlreadyExists(DomainError):
    reason: str = "ALREADY_EXISTS"

    def __post_init__(self) -> None:
        self.code = grpc.StatusCode.ALREADY_EXISTS


@dataclass
class FailedPrecondition(DomainError):
    reason: str = "FAILED_PRECONDITION"

    def __post_init__(self) -> None:
        self.code = grpc.StatusCode.FAILED_PRECONDITION


@dataclass
class PermissionDenied(DomainError):
    reason: str = "PERMISSION_DENIED"

    def __post_init__(self) -> None:
        self.code = grpc.StatusCode.PERMISSION_DENIED


class Validator:
    """Collects field violations and raises one InvalidArgument with all of them."""

    def __init__(self) -> None:
        self.violations: list[FieldViolation] = []

    def add(self, field_name: str, description: str) -> None:
        self.violations.append(FieldViolation(field_name, description))

    def raise_if_any(self, message: str = "the request is not valid") -> None:
        if self.violations:
            raise InvalidArgument(message, violations=list(self.violations))
