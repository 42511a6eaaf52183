"""CSV/XLSX lead import (L1): upload -> preview with a suggested column mapping
-> run in batches (progress figure, per-row errors)."""

from __future__ import annotations

import csv
import io
import uuid
import zipfile

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.errors import FailedPrecondition, FieldViolation, InvalidArgument, NotFound
from crm_leads.leads import service
from crm_leads.leads.models import LeadImport
from crm_leads.leads.schemas import NUL, LeadCreate

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_ERRORS = 1000
PREVIEW_ROWS = 10
TARGETS = (
    "name",
    "phone",
    "email",
    "company_name",
    "source",
    "campaign",
    "product_interest",
    "city",
    "language",
    "utm_source",
    "utm_medium",
    "utm_campaign",
)
# Header spellings seen in Israeli spreadsheets -> lead field.
SYNONYMS = {
    "name": "name",
    "full name": "name",
    "שם": "name",
    "שם מלא": "name",
    "שם הלקוח": "name",
    "phone": "phone",
    "mobile": "phone",
    "טלפון": "phone",
    "נייד": "phone",
    "טלפון נייד": "phone",
    "email": "email",
    "e-mail": "email",
    'דוא"ל': "email",
    "דואל": "email",
    "אימייל": "email",
    "מייל": "email",
    "company": "company_name",
    "company_name": "company_name",
    "חברה": "company_name",
    "שם חברה": "company_name",
    "source": "source",
    "מקור": "source",
    "campaign": "campaign",
    "קמפיין": "campaign",
    "city": "city",
    "עיר": "city",
    "language": "language",
    "שפה": "language",
    "product": "product_interest",
    "product_interest": "product_interest",
    "מוצר": "product_interest",
    "תחום עניין": "product_interest",
    "utm_source": "utm_source",
    "utm_medium": "utm_medium",
    "utm_campaign": "utm_campaign",
}


def _bad(field: str, message: str) -> InvalidArgument:
    return InvalidArgument(message, violations=[FieldViolation(field, message)])


def parse_table(filename: str, content: bytes) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV (UTF-8, or Windows-1255 as Hebrew Excel saves it) or XLSX."""
    if not content:
        raise _bad("content", "the file is empty")
    if len(content) > MAX_BYTES:
        raise _bad("content", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    lower = filename.lower()
    if lower.endswith(".xlsx") or content[:2] == b"PK":
        rows = _xlsx_rows(content)
    elif lower.endswith(".csv") or lower.endswith(".txt") or not lower:
        rows = _csv_rows(content)
    else:
        raise _bad("filename", "only .csv and .xlsx files can be imported")
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise _bad("content", "the file has no header row")
    # PostgreSQL cannot store a NUL in text or JSONB (the rows are kept as JSONB); a CSV full
    # of NULs is usually a UTF-16 export.
    for row_no, row in enumerate(rows):
        if any(NUL in c for c in row):
            raise _bad(
                "content",
                f"row {row_no + 1} contains a NUL character; save the file as UTF-8 CSV or XLSX",
            )
    header = [h.strip() for h in rows[0]]
    if not any(header) or len(set(header)) != len(header):
        raise _bad("content", "the header row must name each column once")
    body = rows[1:]
    if len(body) > MAX_ROWS:
        raise _bad("content", f"at most {MAX_ROWS} rows per import")
    width = len(header)
    return header, [(r + [""] * width)[:width] for r in body]


def _csv_rows(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1255"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _bad("content", "the CSV is neither UTF-8 nor Windows-1255")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(r) for r in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(content: bytes) -> list[list[str]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise _bad("content", "not a readable XLSX file") from None
    ws = wb.worksheets[0]
    out = []
    for row in ws.iter_rows(values_only=True):
        out.append(["" if v is None else _cell(v) for v in row])
        if len(out) > MAX_ROWS + 1:
            break
    wb.close()
    return out


def _cell(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    # Excel drops the leading 0 of Israeli numbers stored as numbers: 501234567.
    if s.isdigit() and len(s) == 9 and s[0] in "23456789":
        s = "0" + s
    return s


def suggest_mapping(columns: list[str]) -> dict[str, str]:
    mapping = {}
    for col in columns:
        target = SYNONYMS.get(col.strip().lower())
        if target and target not in mapping.values():
            mapping[col] = target
    return mapping


def validate_mapping(columns: list[str], mapping: dict[str, str]) -> None:
    bad = []
    for col, target in mapping.items():
        if col not in columns:
            bad.append(FieldViolation(f"mapping.{col}", "no such column in the file"))
        if target not in TARGETS:
            bad.append(FieldViolation(f"mapping.{col}", f"must be one of: {', '.join(TARGETS)}"))
    targets = list(mapping.values())
    if len(set(targets)) != len(targets):
        bad.append(FieldViolation("mapping", "two columns map to the same field"))
    if "name" not in targets:
        bad.append(FieldViolation("mapping", "a column must map to name"))
    if "phone" not in targets and "email" not in targets:
        bad.append(FieldViolation("mapping", "a column must map to phone or email"))
    if bad:
        raise InvalidArgument("the column mapping is not valid", violations=bad)


def _row_fields(
    columns: list[str], row: list[str], mapping: dict[str, str], default_source: str
) -> dict[str, str]:
    index = {c: i for i, c in enumerate(columns)}
    fields = {t: row[index[c]].strip() for c, t in mapping.items() if row[index[c]].strip()}
    fields.setdefault("source", default_source)
    fields.setdefault("name", "")
    return fields


def _row_errors(row_no: int, exc: InvalidArgument) -> list[dict]:
    return [{"row": row_no, "field": v.field, "message": v.description} for v in exc.violations]


async def create_import(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    filename: str,
    content: bytes,
    default_source: str,
) -> tuple[LeadImport, list[dict[str, str]], list[dict]]:
    """Store the file's rows; return the import, its preview rows and their errors."""
    if len(filename) > 300:
        raise _bad("filename", "at most 300 characters")
    sources = await service.source_codes(session, tenant_id)
    default_source = (default_source or "other").lower()
    if default_source not in sources:
        raise _bad("default_source", f"must be one of: {', '.join(sorted(sources))}")
    columns, rows = parse_table(filename, content)
    mapping = suggest_mapping(columns)
    imp = LeadImport(
        tenant_id=tenant_id,
        filename=filename or "upload.csv",
        status="uploaded",
        columns=columns,
        mapping=mapping,
        rows=rows,
        default_source=default_source,
        total_rows=len(rows),
        processed_rows=0,
        imported_rows=0,
        failed_rows=0,
        errors=[],
    )
    session.add(imp)
    await session.flush()
    preview, errors = [], []
    for i, row in enumerate(rows[:PREVIEW_ROWS], start=1):
        preview.append(dict(zip(columns, row, strict=True)))
        if mapping:
            try:
                LeadCreate.parse(
                    sources=sources, **_row_fields(columns, row, mapping, default_source)
                )
            except InvalidArgument as exc:
                errors.extend(_row_errors(i, exc))
    return imp, preview, errors


