# The two commands: `make up` runs the suite, `make test` tests it. Both install what they need.
SHELL := /bin/bash
TOOLS := $(HOME)/.cache/inclusion/tools
UV := $(TOOLS)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/.venv

.PHONY: up down purge status test lint contracts install system-deps

up: install ## install, start Kafka + PostgreSQL + the four services, print where to look
	$(UV) run --locked inclusion up

down: ## stop what `make up` started
	$(UV) run --locked inclusion down

purge: ## stop, and delete local Kafka and PostgreSQL data
	$(UV) run --locked inclusion down --purge

status:
	$(UV) run --locked inclusion status

test: install ## every test, against a real Kafka broker and a real PostgreSQL
	$(UV) run --locked pytest

lint: install
	$(UV) run --locked ruff check .
	$(UV) run --locked ruff format --check .
	$(UV) run --locked mypy shared/src cli/src services/funding/src services/placements/src services/reviews/src services/feedback/src
	$(UV) run --locked mypy deploy/k8s/generate_strimzi.py deploy/compose/create_topics.py deploy/compose/create_personal_data_key.py

contracts: install ## regenerate the committed JSON Schemas after changing a contract
	$(UV) run --locked python -m inclusion_shared.contracts.export

install: system-deps $(UV)
	$(UV) sync --locked --quiet
	@# Kubernetes manifests are built offline in the tests: kubectl's kustomize, or kustomize itself.
	@command -v kubectl >/dev/null || [ -x $(TOOLS)/bin/kustomize ] || \
	  GOBIN=$(TOOLS)/bin go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv

# Java 17 and Maven run the Kafka broker; PostgreSQL 15 comes from Debian's packages.
system-deps:
	@missing=""; \
	command -v java >/dev/null || missing="$$missing openjdk-17-jre-headless"; \
	command -v mvn >/dev/null || missing="$$missing maven"; \
	[ -x /usr/lib/postgresql/15/bin/postgres ] || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
