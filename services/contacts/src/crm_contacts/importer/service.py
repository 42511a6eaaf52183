"""CSV import of contacts (C9): mapping, per-row errors, duplicate policy, progress.

Rows are validated in Python, streamed into a temporary staging table with PostgreSQL COPY,
then merged into ``contacts`` with a few set-based statements (no row-by-row ORM inserts).
The merge notes the contacts it touched and the import transaction records them in
``import_pending_events`` (one INSERT .. SELECT) with the job marked ``events_pending``; after it
commits their state is published as ``contacts.changed`` events (at most 500 contacts each) for
reporting (R1), one chunk per transaction, by a background task of the process that imported
and, after a crash, by the ``import-events`` scheduler job (ADR contacts-0005).
Contacts are written in the caller's transaction (all or nothing); the job's progress is written
in short transactions of its own so another caller can watch it.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
import logging
import re
import time
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import phonenumbers
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.audit import audit_insert_sql, audit_sql_params
from crm_common.db import uuid7
from crm_common.errors import NotFound, Validator
from crm_common.normalize import normalize_email, normalize_phone
from crm_contacts.card.contact_events import BATCH, contacts_changed
from crm_contacts.card.extra_models import ImportJob
from crm_contacts.card.service import list_fields
from crm_contacts.card.validation import coerce_value, israeli_id_ok

STANDARD_TARGETS = (
    "first_name",
    "last_name",
    "phone",
    "email",
    "id_number",
    "birthday",
    "city",
    "street",
)
POLICIES = ("skip", "update", "create")
CHUNK = 20_000
MAX_ERRORS = 1000
# pending contacts per after-commit transaction: ten contacts.changed of BATCH each (a
# transaction per event cost ~12 ms of session/lock/delete/commit each, 24 s for 1M contacts)
EVENTS_CHUNK = 10 * BATCH
log = logging.getLogger(__name__)


# Hot path of big files: Israeli mobile numbers and plain ASCII emails, the bulk of any import,
# are normalised without a full parse. Validity of a 9-digit mobile number (5XXXXXXXX) depends
# only on its first five digits (libphonenumber's IL mobile pattern), so it is asked once per
# prefix; everything else goes through crm_common.normalize. Same results, ~10x faster.
_SEPARATORS = re.compile(r"[\s\-().]")
_IL_MOBILE = re.compile(r"(?:\+972|972|0)(5\d{8})")
_MOBILE_PREFIX_OK: dict[str, bool] = {}
_PLAIN_EMAIL = re.compile(
    r"[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,63})"
)
_SPECIAL_TLDS = {"arpa", "invalid", "local", "localhost", "onion", "test"}


def import_phone(raw: str) -> str:
    m = _IL_MOBILE.fullmatch(_SEPARATORS.sub("", raw))
    if m is None:
        return normalize_phone(raw)
    nsn = m.group(1)
    ok = _MOBILE_PREFIX_OK.get(nsn[:5])
    if ok is None:
        ok = phonenumbers.is_valid_number(phonenumbers.parse(f"+972{nsn[:5]}0000"))
        _MOBILE_PREFIX_OK[nsn[:5]] = ok
    if not ok:
        raise ValueError(f"not a valid phone number: {raw!r}")
    return f"+972{nsn}"


def import_email(raw: str) -> str:
    lowered = raw.strip().lower()
    m = _PLAIN_EMAIL.fullmatch(lowered)
    if m is None or m.group(1) in _SPECIAL_TLDS or len(lowered) > 254:
        return normalize_email(raw)
    return lowered


def check_mapping(v: Validator, mapping: dict[str, str], custom_keys: set[str]) -> None:
    if not mapping:
        v.add("mapping", "is required")
    targets = list(mapping.values())
    for column, target in mapping.items():
        if target.startswith("custom."):
            if target[7:] not in custom_keys:
                v.add(f"mapping.{column}", f"no dynamic field {target[7:]}")
        elif target not in STANDARD_TARGETS:
            v.add(f"mapping.{column}", f"unknown target {target}")
    dup = {t for t in targets if targets.count(t) > 1}
    if dup:
        v.add("mapping", f"mapped twice: {', '.join(sorted(dup))}")
    if "first_name" not in targets:
        v.add("mapping", "first_name must be mapped")


async def _progress(
    session: AsyncSession, job_id: uuid.UUID, tenant_id: uuid.UUID, **values: Any
) -> None:
    """Write the job row in its own transaction (visible at once to GetImportJob)."""
    async with AsyncSession(bind=session.bind) as s, s.begin():
        await _set_tenant(s, tenant_id)
        await s.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id)
            .values(**values, updated_at=dt.datetime.now(dt.UTC))
        )


async def start_job(session: AsyncSession, tenant_id: uuid.UUID, policy: str) -> uuid.UUID:
    job_id = uuid7()
    async with AsyncSession(bind=session.bind) as s, s.begin():
        await _set_tenant(s, tenant_id)
        s.add(
            ImportJob(
                id=job_id,
                tenant_id=tenant_id,
                status="running",
                duplicate_policy=policy,
                errors=[],
            )
        )
    return job_id


def _rows(lines: Iterable[str] | Iterable[dict[str, str]]) -> Iterator[dict[str, str]]:
    if isinstance(lines, XlsxRows):
        yield from lines
    else:
        yield from csv.DictReader(lines)


class XlsxRows:
    """The first sheet of a workbook as dicts keyed by the header row (streamed, read-only)."""

    def __init__(self, data: bytes) -> None:
        from openpyxl import load_workbook

        try:
            self.book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            v = Validator()
            v.add("xlsx", "is not an Excel workbook (.xlsx)")
            v.raise_if_any("the import is not valid")

    def __iter__(self) -> Iterator[dict[str, str]]:
        rows = self.book.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        for row in rows:
            if row is None or all(c is None for c in row):
                continue
            yield {h: _cell(c) for h, c in zip(header, row, strict=False) if h}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


async def import_csv(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    lines: Iterable[str] | XlsxRows,
    mapping: dict[str, str],
    policy: str,
    timings: dict[str, float] | None = None,
) -> uuid.UUID:
    """Import; returns the job id. Bad mapping or policy: InvalidArgument and nothing changes.

    ``timings`` (if given) receives the seconds spent validating + copying and merging.
    """
    v = Validator()
    if policy not in POLICIES:
        v.add("duplicate_policy", f"must be one of: {', '.join(POLICIES)}")
    defs = {d.key: d for d in await list_fields(session, tenant_id, "contact")}
    check_mapping(v, mapping, set(defs))
    v.raise_if_any("the import is not valid")
    required = [d.key for d in defs.values() if d.required]
    t_start = time.perf_counter()
    job_id = await start_job(session, tenant_id, policy)
    conn = await session.connection()
    raw = (await conn.get_raw_connection()).driver_connection
    await session.execute(
        text(
            "CREATE TEMP TABLE import_stage (row_no int, first_name text, last_name text, "
            "phone text, email text, id_number text, birthday date, addresses jsonb, custom jsonb, "
            "dup_key text) ON COMMIT DROP"
        )
    )
    # the contacts the merge creates or updates (their state goes out as contacts.changed)
    await session.execute(text("CREATE TEMP TABLE import_touched (id uuid) ON COMMIT DROP"))
    errors: list[dict[str, Any]] = []
    total = 0
    batch: list[tuple] = []
    inverse = sorted(mapping.items())  # a row's first error is the same on every run
    for row_no, row in enumerate(_rows(lines), start=2):  # row 1 is the header
        total += 1
        rec, err = _clean_row(row, inverse, defs, required)
        if err:
            if len(errors) < MAX_ERRORS:
                errors.append({"row": row_no, "field": err[0], "message": err[1]})
            continue
        batch.append((row_no, *rec))
        if len(batch) >= CHUNK:
            await raw.copy_records_to_table("import_stage", records=batch)
            batch.clear()
            await _progress(session, job_id, tenant_id, processed_rows=total)
    if batch:
        await raw.copy_records_to_table("import_stage", records=batch)
    t_merge = time.perf_counter()
    created, updated, skipped = await _merge(session, tenant_id, policy)
    t_events = time.perf_counter()
    # which contacts still owe a contacts.changed: written after commit (write_pending_events)
    pending = (
        await session.execute(
            text(
                "INSERT INTO import_pending_events (tenant_id, job_id, contact_id) "
                "SELECT CAST(:t AS uuid), CAST(:j AS uuid), id FROM import_touched "
                "ON CONFLICT DO NOTHING"
            ),
            {"t": str(tenant_id), "j": str(job_id)},
        )
    ).rowcount
    if timings is not None:
        timings["validate_and_copy"] = t_merge - t_start
        timings["merge"] = t_events - t_merge
        timings["pending"] = time.perf_counter() - t_events
    # in the import's transaction: the job turns events_pending exactly when its rows commit,
    # and holds its row lock until then (the background writer waits on it)
    await session.execute(
        update(ImportJob)
        .where(ImportJob.tenant_id == tenant_id, ImportJob.id == job_id)
        .values(
            status="events_pending" if pending else "done",
            total_rows=total,
            processed_rows=total,
            created_count=created,
            updated_count=updated,
            skipped_count=skipped,
            errors=errors,
            updated_at=dt.datetime.now(dt.UTC),
        )
        .execution_options(synchronize_session=False)
    )
    return job_id


async def _set_tenant(s: AsyncSession, tenant_id: uuid.UUID) -> None:
    await s.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})


async def write_event_chunk(
    engine: Any,
    tenant_id: uuid.UUID,
    job_id: uuid.UUID,
    after: uuid.UUID | None = None,
    limit: int | None = None,
) -> tuple[int, uuid.UUID | None]:
    """One chunk in its own transaction: lock the job (SKIP LOCKED: another writer has it),
    write ``contacts.changed`` (BATCH contacts each) for up to ``limit`` (EVENTS_CHUNK) pending
    contacts after ``after`` (keyset on contact_id), delete those pending rows, commit.
    Returns (events written, the last contact id) or (0, None) when the job has nothing
    pending or another writer holds it; the job turns ``done`` in the transaction that writes
    its last chunk."""
    t, j, limit = str(tenant_id), str(job_id), limit or EVENTS_CHUNK
    async with AsyncSession(bind=engine) as s, s.begin():
        await _set_tenant(s, tenant_id)
        job = (
            await s.execute(
                text(
                    "SELECT event_parts FROM import_jobs WHERE tenant_id = CAST(:t AS uuid) "
                    "AND id = CAST(:j AS uuid) AND status = 'events_pending' "
                    "FOR UPDATE SKIP LOCKED"
                ),
                {"t": t, "j": j},
            )
        ).first()
        if job is None:
            return 0, None
        ids = list(
            (
                await s.execute(
                    text(
                        "SELECT contact_id FROM import_pending_events "
                        "WHERE tenant_id = CAST(:t AS uuid) AND job_id = CAST(:j AS uuid) "
                        "AND (CAST(:after AS uuid) IS NULL OR contact_id > CAST(:after AS uuid)) "
                        "ORDER BY contact_id LIMIT :n"
                    ),
                    {"t": t, "j": j, "after": str(after) if after else None, "n": limit},
                )
            ).scalars()
        )
        events = 0
        if ids:
            events = await contacts_changed(
                s,
                tenant_id,
                batch_id=job_id,
                origin="import",
                ids=ids,
                first_part=job.event_parts + 1,
            )
            await s.execute(
                text(
                    "DELETE FROM import_pending_events WHERE tenant_id = CAST(:t AS uuid) "
                    "AND job_id = CAST(:j AS uuid) AND contact_id = ANY(CAST(:ids AS uuid[]))"
                ),
                {"t": t, "j": j, "ids": ids},
            )
        last = len(ids) < limit
        await s.execute(
            update(ImportJob)
            .where(ImportJob.tenant_id == tenant_id, ImportJob.id == job_id)
            .values(
                event_parts=ImportJob.event_parts + events,
                status="done" if last else "events_pending",
                updated_at=dt.datetime.now(dt.UTC),
            )
            .execution_options(synchronize_session=False)
        )
        return events, None if last else ids[-1]


async def write_pending_events(
    engine: Any, tenant_id: uuid.UUID, job_id: uuid.UUID, limit: int | None = None
) -> int:
    """Write every pending ``contacts.changed`` of the job, chunk by chunk; the events written.
    Safe to run twice at once and after a crash (see write_event_chunk)."""
    total, after = 0, None
    while True:
        events, after = await write_event_chunk(engine, tenant_id, job_id, after, limit)
        total += events
        if after is None:
            return total


async def resume_pending_events(engine: Any, tenant_id: uuid.UUID, limit: int | None = None) -> int:
    """The tenant's jobs whose events are still pending (a crash, a restart): finish them."""
    async with AsyncSession(bind=engine) as s, s.begin():
        await _set_tenant(s, tenant_id)
        jobs = list(
            (
                await s.execute(
                    select(ImportJob.id)
                    .where(ImportJob.tenant_id == tenant_id, ImportJob.status == "events_pending")
                    .order_by(ImportJob.id)
                )
            ).scalars()
        )
    return sum([await write_pending_events(engine, tenant_id, j, limit) for j in jobs])


