# Two commands a fresh clone needs: `make build` renders the course into output/, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build test lint check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/studygen build

check: $(STAMP)
	$(BIN)/studygen check --strict

lint: $(STAMP)
	$(BIN)/ruff format --check studygen tests benchmarks
	$(BIN)/ruff check studygen tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: $(STAMP) lint
	$(BIN)/studygen check --strict
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_check.py
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_html.py
	$(BIN)/python benchmarks/bench_pools.py

clean:
	rm -rf output $(VENV)
