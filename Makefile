# The two commands of the quick start: `make book` builds the course site,
# `make test` runs every test. Each makes .venv and installs what it needs
# the first time (and again whenever pyproject.toml changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book teacher-book test lint bench check assets clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/sourcebook check
	$(BIN)/jupyter-book build . --path-output . -W -n --keep-going

# The teacher edition: the same site with model answers (in toggles) and
# instructor notes, built into _build_teacher/_build/html. The environment
# variable SOURCEBOOK_EDITION sets the extension's `sourcebook_edition`.
teacher-book: $(STAMP)
	$(BIN)/sourcebook check
	SOURCEBOOK_EDITION=teacher $(BIN)/jupyter-book build . --path-output _build_teacher -W -n --keep-going

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

check: $(STAMP)
	$(BIN)/sourcebook check

# After editing a script of src/sourcebook/static: minify it again with the pinned
# terser into src/sourcebook/minified (needs Node.js and npm, or gets them from PyPI;
# a test fails while a minified script is older than its source).
assets: $(STAMP)
	$(BIN)/python -m sourcebook.minify

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m benchmarks

clean:
	rm -rf _build _build_teacher .pytest_cache
