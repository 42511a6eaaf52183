from crm_common.db.migrations import run_env
from crm_common.plumbing import PLUMBING_METADATA
from crm_messaging.models import Base
from crm_messaging.parties import models  # noqa: F401  (registers the tables)

run_env(target_metadata=[Base.metadata, PLUMBING_METADATA])
