# The two commands: `make up` runs the suite, `make test` tests it. Both install what they need.
SHELL := /bin/bash
TOOLS := $(HOME)/.cache/inclusion/tools
UV := $(TOOLS)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/.venv

.PHONY: up demo down purge status test lint contracts install system-deps bench bench-dashboard bench-replay faults

# `up` then runs the Kent demo scenario once (what is already there is skipped, so `make up`
# stays idempotent) and prints the suite's URLs, what happened and `inclusion audit verify`.
# SCALE=kent loads Kent at its real size instead (about six hundred schools, twenty thousand
# children, a year's assessments and HNF applications) and says how long it took.
# SECURE=1: Kafka over SASL_SSL with a principal per service and ACLs, PostgreSQL over TLS with
# a role per service (`inclusion up --secure`); `make down` stops either.
up: install ## install, start Kafka, PostgreSQL, the five services and the demo; print where to look
	$(UV) run --locked inclusion up --demo $(if $(filter 1 true yes,$(SECURE)),--secure) $(if $(SCALE),--scale $(SCALE))

demo: ## run the Kent demo scenario again on the running suite (idempotent), with the audit
	$(UV) run --locked inclusion demo $(if $(SCALE),--scale $(SCALE))

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
	$(UV) run --locked mypy shared/src cli/src services/funding/src services/placements/src services/reviews/src services/feedback/src services/monitoring/src
	$(UV) run --locked mypy faults bench
	$(UV) run --locked mypy deploy/k8s/generate_strimzi.py deploy/compose/create_topics.py deploy/compose/create_personal_data_key.py

# BENCH_SCALE=0.05 (or BENCH_ARGS=--quick) for a short run; the JSON's path is the last line.
bench: install ## throughput and latency against raw baselines, on the local Kafka and PostgreSQL
	$(UV) run --locked python -m bench $(BENCH_ARGS)

# REPLAY_EVENTS=1000000 for a shorter one; needs about 8 GB of disk for the broker's log.
bench-dashboard: install ## p50/p95 of the Area Board's pages and downloads on `make up SCALE=kent`'s suite
	$(UV) run --locked python -m bench.read_paths $(BENCH_ARGS)

bench-replay: install ## the auditor's verify of a 10M-event log, actually run: time, peak memory, ratio to raw consume
	$(UV) run --locked python -m bench.replay --events $(or $(REPLAY_EVENTS),10000000)

# On a broker, a PostgreSQL cluster and services of its own (never the shared ones); FAULTS_ARGS
# (e.g. --seed 7, --quick) changes the run; exits 1 if anything was lost or doubled.
faults: install ## fault campaign: SIGKILLs, raised errors, broker and PostgreSQL restarts, slow database, oversized bursts, poison, an oracle
	$(UV) run --locked python -m faults $(FAULTS_ARGS)

contracts: install ## regenerate the committed JSON Schemas and AsyncAPI documents after changing a contract
	$(UV) run --locked python -m inclusion_shared.contracts.export
	$(UV) run --locked python -m inclusion_cli.contracts

install: system-deps $(UV)
	$(UV) sync --locked --quiet
	npm ci --no-audit --no-fund --ignore-scripts --silent
	@# Kubernetes manifests are built offline in the tests: kubectl's kustomize, or kustomize itself.
	@command -v kubectl >/dev/null || [ -x $(TOOLS)/bin/kustomize ] || \
	  GOBIN=$(TOOLS)/bin go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv

# Java 17 and Maven run the Kafka broker; PostgreSQL 15 comes from Debian's packages; the
# monitoring page's browser test drives Debian's Chromium through npm's playwright-core.
system-deps:
	@missing=""; \
	command -v java >/dev/null || missing="$$missing openjdk-17-jre-headless"; \
	command -v mvn >/dev/null || missing="$$missing maven"; \
	[ -x /usr/lib/postgresql/15/bin/postgres ] || missing="$$missing postgresql"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
