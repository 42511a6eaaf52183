from crm_common.db.migrations import run_env
from crm_common.plumbing import PLUMBING_METADATA
from crm_messaging.models import Base, load_models

load_models()
run_env(target_metadata=[Base.metadata, PLUMBING_METADATA])
