"""M7: every text field of every messaging request is one the gRPC edge's NUL check
(``crm_common.grpc.nul``, run by the edge interceptor before the handler) finds and names:
PostgreSQL cannot store NUL, so each would otherwise be an internal error. Bytes are left
alone. The round trip over a real server: ``test_audit_upserts.py::test_m7_…``."""

from __future__ import annotations

import pytest
from google.protobuf.descriptor import FieldDescriptor

from crm.messaging.v1 import messaging_service_pb2 as pb
from crm_common.errors import InvalidArgument
from crm_common.grpc.nul import nul_fields, refuse_nul

SERVICE = pb.DESCRIPTOR.services_by_name["MessagingService"]


def _string_paths(descriptor, prefix: str = "", depth: int = 0) -> list[tuple[str, tuple]]:
    """(path, setter steps) of every string field reachable from a request message."""
    out = []
    for fd in descriptor.fields:
        if fd.type == FieldDescriptor.TYPE_STRING:
            out.append((prefix + fd.name + ("[0]" if fd.is_repeated else ""), (fd,)))
        elif fd.type == FieldDescriptor.TYPE_MESSAGE and depth < 3:
            if fd.message_type.GetOptions().map_entry:
                if fd.message_type.fields_by_name["value"].type == FieldDescriptor.TYPE_STRING:
                    out.append((f"{prefix}{fd.name}['k']", (fd,)))
                continue
            inner = "[0]." if fd.is_repeated else "."
            for path, steps in _string_paths(fd.message_type, prefix + fd.name + inner, depth + 1):
                out.append((path, (fd, *steps)))
    return out


def _set_nul(message, steps: tuple) -> None:
    fd, *rest = steps
    if not rest:
        if fd.type == FieldDescriptor.TYPE_MESSAGE:  # map<string, string>
            getattr(message, fd.name)["k"] = "a\x00b"
        elif fd.is_repeated:
            getattr(message, fd.name).append("a\x00b")
        else:
            setattr(message, fd.name, "a\x00b")
        return
    field = getattr(message, fd.name)
    _set_nul(field.add() if fd.is_repeated else field, tuple(rest))


def _cases():
    for method in SERVICE.methods:
        for path, steps in _string_paths(method.input_type):
            yield pytest.param(method, path, steps, id=f"{method.name}:{path}")


@pytest.mark.parametrize(("method", "path", "steps"), list(_cases()))
def test_m7_every_text_field_of_every_request_is_checked_for_nul(method, path, steps):
    request = getattr(pb, method.input_type.name)()
    _set_nul(request, steps)
    with pytest.raises(InvalidArgument) as caught:
        refuse_nul(request)
    assert [v.field for v in caught.value.violations] == [path]


def test_m7_clean_text_and_bytes_with_nul_pass():
    request = pb.SendMessageRequest(
        text="שלום", variables={"name": "דנה"}, attachments=[pb.Attachment(content=b"\x00\x01")]
    )
    assert list(nul_fields(request)) == []
    refuse_nul(request)
    assert list(nul_fields(pb.IngestWebhookRequest(body=b"{\x00}"))) == []
    assert len(list(_cases())) > 50  # the sweep above is not empty
