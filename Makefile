# apicfa — commandes du projet (voir README.md)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: install run test test-sqlite test-postgres lint bench

install: $(VENV)/.installe

$(VENV)/.installe: pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

run: install
	$(BIN)/apicfa serveur

lint: install
	$(BIN)/ruff check src tests bench

test: install lint test-sqlite test-postgres

test-sqlite: install
	$(BIN)/pytest

# La même suite sur PostgreSQL quand un serveur répond ; sinon on le dit et on passe.
test-postgres: install
	@if $(BIN)/python -m apicfa.stockage.sonde "$(PG_URL)"; then \
		echo "== Suite sur PostgreSQL ($(PG_URL))"; \
		APICFA_TEST_BASE="$(PG_URL)" $(BIN)/pytest; \
	else \
		echo "PostgreSQL injoignable : la suite PostgreSQL est ignorée (SQLite seul)."; \
	fi

bench: install
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done