# background writers started after an import (kept referenced until they finish)
background: set[asyncio.Task] = set()


def publish_after_commit(engine: Any, tenant_id: uuid.UUID, job_id: uuid.UUID) -> asyncio.Task:
    """Start writing the job's events once the import's transaction ends, holding no request
    open. A crash leaves them pending for the ``import-events`` scheduler job."""
    task = asyncio.create_task(_after_commit(engine, tenant_id, job_id))
    background.add(task)
    task.add_done_callback(background.discard)
    return task


async def _after_commit(engine: Any, tenant_id: uuid.UUID, job_id: uuid.UUID) -> None:
    try:
        # the import's transaction holds the job row until it commits (or rolls back)
        async with AsyncSession(bind=engine) as s, s.begin():
            await _set_tenant(s, tenant_id)
            await s.execute(
                text(
                    "SELECT 1 FROM import_jobs WHERE tenant_id = CAST(:t AS uuid) "
                    "AND id = CAST(:j AS uuid) FOR SHARE"
                ),
                {"t": str(tenant_id), "j": str(job_id)},
            )
        await write_pending_events(engine, tenant_id, job_id)
    except Exception:
        log.exception("import %s: contacts.changed left pending for the scheduler", job_id)


def _clean_row(
    row: dict[str, str],
    mapping: list[tuple[str, str]],
    defs: dict[str, Any],
    required: list[str],
) -> tuple[tuple, tuple[str, str] | None]:
    std: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    for column, target in mapping:
        value = (row.get(column) or "").strip()
        if not value:
            continue
        try:
            if target.startswith("custom."):
                d = defs[target[7:]]
                if d.type in ("number", "money"):
                    value = float(value)
                elif d.type == "checkbox":
                    value = value.lower() in ("1", "true", "yes", "כן", "v")
                elif d.type == "multi_select":
                    value = [x.strip() for x in value.split(";") if x.strip()]
                custom[d.key] = coerce_value(d.type, list(d.options or []), value)
            elif target == "phone":
                std["phone"] = import_phone(value)
            elif target == "email":
                std["email"] = import_email(value)
            elif target == "id_number":
                digits = value.replace("-", "")
                if not israeli_id_ok(digits):
                    raise ValueError("is not a valid Israeli number (check digit)")
                std["id_number"] = digits.zfill(9)
            elif target == "birthday":
                std["birthday"] = dt.date.fromisoformat(value)
            else:
                std[target] = value
        except (ValueError, TypeError) as exc:
            return (), (column, str(exc) or "is not valid")
    if not std.get("first_name"):
        col = next(c for c, t in mapping if t == "first_name")
        return (), (col, "is required")
    missing = [k for k in required if k not in custom]
    if missing:
        return (), (f"custom.{missing[0]}", "is required")
    address = {k: std[k] for k in ("city", "street") if k in std}
    addresses = json.dumps([{**address, "country": "IL"}]) if address else "[]"
    return (
        std["first_name"][:100],
        std.get("last_name", "")[:100],
        std.get("phone"),
        std.get("email"),
        std.get("id_number"),
        std.get("birthday"),
        addresses,
        json.dumps(custom, ensure_ascii=False),
        std.get("phone") or std.get("email"),
    ), None


