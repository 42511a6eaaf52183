"""S3-compatible attachment storage (C5): a small AWS Signature V4 client over httpx.

Why not boto3 / aiobotocore / the minio SDK: the service needs seven S3 calls (create /
list / complete / abort a multipart upload, upload a part, put, get with a range, delete),
all async. boto3 and minio are blocking (a thread per call), aiobotocore pulls botocore's
~80 MB of service models and aiohttp beside the httpx the stack already has. SigV4 is a
published, stable algorithm of ~60 lines; ``tests/unit/test_contacts_s3_sigv4.py`` checks
our signatures against botocore's own signer, and the integration tests run every call
against moto's S3 server.

Uploads arrive as 1 MiB chunks, one gRPC call each, possibly on different replicas, while S3
wants multipart parts of at least 5 MiB (all but the last). So all upload state lives in the
bucket, none in the process:

- ``begin`` creates the multipart upload (S3 keeps its id; ``ListMultipartUploads`` finds it);
- ``append`` stores the chunk as a staging object ``<key>.staging/<offset>``; once the staged
  bytes reach ``part_size`` they are concatenated into the next part (``UploadPart``) and the
  staging objects deleted. The expected offset is the sum of the uploaded parts (``ListParts``)
  and the staged chunks, so a repeated or skipped chunk is refused;
- ``commit`` uploads what is staged as the last part, completes the upload and then reads the
  object back to compute its size and SHA-256 (the checksum of what S3 actually stores).

Every request signs the SHA-256 of its body (``x-amz-content-sha256``), so S3 refuses a body
damaged on the way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from xml.etree import ElementTree

import httpx

MIN_PART = 5 * 1024 * 1024
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_NS = re.compile(r"^\{[^}]*\}")


def _quote(s: str, safe: str = "-_.~") -> str:
    return urllib.parse.quote(s, safe=safe)


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    secret_access_key: str
    region: str = "us-east-1"
    service: str = "s3"


def sign(
    creds: Credentials,
    method: str,
    url: str,
    headers: Mapping[str, str],
    payload_sha256: str,
    now: dt.datetime,
) -> dict[str, str]:
    """AWS Signature V4: the headers to add (``x-amz-date``, ``x-amz-content-sha256``,
    ``authorization``). ``url`` is the full URL with its query; the path is used as given
    (S3 does not normalise paths, so the caller encodes it once)."""
    parts = urllib.parse.urlsplit(url)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    date = amz_date[:8]
    all_headers = {k.lower(): " ".join(str(v).split()) for k, v in headers.items()}
    all_headers["host"] = parts.netloc
    all_headers["x-amz-date"] = amz_date
    all_headers["x-amz-content-sha256"] = payload_sha256
    signed = sorted(all_headers)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    canonical_query = "&".join(f"{_quote(k)}={_quote(v)}" for k, v in sorted(query))
    canonical = "\n".join(
        [
            method,
            parts.path or "/",
            canonical_query,
            "".join(f"{h}:{all_headers[h]}\n" for h in signed),
            ";".join(signed),
            payload_sha256,
        ]
    )
    scope = f"{date}/{creds.region}/{creds.service}/aws4_request"
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = f"AWS4{creds.secret_access_key}".encode()
    for piece in (date, creds.region, creds.service, "aws4_request"):
        key = hmac.new(key, piece.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return {
        "x-amz-date": amz_date,
        "x-amz-content-sha256": payload_sha256,
        "authorization": (
            f"AWS4-HMAC-SHA256 Credential={creds.access_key_id}/{scope}, "
            f"SignedHeaders={';'.join(signed)}, Signature={signature}"
        ),
    }


class S3Error(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"S3 {status} {code}: {message}")
        self.status, self.code = status, code


def _xml(body: bytes) -> ElementTree.Element:
    root = ElementTree.fromstring(body)
    for el in root.iter():
        el.tag = _NS.sub("", el.tag)
    return root


class S3Client:
    """Path-style S3 requests on one bucket (works with AWS, MinIO, Ceph, moto)."""

    def __init__(
        self,
        endpoint: str,
        bucket: str,
        creds: Credentials,
        *,
        timeout: float = 30.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.bucket = bucket
        self.creds = creds
        self._http = client or httpx.AsyncClient(timeout=timeout)

    async def aclose(self) -> None:
        await self._http.aclose()

    def _url(self, key: str | None, query: Mapping[str, str] | None) -> str:
        path = f"/{_quote(self.bucket)}"
        if key is not None:
            path += "/" + _quote(key, safe="-_.~/")
        url = self.endpoint + path
        if query:
            url += "?" + "&".join(
                f"{_quote(k)}={_quote(v)}" if v != "" else _quote(k) for k, v in query.items()
            )
        return url

    async def request(
        self,
        method: str,
        key: str | None = None,
        *,
        query: Mapping[str, str] | None = None,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200, 204, 206),
    ) -> httpx.Response:
        url = self._url(key, query)
        hdrs = dict(headers or {})
        payload_hash = hashlib.sha256(body).hexdigest() if body else EMPTY_SHA256
        hdrs.update(sign(self.creds, method, url, hdrs, payload_hash, dt.datetime.now(dt.UTC)))
        resp = await self._http.request(method, url, content=body, headers=hdrs)
        if resp.status_code not in ok:
            code, message = "", resp.text[:200]
            if resp.content.startswith(b"<"):
                try:
                    err = _xml(resp.content)
                    code = err.findtext("Code") or ""
                    message = err.findtext("Message") or message
                except ElementTree.ParseError:
                    pass
            raise S3Error(resp.status_code, code, message)
        return resp

    async def create_bucket(self) -> None:
        await self.request("PUT", None)

    async def put_object(self, key: str, data: bytes, content_type: str | None = None) -> None:
        headers = {"content-type": content_type} if content_type else None
        await self.request("PUT", key, body=data, headers=headers)

    async def get_range(self, key: str, offset: int, length: int) -> bytes:
        try:
            resp = await self.request(
                "GET", key, headers={"range": f"bytes={offset}-{offset + length - 1}"}
            )
        except S3Error as exc:
            if exc.status == 416:  # offset at or past the end
                return b""
            raise
        return resp.content

    async def stream(self, key: str, chunk: int = 1 << 20):
        """The object's bytes in pieces (a streamed GET, never the whole object in memory)."""
        url = self._url(key, None)
        hdrs = sign(self.creds, "GET", url, {}, EMPTY_SHA256, dt.datetime.now(dt.UTC))
        async with self._http.stream("GET", url, headers=hdrs) as resp:
            if resp.status_code != 200:
                await resp.aread()
                raise S3Error(resp.status_code, "", resp.text[:200])
            async for piece in resp.aiter_bytes(chunk):
                yield piece

    async def delete_object(self, key: str) -> None:
        await self.request("DELETE", key)

    async def list_keys(self, prefix: str) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        token = ""
        while True:
            query = {"list-type": "2", "prefix": prefix}
            if token:
                query["continuation-token"] = token
            root = _xml((await self.request("GET", None, query=query)).content)
            for c in root.findall("Contents"):
                out.append((c.findtext("Key") or "", int(c.findtext("Size") or 0)))
            if root.findtext("IsTruncated") != "true":
                return out
            token = root.findtext("NextContinuationToken") or ""

    async def create_upload(self, key: str) -> str:
        resp = await self.request("POST", key, query={"uploads": ""})
        return _xml(resp.content).findtext("UploadId") or ""

    async def find_upload(self, key: str) -> str | None:
        resp = await self.request("GET", None, query={"uploads": "", "prefix": key})
        for u in _xml(resp.content).findall("Upload"):
            if u.findtext("Key") == key:
                return u.findtext("UploadId")
        return None

    async def list_parts(self, key: str, upload_id: str) -> list[tuple[int, int, str]]:
        """(part number, size, etag) of the parts uploaded so far."""
        out: list[tuple[int, int, str]] = []
        marker = "0"
        while True:
            query = {"uploadId": upload_id, "part-number-marker": marker}
            root = _xml((await self.request("GET", key, query=query)).content)
            for p in root.findall("Part"):
                out.append(
                    (
                        int(p.findtext("PartNumber") or 0),
                        int(p.findtext("Size") or 0),
                        p.findtext("ETag") or "",
                    )
                )
            if root.findtext("IsTruncated") != "true":
                return sorted(out)
            marker = root.findtext("NextPartNumberMarker") or str(out[-1][0])

    async def upload_part(self, key: str, upload_id: str, number: int, data: bytes) -> str:
        resp = await self.request(
            "PUT", key, query={"partNumber": str(number), "uploadId": upload_id}, body=data
        )
        return resp.headers.get("etag", "")

    async def complete_upload(self, key: str, upload_id: str, parts: list[tuple[int, str]]) -> None:
        body = "<CompleteMultipartUpload>" + "".join(
            f"<Part><PartNumber>{n}</PartNumber><ETag>{etag}</ETag></Part>" for n, etag in parts
        )
        body += "</CompleteMultipartUpload>"
        resp = await self.request("POST", key, query={"uploadId": upload_id}, body=body.encode())
        # S3 may answer 200 with an <Error> body when completing fails late.
        if b"<Error>" in resp.content[:200]:
            err = _xml(resp.content)
            raise S3Error(200, err.findtext("Code") or "", err.findtext("Message") or "")

    async def abort_upload(self, key: str, upload_id: str) -> None:
        await self.request("DELETE", key, query={"uploadId": upload_id})


