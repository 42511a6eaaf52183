#!/bin/sh
# Runs `crm-${CRM_SERVICE} <process> [args...]` (CRM_SERVICE is baked in at build time).
# exec replaces the shell so the service receives signals from tini directly.
set -eu
: "${CRM_SERVICE:?CRM_SERVICE is not set}"
if [ "$#" -eq 0 ]; then
    set -- serve
fi
exec "crm-${CRM_SERVICE}" "$@"
