# govlib: `make run` parses the bundled reports; `make test` runs every test. Both set everything up first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.DEFAULT_GOAL := help

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/.installed ## create .venv and install govlib with its pinned dependencies

run: setup ## parse data/raw into data/processed (Parquet and Excel-ready CSV)
	$(BIN)/govlib parse data/raw --out data/processed --csv

test: setup ## run the whole test suite
	$(BIN)/python -m pytest

bench: setup ## print parsing throughput and memory (benchmarks/parse.py)
	$(BIN)/python benchmarks/parse.py

clean: ## remove the virtual environment and everything the parser wrote
	rm -rf $(VENV) data/processed

.PHONY: help setup run test bench clean