async def _merge(session: AsyncSession, tenant_id: uuid.UUID, policy: str) -> tuple[int, int, int]:
    t = {"t": str(tenant_id)}
    insert_cols = (
        "INSERT INTO contacts (id, tenant_id, party_id, first_name, last_name, phones, emails, "
        "id_number, birthday, addresses, custom) "
    )
    select_cols = (
        "SELECT uuidv7(), CAST(:t AS uuid), uuidv7(), s.first_name, "
        "s.last_name, CASE WHEN s.phone IS NULL THEN '{}' ELSE ARRAY[s.phone] END, "
        "CASE WHEN s.email IS NULL THEN '{}' ELSE ARRAY[s.email] END, s.id_number, s.birthday, "
        "s.addresses, s.custom FROM "
    )
    if policy == "create":
        return await _insert(session, insert_cols + select_cols + "import_stage s", t), 0, 0
    staged = (await session.execute(text("SELECT count(*) FROM import_stage"))).scalar_one()
    # First row wins among duplicates inside the file; rows without phone or email are kept.
    await session.execute(
        text(
            "CREATE TEMP TABLE import_unique ON COMMIT DROP AS "
            "SELECT DISTINCT ON (coalesce(dup_key, row_no::text)) * FROM import_stage "
            "ORDER BY coalesce(dup_key, row_no::text), row_no"
        )
    )
    # Existing contacts that match a staged row by phone or email.
    await session.execute(
        text(
            "CREATE TEMP TABLE import_match ON COMMIT DROP AS "
            "SELECT DISTINCT ON (row_no) row_no, contact_id FROM ("
            " SELECT s.row_no, p.contact_id FROM import_unique s JOIN contact_phones p"
            " ON p.tenant_id = CAST(:t AS uuid) AND p.phone = s.phone"
            " UNION ALL"
            " SELECT s.row_no, c.id FROM import_unique s JOIN contacts c"
            " ON c.tenant_id = CAST(:t AS uuid) AND s.phone IS NULL AND s.email IS NOT NULL"
            " AND s.email = ANY(c.emails)"
            ") m ORDER BY row_no, contact_id"
        ),
        t,
    )
    updated = 0
    if policy == "update":
        audit = audit_insert_sql(
            session,
            source="upd",
            entity="contacts",
            action="import",
            changes=_UPDATED,
        )
        res = await session.execute(
            text(
                "WITH upd AS (UPDATE contacts c SET first_name = s.first_name, "
                "last_name = CASE WHEN s.last_name = '' THEN c.last_name ELSE s.last_name END, "
                "emails = CASE WHEN s.email IS NULL OR c.emails @> ARRAY[s.email]::varchar[] "
                "  THEN c.emails ELSE c.emails || s.email::varchar END, "
                "id_number = coalesce(s.id_number, c.id_number), "
                "birthday = coalesce(s.birthday, c.birthday), "
                "custom = c.custom || s.custom, updated_at = now() "
                "FROM import_match m JOIN import_unique s ON s.row_no = m.row_no "
                "WHERE c.id = m.contact_id AND c.tenant_id = CAST(:t AS uuid) "
                "RETURNING c.id, c.tenant_id, "
                + ", ".join(f"old.{f} AS old_{f}, new.{f} AS new_{f}" for f in _UPDATABLE)
                + "), tch AS (INSERT INTO import_touched SELECT id FROM upd) "
                + (f", aud AS ({audit}) " if audit else "")
                + "SELECT count(*) FROM upd"
            ),
            {**t, **audit_sql_params()},
        )
        updated = res.scalar_one()
    created = await _insert(
        session,
        insert_cols + select_cols + "import_unique s WHERE NOT EXISTS "
        "(SELECT 1 FROM import_match m WHERE m.row_no = s.row_no)",
        t,
    )
    return created, updated, staged - created - updated


