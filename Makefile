# The two commands a newcomer needs:  make run  (the platform)  and  make test  (everything CI runs).
VENV   := .venv
BIN    := $(VENV)/bin
PYTHON ?= python3

.PHONY: run test setup lint typecheck check-imports pytest bench clean

$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev,spark]'
	touch $@

setup: $(BIN)/.installed

## Install, initialise the embedded SQLite database with the Wuhan plan and demo data, serve on :8000
run: setup
	$(BIN)/xietong serve --host 127.0.0.1 --port 8000

## Install everything the tests need (Python packages, chromium, PostgreSQL) and run all checks
test: setup
	bash scripts/test-services.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	set -a && . build/test-env && set +a && $(BIN)/pytest

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
