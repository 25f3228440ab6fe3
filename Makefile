# Two commands set everything up on a fresh machine with Python 3.11:
#   make run    install, then ingest INPUT into WAREHOUSE and build the marts
#   make test   install, then run the whole test suite
PYTHON    ?= python3.11
VENV      := .venv
BIN       := $(VENV)/bin
INPUT     ?= warehouse/sample
WAREHOUSE ?= warehouse/news.duckdb
STAMP     := $(VENV)/.installed

# Everything runs offline once installed: no telemetry, no downloads, no Python fetched by uv.
export UV_PYTHON_DOWNLOADS := never
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export PREFECT_HOME ?= $(CURDIR)/.prefect

.PHONY: install run test eval clean

install: $(STAMP)

# uv itself is installed from a hash-pinned requirements file; it then installs the
# locked dependencies (uv.lock carries a hash for every artefact). --inexact keeps uv
# in the venv it runs from.
$(STAMP): pyproject.toml uv.lock uv-bootstrap.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r uv-bootstrap.txt
	$(BIN)/uv sync --frozen --inexact --python $(BIN)/python
	touch $@

run: $(STAMP)
	$(BIN)/newsroom run --input "$(INPUT)" --warehouse "$(WAREHOUSE)"

test: $(STAMP)
	$(BIN)/python -m pytest

# Quality figures on the labelled data in ../shared/eval (not part of make test: minutes).
eval: $(STAMP)
	$(BIN)/newsroom eval extraction
	$(BIN)/newsroom eval ner
	$(BIN)/newsroom eval quotes
	$(BIN)/newsroom eval clusters

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs .prefect
