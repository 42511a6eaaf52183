"""Parse each provider's webhook wire format and apply it, in one transaction."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from datetime import UTC
from urllib.parse import parse_qsl

from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.errors import AlreadyExists, InvalidArgument
from crm_messaging.messages import service as messages
from crm_messaging.messages.repository import MessageRepository
from crm_messaging.telephony import service as telephony

PROVIDERS = ("whatsapp", "twilio", "pbx", "email")


def _epoch(raw) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(float(raw)), UTC)
    except (TypeError, ValueError):
        return dt.datetime.now(UTC)


def _when(raw) -> dt.datetime:
    if isinstance(raw, (int, float)) or (isinstance(raw, str) and raw.isdigit()):
        return _epoch(raw)
    try:
        parsed = dt.datetime.fromisoformat(str(raw))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except ValueError:
        return dt.datetime.now(UTC)


def _json(body: bytes) -> dict:
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise InvalidArgument("the webhook body is not JSON") from exc
    if not isinstance(data, dict):
        raise InvalidArgument("the webhook body is not a JSON object")
    return data


def _form(body: bytes) -> dict[str, str]:
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


async def ingest(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    provider: str,
    receipt_key: str,
    body: bytes,
) -> tuple[int, list[telephony.ScreenPop]]:
    if provider not in PROVIDERS:
        raise InvalidArgument(f"unknown provider {provider!r}")
    if not receipt_key or len(receipt_key) > 300:
        raise InvalidArgument("receipt_key is required")
    if not await MessageRepository(session).add_receipt(
        tenant_id=tenant_id, provider=provider, key=receipt_key
    ):
        raise AlreadyExists("this webhook was already received (replay)", reason="WEBHOOK_REPLAY")
    handler = {"whatsapp": _whatsapp, "twilio": _twilio, "pbx": _pbx, "email": _email}[provider]
    return await handler(session, tenant_id, body)


async def _whatsapp(session, tenant_id, body):
    data = _json(body)
    items = 0
    for entry in data.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            to = (value.get("metadata") or {}).get("display_phone_number", "")
            for m in value.get("messages") or []:
                kind = m.get("type", "text")
                text = (m.get("text") or {}).get("body") or (
                    (m.get("button") or {}).get("text") or f"[{kind}]"
                )
                await messages.record_inbound(
                    session=session,
                    tenant_id=tenant_id,
                    inbound=messages.Inbound(
                        channel="whatsapp",
                        from_address=str(m.get("from", "")),
                        to_address=to,
                        text=text,
                        provider_message_id=str(m.get("id", "")),
                        at=_epoch(m.get("timestamp")),
                    ),
                )
                items += 1
            for s in value.get("statuses") or []:
                errors = s.get("errors") or []
                reason = "; ".join(
                    f"{e.get('code', '')} {e.get('title', '')}".strip() for e in errors
                )
                await messages.apply_status(
                    session=session,
                    tenant_id=tenant_id,
                    channel="whatsapp",
                    provider_message_id=str(s.get("id", "")),
                    provider_status=str(s.get("status", "")),
                    reason=reason,
                    at=_epoch(s.get("timestamp")),
                )
                items += 1
    return items, []


async def _twilio(session, tenant_id, body):
    form = _form(body)
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    if not sid:
        raise InvalidArgument("MessageSid is required")
    at = _epoch(form["Timestamp"]) if form.get("Timestamp") else dt.datetime.now(UTC)
    status = form.get("MessageStatus") or form.get("SmsStatus") or ""
    if status and status != "received":
        code = form.get("ErrorCode", "")
        await messages.apply_status(
            session=session,
            tenant_id=tenant_id,
            channel="sms",
            provider_message_id=sid,
            provider_status=status,
            reason=f"error {code}" if code else "",
            at=at,
        )
        return 1, []
    await messages.record_inbound(
        session=session,
        tenant_id=tenant_id,
        inbound=messages.Inbound(
            channel="sms",
            from_address=form.get("From", ""),
            to_address=form.get("To", ""),
            text=form.get("Body", ""),
            provider_message_id=sid,
            at=at,
        ),
    )
    return 1, []


async def _pbx(session, tenant_id, body):
    data = _json(body)
    event = data.get("event", "")
    if event not in telephony.CALL_EVENTS:
        raise InvalidArgument(f"unknown PBX event {event!r}")
    if not data.get("call_id"):
        raise InvalidArgument("call_id is required")
    direction = data.get("direction", "in")
    pop = await telephony.on_call_event(
        session=session,
        tenant_id=tenant_id,
        e=telephony.CallEvent(
            event=event,
            call_id=str(data["call_id"]),
            direction="out" if direction in ("out", "outbound") else "in",
            from_number=str(data.get("from", "")),
            to_number=str(data.get("to", "")),
            extension=str(data.get("extension", "")),
            at=_when(data.get("timestamp")),
            duration_seconds=int(data.get("duration") or 0),
            recording_url=str(data.get("recording_url") or ""),
        ),
    )
    return 1, [pop] if pop else []


async def _email(session, tenant_id, body):
    form = _form(body)
    await messages.record_inbound(
        session=session,
        tenant_id=tenant_id,
        inbound=messages.Inbound(
            channel="email",
            from_address=_address(form.get("sender") or form.get("from", "")),
            to_address=form.get("recipient", ""),
            subject=form.get("subject", ""),
            text=form.get("stripped-text") or form.get("body-plain", ""),
            html=form.get("body-html", ""),
            provider_message_id=form.get("Message-Id", ""),
            in_reply_to=form.get("In-Reply-To", ""),
            at=_epoch(form.get("timestamp")),
        ),
    )
    return 1, []


def _address(raw: str) -> str:
    from email.utils import parseaddr

    return parseaddr(raw)[1] or raw
