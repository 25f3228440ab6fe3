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

.PHONY: install browser run lint test screenshots eval train-stories bench bench-clusters bench-collect serve stop trigger docs clean

install: $(STAMP)

# uv itself is installed from a hash-pinned requirements file; it then installs the
# locked dependencies (uv.lock carries a hash for every artefact). --inexact keeps uv
# in the venv it runs from. Bytecode is compiled once here (about 30 s): where
# PYTHONDONTWRITEBYTECODE is set (as on these machines) Python otherwise compiles every
# module it imports in every process, 4.5 s of each CLI run's start-up and half of a
# Prefect server's (2026-12-02).
$(STAMP): pyproject.toml uv.lock uv-bootstrap.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r uv-bootstrap.txt
	$(BIN)/uv sync --frozen --inexact --compile-bytecode --python $(BIN)/python
	$(BIN)/python -m compileall -q flows
	touch $@

# Headless Chromium and its driver from Debian, for the browser checks of the Prefect UI and
# the dbt docs site (selenium drives them; nothing is downloaded at test time).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  SUDO=$$(test "$$(id -u)" -eq 0 || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }

run: $(STAMP)
	$(BIN)/newsroom run --input "$(INPUT)" --warehouse "$(WAREHOUSE)"

# Lint before the tests, so that CI fails on a violation: ruff (Python lint and format),
# sqlfluff (the dbt models and sql/), import-linter (the layer rule in .importlinter).
lint: $(STAMP)
	$(BIN)/ruff check flows tests
	$(BIN)/ruff format --check flows tests
	$(BIN)/sqlfluff lint --disable-progress-bar dbt_project/models dbt_project/macros dbt_project/tests sql
	$(BIN)/lint-imports

# Two pytest workers (pytest-xdist), a test file each at a time: much of an end-to-end test is
# waiting (a Prefect server starting, a scheduler's minute, a child process), so two workers
# on two cores take 13 minutes where one took 22 (2026-12-02).
TEST_WORKERS ?= 2
test: $(STAMP) browser lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=10

# Refresh the README's screenshots (the browser tests take them).
screenshots: $(STAMP) browser
	NEWSROOM_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/e2e/test_services.py

# The Prefect server (UI on http://127.0.0.1:4200) and the hourly inbox deployment, both in
# the background (pid files and logs in .prefect/); make stop stops both; make trigger runs
# the deployment now.
PREFECT_PORT ?= 4200
serve: $(STAMP)
	NEWSROOM_PREFECT_PORT=$(PREFECT_PORT) $(BIN)/newsroom serve

stop: $(STAMP)
	NEWSROOM_PREFECT_PORT=$(PREFECT_PORT) $(BIN)/newsroom stop

trigger: $(STAMP)
	NEWSROOM_PREFECT_PORT=$(PREFECT_PORT) $(BIN)/newsroom trigger

# The dbt docs site (http://127.0.0.1:8080), built from a copy of the published warehouse
# so that it never holds the warehouse open.
DOCS_PORT ?= 8080
docs: $(STAMP)
	$(BIN)/newsroom docs --warehouse "$(WAREHOUSE)" --port $(DOCS_PORT)

# Quality figures on the labelled data in ../shared/eval (not part of make test: minutes).
eval: $(STAMP)
	$(BIN)/newsroom eval extraction
	$(BIN)/newsroom eval ner
	$(BIN)/newsroom eval quotes
	$(BIN)/newsroom eval clusters
	$(BIN)/newsroom eval places

# Fit the story pair model (flows/newsroom/cluster/pair_model.json) on ECB+ dev in
# ../shared/eval, cross-validated by topic half (a few minutes; the data stays there).
train-stories: $(STAMP)
	$(BIN)/newsroom train stories

# Throughput, re-run cost and memory against bare spaCy (long: ARTICLES=2000 for a quick look).
ARTICLES ?= 20000
bench: $(STAMP)
	$(BIN)/newsroom bench --articles $(ARTICLES)

# The clustering stage alone at 2k and 20k articles (about 10 minutes).
bench-clusters: $(STAMP)
	$(BIN)/newsroom bench clusters --sizes 2000 20000

# Collection from a site on 127.0.0.1 (the eval HTML pages), WARC against HTML files, the
# feed and WARC libraries against their alternatives.
bench-collect: $(STAMP)
	$(BIN)/newsroom bench collect

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs .prefect
