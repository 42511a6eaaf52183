from crm_common.db.base import (
    NAMING_CONVENTION,
    TYPE_ANNOTATION_MAP,
    TenantMixin,
    TimestampMixin,
    UUIDPrimaryKeyMixin,
    uuid7,
)
from crm_common.db.session import (
    create_engine,
    create_sessionmaker,
    current_session,
    unit_of_work,
)

__all__ = [
    "NAMING_CONVENTION",
    "TYPE_ANNOTATION_MAP",
    "TenantMixin",
    "TimestampMixin",
    "UUIDPrimaryKeyMixin",
    "create_engine",
    "create_sessionmaker",
    "current_session",
    "unit_of_work",
    "uuid7",
]
