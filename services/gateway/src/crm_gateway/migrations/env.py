from crm_common.db.migrations import run_env
from crm_common.plumbing import PLUMBING_METADATA
from crm_gateway.db import metadata

run_env(target_metadata=[metadata, PLUMBING_METADATA])
