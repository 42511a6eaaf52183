"""Recurring card charges (B4): a schedule per customer, charged when due, retried on failure.

``run_due_charges`` is idempotent per day: the charge's idempotency key is the schedule,
the period and the attempt, so a second run the same day returns the same pending
payments. The provider's webhook settles each charge; on success the schedule moves to
its next period, on failure it waits ``RETRY_AFTER_DAYS[attempt]`` days, and after the
last attempt it is suspended and the failure event says that no retry is left.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_billing.payments.models import CardSchedule, Payment
from crm_common.errors import Validator

RETRY_AFTER_DAYS = (1, 3)  # after the 1st and the 2nd failure; the 3rd suspends


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


async def create_schedule(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    party_id: uuid.UUID,
    customer_name: str,
    card_token: str,
    amount_agorot: int,
    interval_months: int,
    first_charge_on: dt.date | None,
    today: dt.date,
) -> CardSchedule:
    from crm_billing.payments.service import _customer_name

    v = Validator()
    if not card_token.startswith(("pm_", "tok_")) or len(card_token) > 100:
        v.add("card_token", "must be the provider's payment-method token (pm_...)")
    if amount_agorot <= 0:
        v.add("amount_agorot", "must be positive")
    if not 1 <= interval_months <= 12:
        v.add("interval_months", "must be between 1 and 12")
    if first_charge_on is not None and first_charge_on < today:
        v.add("first_charge_on", "must not be in the past")
    v.raise_if_any("the card schedule is not valid")
    schedule = CardSchedule(
        tenant_id=tenant_id,
        party_id=party_id,
        customer_name=await _customer_name(session, tenant_id, party_id, customer_name),
        card_token=card_token,
        amount_agorot=amount_agorot,
        interval_months=interval_months,
        next_charge_on=first_charge_on or today,
        failed_attempts=0,
        active=True,
    )
    session.add(schedule)
    await session.flush()
    return schedule


async def run_due_charges(
    *, session: AsyncSession, tenant_id: uuid.UUID, today: dt.date
) -> list[Payment]:
    from crm_billing.payments.service import charge_card

    stmt = (
        select(CardSchedule)
        .where(
            CardSchedule.tenant_id == tenant_id,
            CardSchedule.active.is_(True),
            or_(
                (CardSchedule.retry_on.is_(None) & (CardSchedule.next_charge_on <= today)),
                CardSchedule.retry_on <= today,
            ),
        )
        .order_by(CardSchedule.id)
        .with_for_update(skip_locked=True)
    )
    out = []
    for schedule in (await session.execute(stmt)).scalars():
        payment = await charge_card(
            session=session,
            tenant_id=tenant_id,
            party_id=schedule.party_id,
            card_token=schedule.card_token,
            amount_agorot=schedule.amount_agorot,
            idempotency_key=(
                f"schedule:{schedule.id}:{schedule.next_charge_on}:{schedule.failed_attempts}"
            ),
            allocations=[],
            customer_name=schedule.customer_name,
            schedule_id=schedule.id,
        )
        out.append(payment)
    await session.flush()
    return out


async def settled(session: AsyncSession, payment: Payment) -> None:
    schedule = await _schedule(session, payment)
    if schedule is None:
        return
    schedule.next_charge_on = add_months(schedule.next_charge_on, schedule.interval_months)
    schedule.retry_on = None
    schedule.failed_attempts = 0
    await session.flush()


async def failed(
    session: AsyncSession, payment: Payment, on: dt.date
) -> tuple[CardSchedule | None, int, dt.date | None]:
    """Returns (schedule, attempt number, retry date or None when suspended)."""
    schedule = await _schedule(session, payment)
    if schedule is None:
        return None, 0, None
    schedule.failed_attempts += 1
    attempt = schedule.failed_attempts
    if attempt <= len(RETRY_AFTER_DAYS):
        schedule.retry_on = on + dt.timedelta(days=RETRY_AFTER_DAYS[attempt - 1])
    else:
        schedule.retry_on = None
        schedule.active = False
    await session.flush()
    return schedule, attempt, schedule.retry_on


async def _schedule(session: AsyncSession, payment: Payment) -> CardSchedule | None:
    if payment.schedule_id is None:
        return None
    stmt = (
        select(CardSchedule)
        .where(CardSchedule.tenant_id == payment.tenant_id, CardSchedule.id == payment.schedule_id)
        .with_for_update()
    )
    return (await session.execute(stmt)).scalar_one_or_none()