# A5: imported contacts' audit rows, written by the same statement (set-based, no round trip).
_IMPORTED = (
    "jsonb_strip_nulls(jsonb_build_object("
    + ", ".join(
        f"'{f}', CASE WHEN ins.{f} IS NOT NULL THEN jsonb_build_array(NULL, to_jsonb(ins.{f})) END"
        for f in ("first_name", "last_name", "phones", "emails", "id_number", "birthday", "custom")
    )
    + "))"
)


_UPDATABLE = ("first_name", "last_name", "emails", "id_number", "birthday", "custom")
# Updated contacts: before/after of each field the import changed (RETURNING old/new).
_UPDATED = (
    "jsonb_strip_nulls(jsonb_build_object("
    + ", ".join(
        f"'{f}', CASE WHEN upd.old_{f} IS DISTINCT FROM upd.new_{f} "
        f"THEN jsonb_build_array(to_jsonb(upd.old_{f}), to_jsonb(upd.new_{f})) END"
        for f in _UPDATABLE
    )
    + "))"
)


async def _insert(session: AsyncSession, insert_sql: str, params: dict[str, str]) -> int:
    """Insert the contacts and their screen-pop phone rows; the number of contacts."""
    audit = audit_insert_sql(
        session, source="ins", entity="contacts", action="import", changes=_IMPORTED
    )
    sql = (
        f"WITH ins AS ({insert_sql} RETURNING id, tenant_id, phones, first_name, last_name, "
        "emails, id_number, birthday, custom), "
        "ph AS (INSERT INTO contact_phones (tenant_id, phone, contact_id) "
        "SELECT ins.tenant_id, p, ins.id FROM ins, unnest(ins.phones) p ON CONFLICT DO NOTHING), "
        "tch AS (INSERT INTO import_touched SELECT id FROM ins) "
        + (f", aud AS ({audit}) " if audit else "")
        + "SELECT count(*) FROM ins"
    )
    return (await session.execute(text(sql), {**params, **audit_sql_params()})).scalar_one()


async def get_job(session: AsyncSession, tenant_id: uuid.UUID, job_id: uuid.UUID) -> ImportJob:
    job = (
        await session.execute(
            select(ImportJob).where(ImportJob.tenant_id == tenant_id, ImportJob.id == job_id)
        )
    ).scalar_one_or_none()
    if job is None:
        raise NotFound(f"import {job_id} not found")
    return job


def lines_of(data: bytes) -> Iterable[str]:
    return io.StringIO(data.decode("utf-8-sig"))
