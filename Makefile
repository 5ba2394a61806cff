# govlib: `make run` parses the bundled reports and makes the regional briefs; `make test` runs every test.
# Both set everything up first: Debian's chromium and CJK fonts, then .venv with the pinned Python packages and
# govlib's compiled core (setup.py; gcc builds it).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
# the git filter that commits notebooks without outputs, execution counts or the Python version: run from the top of
# the work tree, so each clone or worktree uses its own .venv
NBSTRIPOUT := $(BIN)/nbstripout --keep-id --extra-keys metadata.language_info
DEBIAN_PACKAGES := chromium chromium-driver fonts-noto-cjk fontconfig libreoffice-writer-nogui gcc

.DEFAULT_GOAL := help

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

system: ## install the Debian packages govlib needs (Chromium, chromedriver, CJK fonts, LibreOffice for .doc, gcc)
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v soffice >/dev/null \
	   || ! command -v gcc >/dev/null \
	   || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    --no-install-recommends $(DEBIAN_PACKAGES); \
	fi

$(BIN)/.installed: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: system $(BIN)/.installed ## install everything: Debian packages, .venv with govlib's pinned dependencies, the notebook filter
	@# a module of the compiled core edited since the build runs as Python, with a warning: compile it again
	@$(BIN)/python -W error -c 'import govlib' 2>/dev/null || $(BIN)/pip install --quiet --no-deps -e .
	@# govlib's bytecode, written even where PYTHONDONTWRITEBYTECODE is set: every brief kernel imports govlib
	@$(BIN)/python -m compileall -q govlib
	@# notebooks are committed as nbstripout leaves them (.gitattributes): opening and running one in JupyterLab
	@# leaves `git status` clean
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean '$(NBSTRIPOUT)' && git config filter.nbstripout.smudge cat && \
	  git config diff.ipynb.textconv '$(NBSTRIPOUT) -t'; \
	fi

run: setup ## parse data/raw into data/processed, then make a brief per region and year in reports/
	@# a file that cannot be parsed is listed and does not stop the briefs (two bundled pages hold no tables)
	$(BIN)/govlib parse data/raw --out data/processed --csv || echo "(the briefs are made of the reports that were parsed)"
	$(BIN)/govlib briefs --data data/processed --out reports

test: setup ## run the whole test suite
	$(BIN)/python -m pytest

bench: setup ## print every benchmark (benchmarks/*.py): ratios are measured side by side in one run
	$(BIN)/python benchmarks/parse.py --baseline b63ef57   # text parsing against the commit issue 15 measures from
	$(BIN)/python benchmarks/parse.py                      # where the time goes, memory, workers
	$(BIN)/python benchmarks/pdf.py                        # PDFium against pdfplumber
	$(BIN)/python benchmarks/briefs.py --others 10000      # a brief against an empty notebook, alone and in a crowd
	$(BIN)/python benchmarks/scale.py --reports 100000     # time and peak memory of a national-scale run
	$(BIN)/python benchmarks/cluster.py                    # a Dask LocalCluster against govlib's own workers
	$(BIN)/python benchmarks/coverage.py data/raw/pingtan-agencies  # the real reports: cells read, refused

lab: setup ## open JupyterLab on the notebooks (run `make run` first); it never fetches news or update checks
	$(BIN)/jupyter lab $(ALLOW_ROOT) --LabApp.news_url=None \
	  --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate notebooks/explore.ipynb

clean: ## remove the virtual environment and everything the parser and briefs wrote
	rm -rf $(VENV) data/processed reports/*/ reports/index.html

.PHONY: help system setup run test bench lab clean
