"""Domain errors to gRPC status (server side) and back (client side)."""

from __future__ import annotations

from dataclasses import dataclass, field

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from crm_common.errors import DomainError, FieldViolation

ERROR_DOMAIN = "crm"


def to_rpc_status(error: DomainError) -> grpc.Status:
    details = []
    info = any_pb2.Any()
    info.Pack(error_details_pb2.ErrorInfo(reason=error.reason, domain=ERROR_DOMAIN))
    details.append(info)
    if error.violations:
        bad = any_pb2.Any()
        bad.Pack(
            error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(
                        field=v.field, description=v.description
                    )
                    for v in error.violations
                ]
            )
        )
        details.append(bad)
    status = status_pb2.Status(code=error.code.value[0], message=error.message, details=details)
    return rpc_status.to_status(status)


@dataclass
class RemoteError:
    """What a client learns from a failed call."""

    code: grpc.StatusCode
    message: str
    reason: str | None = None
    violations: list[FieldViolation] = field(default_factory=list)


_CODES = {c.value[0]: c for c in grpc.StatusCode}


def from_rpc_error(err: grpc.RpcError) -> RemoteError:
    code = err.code() if hasattr(err, "code") else grpc.StatusCode.UNKNOWN
    message = err.details() if hasattr(err, "details") else str(err)
    remote = RemoteError(code=code, message=message or code.name)
    try:
        status = rpc_status.from_call(err)  # type: ignore[arg-type]
    except (ValueError, AttributeError):
        status = None
    if status is None:
        return remote
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            remote.reason = info.reason
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            remote.violations = [
                FieldViolation(v.field, v.description) for v in bad.field_violations
            ]
    return remote


__all__ = ["RemoteError", "code_pb2", "from_rpc_error", "to_rpc_status"]
