# The CRM's developer commands. `make up` runs the whole system; `make test` is what CI runs.
SHELL := /bin/bash
UV ?= uv
RUN := $(UV) run --frozen
PYTEST := $(RUN) pytest -p no:cacheprovider
BREAKING_AGAINST ?= .git\#branch=main

.PHONY: help setup up proto proto-check buf-lint buf-breaking lint format \
        test-unit test-int test-e2e helm-lint test bench

help:
	@grep -E '^[a-z-]+:.*?## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup: ## install every package of the workspace and the dev tools into .venv
	$(UV) sync --frozen --all-packages

up: setup ## start PostgreSQL, the broker, every service and the gateway (data in var/)
	$(RUN) crm-dev up

proto: ## regenerate libs/crm_proto from proto/
	$(RUN) python tools/protogen.py

proto-check: ## fail when libs/crm_proto is out of date with proto/
	$(RUN) python tools/protogen.py --check

buf-lint: ## buf lint (STANDARD rules)
	$(RUN) buf lint

buf-breaking: ## buf breaking against main (BREAKING_AGAINST='.git#tag=v0.1.0' for a release)
	$(RUN) buf breaking --against '$(BREAKING_AGAINST)'

lint: ## ruff lint and format check
	$(RUN) ruff check .
	$(RUN) ruff format --check .

format: ## apply ruff fixes and formatting
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

test-unit: ## unit tests (no database, no broker)
	$(PYTEST) libs/*/tests/unit services/*/tests/unit tests/wiring

test-int: ## integration tests (embedded PostgreSQL and broker)
	$(PYTEST) libs/*/tests/integration services/*/tests/integration

test-e2e: ## end-to-end tests: the whole stack as `make up` runs it
	$(PYTEST) tests/e2e

helm-lint: ## lint, render and validate the Helm chart against the Kubernetes schemas
	$(PYTEST) tests/chart

test: setup lint proto-check buf-lint test-unit test-int helm-lint test-e2e ## everything CI runs

bench: setup ## benchmarks of the slice beside raw baselines
	$(RUN) python bench/slice.py
