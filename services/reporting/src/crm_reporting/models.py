"""The reporting service's declarative base (its own metadata and registry)."""

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from crm_common.db import NAMING_CONVENTION, TYPE_ANNOTATION_MAP


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = TYPE_ANNOTATION_MAP
