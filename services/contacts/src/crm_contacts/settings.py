from typing import Literal

from pydantic import SecretStr

from crm_common.settings import ServiceSettings, service_config


class ContactsSettings(ServiceSettings):
    """``CRM_CONTACTS_*`` environment variables."""

    model_config = service_config("CONTACTS")

    # C5: where attachment bytes live: "local" (files under attachments_dir) or "s3"
    # (an S3-compatible bucket: AWS, MinIO, Ceph...; see attachments/s3.py).
    attachments_backend: Literal["local", "s3"] = "local"
    # C5: where LocalStorage keeps attachment files.
    attachments_dir: str = "var/attachments"
    # C5, backend "s3": endpoint URL (path-style requests), bucket, region and keys.
    s3_endpoint: str = "https://s3.il-central-1.amazonaws.com"
    s3_bucket: str = "crm-attachments"
    s3_region: str = "il-central-1"
    s3_access_key_id: str = ""
    s3_secret_access_key: SecretStr = SecretStr("")
    # Multipart part size (S3's minimum is 5 MiB; chunks are staged until a part is full).
    s3_part_size: int = 8 * 1024 * 1024
