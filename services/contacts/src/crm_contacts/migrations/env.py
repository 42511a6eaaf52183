from crm_common.db.migrations import run_env
from crm_common.plumbing import PLUMBING_METADATA
from crm_contacts.customers import models  # noqa: F401  (registers the tables)
from crm_contacts.models import Base

run_env(target_metadata=[Base.metadata, PLUMBING_METADATA])
