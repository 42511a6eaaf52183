"""/v1/webhooks/{tenant_id}/card: the card provider's webhooks (Stripe wire format).

No API key: the provider signs each request (``Stripe-Signature``). The billing
service holds the signing secret, verifies signature and timestamp window,
dedupes on the event id and applies it in one transaction; an unverifiable
request is refused and changes nothing.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from crm.billing.v1 import billing_service_pb2 as pb
from crm_common.grpc.client import call_metadata
from crm_gateway.backends import Services
from crm_gateway.problems import ProblemException
from crm_gateway.routers.billing import stub

router = APIRouter(tags=["webhooks"])
MAX_BODY = 256 * 1024


@router.post("/v1/webhooks/{tenant_id}/card", summary="Card provider webhook (Stripe format)")
async def card_webhook(tenant_id: str, request: Request, services: Services) -> JSONResponse:
    try:
        tenant = uuid.UUID(tenant_id)
    except ValueError:
        raise ProblemException(404, "unknown webhook endpoint") from None
    body = await request.body()
    if len(body) > MAX_BODY:
        raise ProblemException(413, "webhook body too large")
    signature = request.headers.get("stripe-signature", "")
    if not signature:
        raise ProblemException(401, "webhook rejected: no signature", kind="webhook-rejected")
    resp = await stub(services).HandleCardWebhook(
        pb.HandleCardWebhookRequest(payload=body, signature=signature),
        metadata=call_metadata(tenant_id=tenant),
        timeout=request.app.state.settings.grpc_deadline_s,
    )
    return JSONResponse({"received": True, "duplicate": resp.duplicate})