async def get_import(
    session: AsyncSession, tenant_id: uuid.UUID, import_id: uuid.UUID, lock: bool = False
) -> LeadImport:
    stmt = select(LeadImport).where(LeadImport.tenant_id == tenant_id, LeadImport.id == import_id)
    if lock:
        stmt = stmt.with_for_update()
    imp = (await session.execute(stmt)).scalar_one_or_none()
    if imp is None:
        raise NotFound(f"import {import_id} not found")
    return imp


async def run_import(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    import_id: uuid.UUID,
    mapping: dict[str, str],
    max_rows: int,
    actor_id: uuid.UUID | None,
) -> LeadImport:
    """Import the next ``max_rows`` rows (each captured, deduplicated and routed like any lead)."""
    if max_rows < 0 or max_rows > 5000:
        raise _bad("max_rows", "must be between 1 and 5000")
    max_rows = max_rows or 1000
    imp = await get_import(session, tenant_id, import_id, lock=True)
    if imp.status == "done":
        raise FailedPrecondition(f"import {import_id} is already done", reason="IMPORT_DONE")
    if mapping:
        if imp.status == "running" and mapping != imp.mapping:
            raise FailedPrecondition(
                "the mapping cannot change once the import started", reason="IMPORT_STARTED"
            )
        validate_mapping(imp.columns, mapping)
        imp.mapping = mapping
    else:
        validate_mapping(imp.columns, imp.mapping)
    sources = await service.source_codes(session, tenant_id)
    start = imp.processed_rows
    batch = imp.rows[start : start + max_rows]
    errors = list(imp.errors)
    imported = failed = 0
    for offset, row in enumerate(batch):
        row_no = start + offset + 1
        try:
            data = LeadCreate.parse(
                sources=sources,
                channel="import",
                **_row_fields(imp.columns, row, imp.mapping, imp.default_source),
            )
        except InvalidArgument as exc:
            failed += 1
            if len(errors) < MAX_ERRORS:
                errors.extend(_row_errors(row_no, exc))
            continue
        await service.capture_lead(
            session=session,
            tenant_id=tenant_id,
            data=data,
            actor_id=actor_id,
            note=f"import {imp.filename} row {row_no}",
        )
        imported += 1
    imp.processed_rows = start + len(batch)
    imp.imported_rows += imported
    imp.failed_rows += failed
    imp.errors = errors[:MAX_ERRORS]
    imp.status = "done" if imp.processed_rows >= imp.total_rows else "running"
    await session.flush()
    return imp