class S3Storage:
    """The ``Storage`` interface on an S3-compatible bucket (see the module docstring)."""

    def __init__(self, client: S3Client, part_size: int = 8 * 1024 * 1024) -> None:
        if part_size < MIN_PART:
            raise ValueError(f"part_size must be at least {MIN_PART} bytes (S3's minimum)")
        self.s3 = client
        self.part_size = part_size

    @staticmethod
    def _staging(key: str) -> str:
        return f"{key}.staging/"

    async def _state(
        self, key: str
    ) -> tuple[str, list[tuple[int, int, str]], list[tuple[str, int]]]:
        upload_id = await self.s3.find_upload(key)
        if upload_id is None:
            raise ValueError("no upload in progress for this attachment")
        parts = await self.s3.list_parts(key, upload_id)
        staged = sorted(await self.s3.list_keys(self._staging(key)))
        return upload_id, parts, staged

    async def _flush(
        self,
        key: str,
        upload_id: str,
        parts: list[tuple[int, int, str]],
        staged: list[tuple[str, int]],
    ) -> None:
        """Concatenate the staged chunks into the next part, then drop them."""
        data = b"".join([await self.s3.get_range(k, 0, size) for k, size in staged if size])
        number = (parts[-1][0] if parts else 0) + 1
        etag = await self.s3.upload_part(key, upload_id, number, data)
        parts.append((number, len(data), etag))
        for k, _ in staged:
            await self.s3.delete_object(k)

    async def begin(self, key: str) -> None:
        await self.s3.create_upload(key)

    async def append(self, key: str, offset: int, data: bytes) -> int:
        upload_id, parts, staged = await self._state(key)
        size = sum(p[1] for p in parts) + sum(s for _, s in staged)
        if offset != size:
            raise ValueError(f"expected offset {size}, got {offset}")
        chunk_key = f"{self._staging(key)}{offset:020d}"
        await self.s3.put_object(chunk_key, data)
        staged.append((chunk_key, len(data)))
        if sum(s for _, s in staged) >= self.part_size:
            await self._flush(key, upload_id, parts, staged)
        return size + len(data)

    async def commit(self, key: str) -> tuple[int, str]:
        upload_id, parts, staged = await self._state(key)
        if staged:
            await self._flush(key, upload_id, parts, staged)
        if parts:
            await self.s3.complete_upload(key, upload_id, [(n, etag) for n, _, etag in parts])
        else:  # an empty file: no part to complete with
            await self.s3.abort_upload(key, upload_id)
            await self.s3.put_object(key, b"")
        digest, size = hashlib.sha256(), 0
        async for piece in self.s3.stream(key):
            digest.update(piece)
            size += len(piece)
        return size, digest.hexdigest()

    async def read(self, key: str, offset: int, length: int) -> bytes:
        return await self.s3.get_range(key, offset, length)

    async def delete(self, key: str) -> None:
        upload_id = await self.s3.find_upload(key)
        if upload_id:
            await self.s3.abort_upload(key, upload_id)
        for k, _ in await self.s3.list_keys(self._staging(key)):
            await self.s3.delete_object(k)
        await self.s3.delete_object(key)
