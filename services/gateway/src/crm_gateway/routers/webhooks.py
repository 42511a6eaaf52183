"""Provider webhooks: verified here (signature + timestamp window), stored once by messaging.

``/v1/webhooks/{tenant_id}/{provider}`` is the URL each tenant gives its
provider. The gateway fetches the tenant's secret for that provider from the
messaging service, verifies the request, and only then hands the raw body to
messaging, which stores it under its replay key in the same transaction as its
effect: a replay is refused (409) and nothing is stored. An unverifiable
request is rejected (401) and logged, nothing else.

* WhatsApp Cloud API: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, body)>``,
  the ``hub.challenge`` verification handshake, item timestamps in the window.
* SMS (Twilio-style): ``X-Twilio-Signature: base64(HMAC-SHA1(auth token, URL +
  sorted name+value pairs))``; the signed ``Timestamp`` parameter must be in the window.
* PBX: ``X-PBX-Timestamp`` and ``X-PBX-Signature: v1=<hex HMAC-SHA256(secret, "<ts>." + body)>``.
* Inbound email (Mailgun-style routes): ``signature = hex HMAC-SHA256(key, timestamp + token)``,
  the token is the replay key.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from typing import Annotated
from urllib.parse import parse_qsl

import grpc
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from crm.messaging.v1 import messaging_service_pb2 as pb
from crm.messaging.v1 import messaging_service_pb2_grpc as pb_grpc
from crm_common.grpc.client import call_metadata
from crm_common.webhooks import (
    WebhookRejected,
    check_timestamp,
    hmac_b64,
    hmac_hex,
    replay_key,
    verify_signature,
)
from crm_gateway.backends import Services
from crm_gateway.problems import ProblemException

_log = logging.getLogger("crm_gateway.webhooks")
router = APIRouter(tags=["webhooks"])

WINDOW_S = float(os.environ.get("CRM_GATEWAY_WEBHOOK_WINDOW_S", "300"))
MAX_BODY = 1024 * 1024
TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def messaging_stub(services: Services) -> pb_grpc.MessagingServiceStub:
    return services.stub("messaging", pb_grpc.MessagingServiceStub)


def _tenant(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ProblemException(404, "unknown webhook endpoint") from None


def _reject(tenant: uuid.UUID, provider: str, request: Request, reason: str) -> ProblemException:
    _log.warning(
        "webhook rejected",
        extra={
            "tenant_id": str(tenant),
            "provider": provider,
            "reason": reason,
            "remote": request.client.host if request.client else "",
        },
    )
    return ProblemException(401, f"webhook rejected: {reason}", kind="webhook-rejected")


async def _body(request: Request) -> bytes:
    body = await request.body()
    if len(body) > MAX_BODY:
        raise ProblemException(413, "webhook body too large")
    return body


async def _secrets(services, request: Request, tenant: uuid.UUID, provider, name: str):
    try:
        return await messaging_stub(services).GetChannelSecrets(
            pb.GetChannelSecretsRequest(provider=provider),
            metadata=call_metadata(tenant_id=tenant),
            timeout=request.app.state.settings.grpc_deadline_s,
        )
    except grpc.aio.AioRpcError as err:
        if err.code() == grpc.StatusCode.NOT_FOUND:
            raise _reject(tenant, name, request, "no channel configured") from None
        raise


async def _ingest(services, request: Request, tenant, provider, key: str, body: bytes):
    return await messaging_stub(services).IngestWebhook(
        pb.IngestWebhookRequest(
            provider=provider,
            receipt_key=key,
            content_type=request.headers.get("content-type", ""),
            body=body,
        ),
        metadata=call_metadata(tenant_id=tenant, request_id=request.headers.get("x-request-id")),
        timeout=request.app.state.settings.grpc_deadline_s,
    )


# --- WhatsApp Cloud API -------------------------------------------------------------


@router.get(
    "/v1/webhooks/{tenant_id}/whatsapp",
    response_class=PlainTextResponse,
    summary="WhatsApp verification handshake",
)
async def whatsapp_handshake(
    tenant_id: str,
    request: Request,
    services: Services,
    mode: Annotated[str, Query(alias="hub.mode")] = "",
    token: Annotated[str, Query(alias="hub.verify_token")] = "",
    challenge: Annotated[str, Query(alias="hub.challenge", max_length=200)] = "",
) -> PlainTextResponse:
    tenant = _tenant(tenant_id)
    secrets = await _secrets(services, request, tenant, pb.PROVIDER_WHATSAPP, "whatsapp")
    try:
        if mode != "subscribe":
            raise WebhookRejected("hub.mode must be subscribe")
        verify_signature(expected=secrets.verify_token, presented=token)
    except WebhookRejected as exc:
        _reject(tenant, "whatsapp", request, f"handshake: {exc}")
        raise ProblemException(
            403, "verification token mismatch", kind="webhook-rejected"
        ) from None
    return PlainTextResponse(challenge)


def whatsapp_timestamps(payload: dict) -> list[str]:
    out = []
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            for item in (value.get("messages") or []) + (value.get("statuses") or []):
                if "timestamp" in item:
                    out.append(item["timestamp"])
    return out


@router.post("/v1/webhooks/{tenant_id}/whatsapp", summary="WhatsApp Cloud API webhook")
async def whatsapp_webhook(tenant_id: str, request: Request, services: Services) -> JSONResponse:
    tenant = _tenant(tenant_id)
    body = await _body(request)
    secrets = await _secrets(services, request, tenant, pb.PROVIDER_WHATSAPP, "whatsapp")
    try:
        verify_signature(
            expected="sha256=" + hmac_hex(secrets.webhook_secret, body),
            presented=request.headers.get("x-hub-signature-256"),
        )
        try:
            payload = json.loads(body)
        except ValueError:
            raise WebhookRejected("body is not JSON") from None
        stamps = whatsapp_timestamps(payload) if isinstance(payload, dict) else []
        if not stamps:
            raise WebhookRejected("no timestamped messages or statuses")
        check_timestamp(
            max(stamps, key=lambda s: float(s) if str(s).isdigit() else 0), window_s=WINDOW_S
        )
    except WebhookRejected as exc:
        raise _reject(tenant, "whatsapp", request, str(exc)) from None
    resp = await _ingest(
        services, request, tenant, pb.PROVIDER_WHATSAPP, replay_key("whatsapp", body), body
    )
    return JSONResponse({"items": resp.items})


# --- SMS (Twilio-style) -----------------------------------------------------------------


def twilio_signing_string(url: str, params: dict[str, str]) -> str:
    return url + "".join(k + params[k] for k in sorted(params))


@router.post("/v1/webhooks/{tenant_id}/sms", summary="SMS webhook (Twilio-style)")
async def sms_webhook(tenant_id: str, request: Request, services: Services) -> Response:
    tenant = _tenant(tenant_id)
    body = await _body(request)
    secrets = await _secrets(services, request, tenant, pb.PROVIDER_TWILIO, "sms")
    params = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    signed = twilio_signing_string(str(request.url), params)
    try:
        verify_signature(
            expected=hmac_b64(secrets.webhook_secret, signed.encode(), "sha1"),
            presented=request.headers.get("x-twilio-signature"),
        )
        check_timestamp(params.get("Timestamp"), window_s=WINDOW_S)
    except WebhookRejected as exc:
        raise _reject(tenant, "sms", request, str(exc)) from None
    await _ingest(services, request, tenant, pb.PROVIDER_TWILIO, replay_key("twilio", signed), body)
    return Response(TWIML_EMPTY, media_type="text/xml")


# --- PBX --------------------------------------------------------------------------------


@router.post("/v1/webhooks/{tenant_id}/pbx", summary="PBX call events")
async def pbx_webhook(tenant_id: str, request: Request, services: Services) -> JSONResponse:
    tenant = _tenant(tenant_id)
    body = await _body(request)
    secrets = await _secrets(services, request, tenant, pb.PROVIDER_PBX, "pbx")
    ts = request.headers.get("x-pbx-timestamp", "")
    try:
        verify_signature(
            expected="v1=" + hmac_hex(secrets.webhook_secret, ts.encode() + b"." + body),
            presented=request.headers.get("x-pbx-signature"),
        )
        check_timestamp(ts, window_s=WINDOW_S)
    except WebhookRejected as exc:
        raise _reject(tenant, "pbx", request, str(exc)) from None
    resp = await _ingest(
        services, request, tenant, pb.PROVIDER_PBX, replay_key("pbx", ts, body), body
    )
    pushed = 0
    screen_pops = request.app.state.screen_pops
    for pop in resp.screen_pops:
        pushed += await screen_pops.publish(tenant, pop.agent_extension, screen_pop_payload(pop))
    return JSONResponse({"items": resp.items, "screen_pops_pushed": pushed})


def screen_pop_payload(pop: pb.ScreenPop) -> dict:
    party = None
    if pop.HasField("party"):
        party = {
            "party_id": pop.party.party_id,
            "name": pop.party.name,
            "phone": pop.party.phone or None,
            "email": pop.party.email or None,
        }
    return {
        "call_id": pop.call_id,
        "from_number": pop.from_number,
        "agent_extension": pop.agent_extension or None,
        "party": party,
    }


# --- Inbound email (Mailgun-style) ------------------------------------------------------


@router.post("/v1/webhooks/{tenant_id}/email", summary="Inbound email (Mailgun-style route)")
async def email_webhook(tenant_id: str, request: Request, services: Services) -> JSONResponse:
    tenant = _tenant(tenant_id)
    body = await _body(request)
    secrets = await _secrets(services, request, tenant, pb.PROVIDER_EMAIL, "email")
    form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    ts, token = form.get("timestamp", ""), form.get("token", "")
    try:
        if len(token) < 16:
            raise WebhookRejected("missing token")
        verify_signature(
            expected=hmac_hex(secrets.webhook_secret, (ts + token).encode()),
            presented=form.get("signature"),
        )
        check_timestamp(ts, window_s=WINDOW_S)
    except WebhookRejected as exc:
        raise _reject(tenant, "email", request, str(exc)) from None
    resp = await _ingest(
        services, request, tenant, pb.PROVIDER_EMAIL, replay_key("email", token), body
    )
    return JSONResponse({"items": resp.items})


# --- Unsubscribe link (List-Unsubscribe, RFC 8058 one-click) ----------------------------


@router.get(
    "/v1/unsubscribe/{tenant_id}/{message_id}",
    operation_id="unsubscribe_link",
    summary="Unsubscribe from marketing (the link in every email)",
)
@router.post(
    "/v1/unsubscribe/{tenant_id}/{message_id}",
    operation_id="unsubscribe_one_click",
    summary="Unsubscribe from marketing (RFC 8058 one-click POST)",
)
async def unsubscribe(tenant_id: str, message_id: str, request: Request, services: Services):
    tenant = _tenant(tenant_id)
    try:
        uuid.UUID(message_id)
    except ValueError:
        raise ProblemException(404, "unknown unsubscribe link") from None
    resp = await messaging_stub(services).Unsubscribe(
        pb.UnsubscribeRequest(message_id=message_id),
        metadata=call_metadata(tenant_id=tenant),
        timeout=request.app.state.settings.grpc_deadline_s,
    )
    return JSONResponse({"unsubscribed": resp.address, "from": "marketing"})
