# The two commands a newcomer needs (see README.md):
#   make run    install everything, migrate and seed the SQLite database, serve on :5000
#   make test   install everything, run the suite on SQLite and again on a throwaway PostgreSQL
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export FLASK_APP := wsgi.py

.PHONY: install system-packages run test test-sqlite test-postgres lint translations extract-messages bench bench-letters

install: $(VENV)/.installed node_modules/.installed translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

translations: $(VENV)/.installed
	@find fonds/translations -name '*.mo' -delete
	$(BIN)/pybabel compile --statistics -d fonds/translations 2>&1 | grep -v '^compiling' || true
	@test -f fonds/translations/nl/LC_MESSAGES/messages.mo

# What the browser tests need from Debian: Chromium (Playwright's own browser download is not
# used); what WeasyPrint needs to render decision letters: Pango; and pdftotext (poppler-utils),
# with which the letter tests read the PDFs back; and redis-server, on which the tests run the
# background letter batches a second time (the first time on the SQLite queue). PostgreSQL is
# installed by tests/with_postgres.sh when missing.
PANGO_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0

system-packages:
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }
	@command -v pdftotext >/dev/null || { \
		echo "Installing Debian's poppler-utils (pdftotext) for the letter tests"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq poppler-utils >/dev/null; }
	@command -v redis-server >/dev/null || { \
		echo "Installing Debian's redis-server for the task-queue tests"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq redis-server >/dev/null; }
	@missing=$$(for package in $(PANGO_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'ok installed' \
		|| echo $$package; done); \
	[ -z "$$missing" ] || { \
		echo "Installing Debian's $$missing for WeasyPrint"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; }

run: install
	@mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo
	@echo "  Fonds op Naam runs at http://$(HOST):$(PORT)"
	@echo "  Demo log-ins:"
	@$(BIN)/flask demo-logins
	@echo "  E-mail is written to instance/outbox/*.eml; a link: FLASK_APP=wsgi.py .venv/bin/flask mail last-link EMAIL"
	@echo "  Background work (a round's letters) runs in a worker on instance/queue.sqlite3"
	@echo
	@# The worker runs beside the web server and stops with it (Ctrl+C stops both).
	@$(BIN)/flask worker --workers 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# The two databases' suites run side by side, one per core, each with its own database, mail
# server, browser and files. The PostgreSQL suite takes longer, so its access table (the
# PG_SECOND tests) runs after the SQLite suite, in the first line of work, which keeps both
# cores busy until the end. Each line's output is shown whole once both are done (and can be
# followed meanwhile with `tail -f build/test-*.log`).
PG_SECOND = tests/test_access.py
test: install system-packages
	@status=0; start=$$(date +%s); \
	echo "=== Lint (ruff)"; \
	$(BIN)/ruff check . || status=1; \
	mkdir -p build; \
	echo "=== Test suites on SQLite and PostgreSQL, side by side (logs in build/)"; \
	{ $(MAKE) --no-print-directory test-sqlite; first=$$?; \
	  $(MAKE) --no-print-directory test-postgres PYTEST_ARGS="$(PG_SECOND)" || first=1; \
	  exit $$first; } > build/test-sqlite.log 2>&1 & sqlite=$$!; \
	$(MAKE) --no-print-directory test-postgres \
	  PYTEST_ARGS="$(foreach f,$(PG_SECOND),--ignore=$(f))" > build/test-postgres.log 2>&1 & \
	postgres=$$!; \
	wait $$sqlite; sqlite_status=$$?; wait $$postgres; postgres_status=$$?; \
	echo "=== Test suite on SQLite, then PostgreSQL's $(PG_SECOND)"; cat build/test-sqlite.log; \
	[ $$sqlite_status = 0 ] || { status=1; echo "=== FAILED (SQLite, or $(PG_SECOND) on PostgreSQL)"; }; \
	echo "=== Test suite on PostgreSQL, without $(PG_SECOND)"; cat build/test-postgres.log; \
	[ $$postgres_status = 0 ] || { status=1; echo "=== FAILED on PostgreSQL"; }; \
	echo "=== make test took $$(( $$(date +%s) - start )) s"; \
	exit $$status

test-sqlite:
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres:
	bash tests/with_postgres.sh $(BIN)/pytest $(PYTEST_ARGS)

# Timings and SQL query counts of the review pages with 5,000 applications, 60 reviewers and
# 15,000 reviews on a throwaway PostgreSQL (see bench/review_bench.py).
bench: install
	bash tests/with_postgres.sh $(BIN)/python bench/review_bench.py

# Decision letters: ms per letter against bare WeasyPrint, memory over 500 letters in one
# process, and a round's 500 letters issued through the task queue by `flask worker` with 1
# against 2 worker processes (see bench/letters_bench.py).
bench-letters: install
	$(BIN)/python bench/letters_bench.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# After changing texts: update the catalogues, then translate the new entries in nl/messages.po.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -o fonds/translations/messages.pot \
		--no-location --sort-output fonds templates
	$(BIN)/pybabel update -i fonds/translations/messages.pot -d fonds/translations \
		--no-fuzzy-matching --ignore-obsolete
