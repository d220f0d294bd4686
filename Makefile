# wijkwerken — the two commands a newcomer needs:
#   make run    install everything, create the embedded SQLite database with demo data, start on :8000
#   make test   install everything, run the whole test suite (PostgreSQL + Redis on 127.0.0.1)

PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
SYSTEM_PACKAGES := chromium libharfbuzz-subset0 poppler-utils gettext fonts-dejavu-core

.PHONY: run test install system-packages lint messages clean

$(VENV)/.installed: requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip uv
	$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

# Debian packages for PDFs and browser tests; installed when missing and we may (root with apt-get).
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  else echo "Please install these Debian packages:$$missing"; fi; \
	fi

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install system-packages
	$(VENV)/bin/pytest -n auto --dist loadgroup

lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

messages: install
	$(PY) manage.py makemessages -l nl --no-obsolete --ignore=node_modules --ignore=.venv --ignore=workers --ignore=assignments --ignore=cheques --ignore=coaching --ignore=wijkwerken/reports --ignore=tests --ignore=test-artifacts
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles test-artifacts
