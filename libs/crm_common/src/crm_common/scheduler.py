"""Per-tenant periodic jobs: ``crm-<service> schedule``.

A service registers :class:`Job` s (a name, a schedule, and a function that
does the work for one tenant). Every tick the scheduler lists the active
tenants of the service's ``tenant_directory`` and, for each job and tenant,
works out the run key of the current period:

* :class:`Daily` (``at`` in the tenant's own time zone): the tenant-local date,
  once the local clock has passed ``at``. A tenant in Asia/Jerusalem with a job
  at 06:00 is due at 04:00 UTC in winter (UTC+2) and 03:00 UTC in summer
  (UTC+3). A scheduler that was down at 06:00 still runs the day's job when it
  comes back the same day.
* :class:`Every` (``minutes``): the UTC start of the current N-minute slot.

The run is claimed in ``scheduled_runs`` with ``INSERT .. ON CONFLICT DO
NOTHING`` *inside the job's own transaction*, with ``app.tenant_id`` bound (RLS)
and the tenant's context set. So:

* two schedulers (two replicas) never both run it: the second one's insert waits
  on the first one's uncommitted row and then does nothing;
* the claim commits together with the job's effects (and the events it writes
  to the outbox): a job that fails or a process that dies rolls the claim back
  and a later tick runs it again (after a back-off, in process).

The row's ``finished_at`` and ``outcome`` (what the job returned) record a run
that succeeded. A failed attempt is logged and recorded on the row
``<run_key>!failed`` (its last error) so an operator sees it in the table.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from crm_common.context import CallContext, bind_context
from crm_common.db.session import unit_of_work
from crm_common.plumbing import scheduled_runs_table as runs
from crm_common.tenants import TenantInfo, active_tenants, zone_or_default

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Daily:
    """Once a day at ``at``, tenant-local time."""

    at: dt.time

    def run_key(self, now: dt.datetime, time_zone: str) -> str | None:
        local = now.astimezone(zone_or_default(time_zone))
        if local.time().replace(tzinfo=None) < self.at:
            return None
        return local.date().isoformat()


@dataclass(frozen=True, slots=True)
class Every:
    """Every ``minutes`` minutes, slots aligned on UTC midnight."""

    minutes: int

    def __post_init__(self) -> None:
        if not 1 <= self.minutes <= 1440:
            raise ValueError("Every(minutes) must be between 1 and 1440")

    def run_key(self, now: dt.datetime, time_zone: str) -> str | None:
        utc = now.astimezone(dt.UTC)
        minute_of_day = utc.hour * 60 + utc.minute
        start = minute_of_day - minute_of_day % self.minutes
        return f"{utc.date().isoformat()}T{start // 60:02d}:{start % 60:02d}Z"


# The work for one tenant: runs in the tenant's unit of work (flush only, the scheduler
# commits), with ``now`` the tick's clock; returns a short outcome (a count, a dict).
JobFn = Callable[[AsyncSession, TenantInfo, dt.datetime], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    schedule: Daily | Every
    run: JobFn
    description: str = ""

    def __post_init__(self) -> None:
        if not self.name or len(self.name) > 100 or "!" in self.name:
            raise ValueError(f"bad job name {self.name!r}")


@dataclass
class RunResult:
    job: str
    tenant_id: Any
    run_key: str
    ran: bool
    outcome: str = ""
    error: str | None = None


@dataclass
class _Backoff:
    failures: int = 0
    next_try: float = 0.0


@dataclass
class Scheduler:
    sessionmaker: async_sessionmaker[AsyncSession]
    jobs: list[Job]
    tick_seconds: float = 30.0
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    max_backoff_s: float = 3600.0
    # Rows of scheduled_runs older than this are deleted (an every-5-minutes job writes 288
    # a day per tenant); only the current period's key matters for the claim.
    retention_days: float = 14.0
    # Tenants run at once (each in its own transaction and connection).
    concurrency: int = 4
    purge_every_s: float = 3600.0
    _last_purge: float = field(default=-1e18)
    ran: int = 0
    failed: int = 0
    _backoff: dict[tuple[str, Any, str], _Backoff] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [j.name for j in self.jobs]
        if len(set(names)) != len(names):
            raise ValueError(f"job names must be unique: {names}")

    async def run(self, stop: asyncio.Event) -> None:
        _log.info("scheduler started", extra={"jobs": [j.name for j in self.jobs]})
        while not stop.is_set():
            try:
                await self.tick()
                if time.monotonic() - self._last_purge >= self.purge_every_s:
                    await self.purge()
                    self._last_purge = time.monotonic()
            except Exception:  # the database may be away: try again next tick
                _log.exception("scheduler tick failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.tick_seconds)
        _log.info("scheduler stopped", extra={"ran": self.ran, "failed": self.failed})

    async def tick(self, now: dt.datetime | None = None) -> list[RunResult]:
        """One pass over every job and active tenant; returns the runs attempted."""
        now = now or self.clock()
        async with self.sessionmaker() as session:
            tenants = await active_tenants(session)
        results: list[RunResult] = []
        gate = asyncio.Semaphore(self.concurrency)
        for job in self.jobs:
            due = [(t, key) for t in tenants if (key := job.schedule.run_key(now, t.time_zone))]
            current = {key for _, key in due}
            for stale in [k for k in self._backoff if k[0] == job.name and k[2] not in current]:
                del self._backoff[stale]  # a past period's failures: nothing to retry there
            if not due:
                continue
            done = await self._already_claimed(job, due)
            todo = [
                (tenant, key)
                for tenant, key in due
                if (tenant.tenant_id, key) not in done and not self._backing_off(job, tenant, key)
            ]
            # Each replica walks the tenants in its own random order, so two replicas mostly
            # take different tenants instead of queueing on the same claim rows.
            random.shuffle(todo)
            results.extend(
                await asyncio.gather(*(self._gated(gate, job, t, k, now) for t, k in todo))
            )
        return results

    async def _gated(
        self, gate: asyncio.Semaphore, job: Job, tenant: TenantInfo, key: str, now: dt.datetime
    ) -> RunResult:
        async with gate:
            return await self.run_one(job, tenant, key, now)

    async def purge(self, now: dt.datetime | None = None) -> int:
        """Delete this service's run records older than ``retention_days``."""
        cutoff = (now or self.clock()) - dt.timedelta(days=self.retention_days)
        names = [j.name for j in self.jobs]
        async with self.sessionmaker() as session, session.begin():
            result = await session.execute(
                sa.delete(runs).where(runs.c.job.in_(names), runs.c.started_at < cutoff)
            )
        return result.rowcount or 0

    async def _already_claimed(
        self, job: Job, due: Iterable[tuple[TenantInfo, str]]
    ) -> set[tuple[Any, str]]:
        """Cheap pre-check so a day's finished runs are not re-tried every tick."""
        keys = sorted({k for _, k in due})
        async with self.sessionmaker() as session:
            rows = await session.execute(
                sa.select(runs.c.tenant_id, runs.c.run_key).where(
                    runs.c.job == job.name, runs.c.run_key.in_(keys)
                )
            )
            return {(r.tenant_id, r.run_key) for r in rows}

    def _backing_off(self, job: Job, tenant: TenantInfo, key: str) -> bool:
        b = self._backoff.get((job.name, tenant.tenant_id, key))
        return b is not None and time.monotonic() < b.next_try

    async def run_one(self, job: Job, tenant: TenantInfo, key: str, now: dt.datetime) -> RunResult:
        """Claim (job, tenant, key) and run the job, in one transaction of the tenant."""
        result = RunResult(job=job.name, tenant_id=tenant.tenant_id, run_key=key, ran=False)
        try:
            with bind_context(CallContext(tenant_id=tenant.tenant_id)):
                async with unit_of_work(self.sessionmaker, tenant_id=tenant.tenant_id) as session:
                    claimed = await session.execute(
                        pg_insert(runs)
                        .values(job=job.name, tenant_id=tenant.tenant_id, run_key=key)
                        .on_conflict_do_nothing()
                        .returning(runs.c.run_key)
                    )
                    if claimed.first() is None:
                        return result  # another scheduler ran it
                    outcome = await job.run(session, tenant, now)
                    result.outcome = _outcome_text(outcome)
                    await session.execute(
                        sa.update(runs)
                        .where(
                            runs.c.job == job.name,
                            runs.c.tenant_id == tenant.tenant_id,
                            runs.c.run_key == key,
                        )
                        .values(finished_at=sa.func.clock_timestamp(), outcome=result.outcome)
                    )
            result.ran = True
            self.ran += 1
            self._backoff.pop((job.name, tenant.tenant_id, key), None)
            _log.info(
                "scheduled job ran",
                extra={
                    "job": job.name,
                    "tenant": str(tenant.tenant_id),
                    "run_key": key,
                    "outcome": result.outcome,
                },
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.failed += 1
            result.error = repr(exc)[:2000]
            self._note_failure(job, tenant, key)
            _log.exception(
                "scheduled job failed",
                extra={"job": job.name, "tenant": str(tenant.tenant_id), "run_key": key},
            )
            await self._record_failure(job, tenant, key, result.error)
        return result

    def _note_failure(self, job: Job, tenant: TenantInfo, key: str) -> None:
        b = self._backoff.setdefault((job.name, tenant.tenant_id, key), _Backoff())
        b.failures += 1
        delay = min(self.max_backoff_s, self.tick_seconds * 2 ** (b.failures - 1))
        b.next_try = time.monotonic() + delay

    async def _record_failure(self, job: Job, tenant: TenantInfo, key: str, error: str) -> None:
        row = {"job": job.name, "tenant_id": tenant.tenant_id, "run_key": f"{key}!failed"[:64]}
        try:
            async with self.sessionmaker() as session, session.begin():
                await session.execute(
                    pg_insert(runs)
                    .values(**row, finished_at=sa.func.now(), outcome=error)
                    .on_conflict_do_update(
                        index_elements=[runs.c.job, runs.c.tenant_id, runs.c.run_key],
                        set_={"finished_at": sa.func.now(), "outcome": error},
                    )
                )
        except Exception:
            _log.exception("could not record the failure of %s", job.name)


def _outcome_text(outcome: Any) -> str:
    if outcome is None:
        return "ok"
    return str(outcome)[:2000]
