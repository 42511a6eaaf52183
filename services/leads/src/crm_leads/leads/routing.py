"""Lead routing (L3): ordered rules, then round-robin or least-open-leads in a team.

Runs inside the capture transaction. A team's row is locked by the
``UPDATE ... RETURNING`` of its round-robin counter, so concurrent captures to
the same team are serialised: each gets its own counter value (its own slot),
and a least-open count sees every earlier assignment (committed before the
lock was released).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.errors import FieldViolation, InvalidArgument, NotFound
from crm_leads.leads.models import OPEN_STATUSES, Lead, RoutingRule, SalesTeam

STRATEGIES = ("round_robin", "least_open")


@dataclass(frozen=True, slots=True)
class Assignment:
    owner_id: uuid.UUID
    team_id: uuid.UUID | None
    rule_id: uuid.UUID | None
    strategy: str
    seq: int | None = None


def _same(rule_value: str | None, lead_value: str | None) -> bool:
    return rule_value is None or (
        lead_value is not None and rule_value.casefold() == lead_value.casefold()
    )


def matches(rule: RoutingRule, lead: Lead) -> bool:
    return (
        _same(rule.source, lead.source)
        and _same(rule.product_interest, lead.product_interest)
        and _same(rule.city, lead.city)
        and _same(rule.language, lead.language)
    )


async def route(session: AsyncSession, lead: Lead) -> Assignment | None:
    rules = (
        await session.execute(
            select(RoutingRule)
            .where(RoutingRule.tenant_id == lead.tenant_id)
            .order_by(RoutingRule.position, RoutingRule.id)
        )
    ).scalars()
    for rule in rules:
        if not matches(rule, lead):
            continue
        if rule.owner_id is not None:
            return Assignment(rule.owner_id, None, rule.id, "rule")
        if rule.team_id is not None:
            got = await pick_in_team(session, lead.tenant_id, rule.team_id)
            if got is not None:
                owner, strategy, seq = got
                return Assignment(owner, rule.team_id, rule.id, strategy, seq)
    return None


async def pick_in_team(
    session: AsyncSession, tenant_id: uuid.UUID, team_id: uuid.UUID
) -> tuple[uuid.UUID, str, int] | None:
    row = (
        await session.execute(
            update(SalesTeam)
            .where(SalesTeam.tenant_id == tenant_id, SalesTeam.id == team_id)
            .values(rr_counter=SalesTeam.rr_counter + 1)
            .returning(SalesTeam.rr_counter, SalesTeam.member_ids, SalesTeam.strategy)
        )
    ).one_or_none()
    if row is None or not row.member_ids:
        return None
    counter, members, strategy = row
    if strategy == "least_open":
        counts = dict(
            (
                await session.execute(
                    select(Lead.owner_id, func.count())
                    .where(
                        Lead.tenant_id == tenant_id,
                        Lead.owner_id.in_(members),
                        Lead.status.in_(OPEN_STATUSES),
                    )
                    .group_by(Lead.owner_id)
                    # Every member's load counts, whatever the caller's record scope.
                    .execution_options(crm_unscoped=True)
                )
            ).all()
        )
        # Fewest open leads; ties go round the team from the counter's slot.
        n = len(members)
        order = [members[(counter - 1 + i) % n] for i in range(n)]
        owner = min(order, key=lambda m: counts.get(m, 0))
        return owner, "least_open", counter
    return members[(counter - 1) % len(members)], "round_robin", counter


def validate_team(name: str, strategy: str, member_ids: list[uuid.UUID]) -> None:
    bad = []
    if not name.strip() or len(name) > 200:
        bad.append(FieldViolation("name", "is required, at most 200 characters"))
    if strategy not in STRATEGIES:
        bad.append(FieldViolation("strategy", f"must be one of: {', '.join(STRATEGIES)}"))
    if not member_ids:
        bad.append(FieldViolation("member_ids", "a team needs at least one member"))
    if len(set(member_ids)) != len(member_ids):
        bad.append(FieldViolation("member_ids", "members must not repeat"))
    if bad:
        raise InvalidArgument("the team is not valid", violations=bad)


async def create_team(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    name: str,
    strategy: str,
    member_ids: list[uuid.UUID],
) -> SalesTeam:
    strategy = strategy or "round_robin"
    validate_team(name, strategy, member_ids)
    team = SalesTeam(
        tenant_id=tenant_id, name=name.strip(), strategy=strategy, member_ids=member_ids
    )
    session.add(team)
    await session.flush()
    return team


async def list_teams(session: AsyncSession, tenant_id: uuid.UUID) -> list[SalesTeam]:
    stmt = select(SalesTeam).where(SalesTeam.tenant_id == tenant_id).order_by(SalesTeam.id)
    return list((await session.execute(stmt)).scalars())


async def create_rule(session: AsyncSession, tenant_id: uuid.UUID, **fields) -> RoutingRule:
    bad = []
    if (fields["team_id"] is None) == (fields["owner_id"] is None):
        bad.append(FieldViolation("team_id", "set exactly one of team_id or owner_id"))
    if fields["position"] < 0:
        bad.append(FieldViolation("position", "must not be negative"))
    if not fields["name"] or len(fields["name"]) > 200:
        bad.append(FieldViolation("name", "is required, at most 200 characters"))
    for key, limit in (("source", 50), ("product_interest", 100), ("city", 100), ("language", 20)):
        if fields[key] and len(fields[key]) > limit:
            bad.append(FieldViolation(key, f"must be at most {limit} characters"))
    if bad:
        raise InvalidArgument("the routing rule is not valid", violations=bad)
    if fields["team_id"] is not None:
        team = await session.get(SalesTeam, fields["team_id"])
        if team is None or team.tenant_id != tenant_id:
            raise NotFound(f"team {fields['team_id']} not found")
    rule = RoutingRule(tenant_id=tenant_id, **fields)
    session.add(rule)
    await session.flush()
    return rule


async def list_rules(session: AsyncSession, tenant_id: uuid.UUID) -> list[RoutingRule]:
    stmt = (
        select(RoutingRule)
        .where(RoutingRule.tenant_id == tenant_id)
        .order_by(RoutingRule.position, RoutingRule.id)
    )
    return list((await session.execute(stmt)).scalars())
