# connectorgen — every command a user or CI needs. `make build` and `make test` do all the set-up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
VENDOR ?= eevion
PORT   ?= 4010
JOBS   ?= 2

.PHONY: build test lint mock fuzz bench regen clean install install-test node pyc help

help:
	@echo "make build   create .venv, install, build every vendor and target into build/"
	@echo "make test    install test tools (pip + npm ci), run the test suite"
	@echo "make lint    ruff + mypy on generator/"
	@echo "make mock VENDOR=eevion [PORT=4010]   serve a vendor's mock on 127.0.0.1"
	@echo "make fuzz    schemathesis CLI against each live mock, JUnit reports in build/reports/"
	@echo "make bench   benchmark against api-spec-converter, openapi-to-postmanv2 and Prism"
	@echo "make regen   rewrite the golden records in tests/golden and tests/convert"
	@echo "make clean   remove build/ and caches"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# editable_mode=compat: a plain .pth path entry; the default import-hook finder costs every
# `connectorgen` start 20-40 ms, which is most of a small command's time.
EDITABLE := --config-settings editable_mode=compat

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e . $(EDITABLE)
	@touch $@

# An editable install gets no .pyc from pip, and with PYTHONDONTWRITEBYTECODE=1 Python never writes
# them, so every command would compile the package from source (~90 ms a start). Quick when current.
pyc: $(VENV)/.installed
	@$(BIN)/python -m compileall -q generator

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]' $(EDITABLE)
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
node: node_modules/.installed

build: pyc
	$(BIN)/connectorgen build

test: $(VENV)/.installed-test node_modules/.installed pyc
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile

lint: $(VENV)/.installed-test
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy

mock: pyc
	$(BIN)/connectorgen mock $(VENDOR) --port $(PORT)

fuzz: $(VENV)/.installed-test build
	$(BIN)/python -m tests.support.fuzz --out build/reports

bench: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/python -m bench  # compiles generator/ to .pyc itself before timing

regen: $(VENV)/.installed-test
	rm -rf tests/golden
	$(BIN)/connectorgen build --force --quiet --out tests/golden
	rm -rf tests/golden/.state
	$(BIN)/python -m generator.pipeline.catalog
	CONNECTORGEN_REGEN=1 $(BIN)/python -m pytest -q tests/test_bad_specs.py tests/convert tests/lint

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -not -path './.venv/*' -not -path './node_modules/*' -prune -exec rm -rf {} +
