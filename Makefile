# cisannotate: `make run` opens the app, `make test` runs the whole suite.
# Both create the virtual environment .venv on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test lint bench screenshots bundle translations check-python clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "cisannotate needs Python 3.11 or newer; found " + sys.version.split()[0])'

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -e ".[test]"
	@touch $@

run: $(VENV)/.installed translations
	$(BIN)/cisannotate $(ARGS)

# The window's translations: Qt Linguist sources compiled with PySide6's lrelease.
# (Without the compiled .qm the window reads the .ts itself.)
TS := $(wildcard resources/i18n/*.ts)
translations: $(TS:.ts=.qm)

resources/i18n/%.qm: resources/i18n/%.ts $(VENV)/.installed
	$(BIN)/pyside6-lrelease -silent $< -qm $@

# The suite runs on every core (pytest-xdist); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto

test: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The layer contracts (import-linter), ruff, and mypy on the Qt-free packages (pyproject.toml).
lint: $(VENV)/.installed-test
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py $(ARGS)

# The README's pictures: the bundled sample in the light and the dark appearance, and the Review panel.
screenshots: $(VENV)/.installed
	mkdir -p build && rm -f build/sample.cisannotate build/sample.cisannotate-*
	$(BIN)/cisannotate new build/sample.cisannotate --sample
	QT_QPA_PLATFORM=offscreen $(BIN)/cisannotate screenshot build/sample.cisannotate docs/screenshot-light.png --size 1400x860
	QT_QPA_PLATFORM=offscreen $(BIN)/cisannotate screenshot build/sample.cisannotate docs/screenshot-dark.png --size 1400x860 --appearance dark
	QT_QPA_PLATFORM=offscreen $(BIN)/cisannotate screenshot build/sample.cisannotate docs/screenshot-review.png --size 1400x860 --review
	QT_QPA_PLATFORM=offscreen $(BIN)/cisannotate screenshot build/sample.cisannotate docs/screenshot-findings.png --size 1400x860 --document report_meridian.txt --findings
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshot_agreement.py build/sample.cisannotate docs/screenshot-agreement.png
	CISANNOTATE_LANGUAGE=ru QT_QPA_PLATFORM=offscreen $(BIN)/cisannotate screenshot build/sample.cisannotate docs/screenshot-russian.png --size 1400x860 --review

# A one-folder application bundle in dist/cisannotate (see docs/packaging.md).
bundle: $(VENV)/.installed translations
	PYTHON=$(BIN)/python packaging/build.sh

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
