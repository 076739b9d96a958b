# Two commands for people (`make run`, `make test`) and one more for CI (`make test-services`).
# Every target installs what it needs first, so a fresh machine needs only python3 and make.

SHELL := /bin/bash
UV := scripts/uv
SERVICE_ENV := DATABASE_URL=postgresql://postgres@127.0.0.1:5432/revans \
	REDIS_URL=redis://127.0.0.1:6379/15 REVANS_REQUIRE_SERVICES=1

.PHONY: run install chromium pdf pdf-tests services test test-services lint format

## run: install, migrate, load the demo (once) and serve on http://127.0.0.1:8000
run: install pdf
	$(UV) run revans migrate --noinput
	$(UV) run revans demo
	@echo "Serving Revans on http://127.0.0.1:8000 (Ctrl+C stops; the data stays in ./var)"
	REVANS_OUTBOX_PAGE=1 $(UV) run revans serve

## install: the Python dependencies, exactly as locked, into .venv
install:
	$(UV) sync --frozen

## chromium: Debian's Chromium for the browser tests
chromium:
	scripts/ensure-chromium

## pdf: Debian's Pango for WeasyPrint (the report's PDF); pdf-tests adds poppler-utils
pdf:
	scripts/ensure-pdf

pdf-tests:
	scripts/ensure-pdf --tests

## services: PostgreSQL and Redis on 127.0.0.1, started or installed when missing
services:
	scripts/ensure-services

## test: lint and every test (unit and browser) on SQLite and the in-memory channel layer
##   (extra pytest arguments: make test PYTEST_ARGS="-k smoke")
test: install chromium pdf-tests
	scripts/check $(PYTEST_ARGS)

## test-services: the same suite against PostgreSQL and Redis
test-services: install chromium pdf-tests services
	$(SERVICE_ENV) scripts/check --no-lint $(PYTEST_ARGS)

lint: install
	$(UV) run ruff check revans tests
	$(UV) run ruff format --check revans tests
	$(UV) run mypy revans

format: install
	$(UV) run ruff format revans tests
