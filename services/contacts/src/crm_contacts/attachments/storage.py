"""Where attachment bytes live (C5): an interface, and the local filesystem implementation.

Uploads arrive in chunks (one gRPC call each, so no call holds a whole file in memory) and are
appended at an offset; ``commit`` makes the object final and returns its size and SHA-256.
``S3Storage`` (attachments/s3.py) maps ``begin``/``append``/``commit`` onto a multipart upload
(chunks staged in the bucket until a part is full) and ``read`` onto a ranged GET.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from pathlib import Path
from typing import Protocol


class Storage(Protocol):
    async def begin(self, key: str) -> None: ...

    async def append(self, key: str, offset: int, data: bytes) -> int:
        """Write ``data`` at ``offset``; returns the new size. ValueError on a wrong offset."""
        ...

    async def commit(self, key: str) -> tuple[int, str]:
        """Finish the upload; (size, sha256 hex)."""
        ...

    async def read(self, key: str, offset: int, length: int) -> bytes: ...

    async def delete(self, key: str) -> None: ...


class LocalStorage:
    """Files under ``root`` (``var/attachments`` by default); uploads under ``root/.partial``."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()

    def _final(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise ValueError("bad storage key")
        return path

    def _partial(self, key: str) -> Path:
        return self._final(key).with_name(self._final(key).name + ".partial")

    async def begin(self, key: str) -> None:
        def run() -> None:
            p = self._partial(key)
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(b"")

        await asyncio.to_thread(run)

    async def append(self, key: str, offset: int, data: bytes) -> int:
        def run() -> int:
            p = self._partial(key)
            size = p.stat().st_size
            if offset != size:
                raise ValueError(f"expected offset {size}, got {offset}")
            with p.open("ab") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            return size + len(data)

        return await asyncio.to_thread(run)

    async def commit(self, key: str) -> tuple[int, str]:
        def run() -> tuple[int, str]:
            p = self._partial(key)
            digest = hashlib.sha256()
            size = 0
            with p.open("rb") as f:
                while chunk := f.read(1 << 20):
                    digest.update(chunk)
                    size += len(chunk)
            p.replace(self._final(key))
            return size, digest.hexdigest()

        return await asyncio.to_thread(run)

    async def read(self, key: str, offset: int, length: int) -> bytes:
        def run() -> bytes:
            with self._final(key).open("rb") as f:
                f.seek(offset)
                return f.read(length)

        return await asyncio.to_thread(run)

    async def delete(self, key: str) -> None:
        def run() -> None:
            for p in (self._final(key), self._partial(key)):
                p.unlink(missing_ok=True)

        await asyncio.to_thread(run)


_storage: Storage | None = None


def storage_from_settings(settings) -> Storage:
    """``CRM_CONTACTS_ATTACHMENTS_BACKEND``: ``local`` (``CRM_CONTACTS_ATTACHMENTS_DIR``) or
    ``s3`` (``CRM_CONTACTS_S3_*``)."""
    if settings.attachments_backend == "s3":
        from crm_contacts.attachments.s3 import Credentials, S3Client, S3Storage

        creds = Credentials(
            settings.s3_access_key_id,
            settings.s3_secret_access_key.get_secret_value(),
            region=settings.s3_region,
        )
        client = S3Client(settings.s3_endpoint, settings.s3_bucket, creds)
        return S3Storage(client, part_size=settings.s3_part_size)
    return LocalStorage(settings.attachments_dir)


def storage() -> Storage:
    """The process's storage, chosen by the settings (default: files under var/attachments)."""
    global _storage
    if _storage is None:
        from crm_contacts.settings import ContactsSettings

        _storage = storage_from_settings(ContactsSettings())
    return _storage


def set_storage(s: Storage | None) -> None:
    global _storage
    _storage = s
