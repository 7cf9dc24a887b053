# Entente's one task runner. `make run` and `make test` are the README's two commands.
# Both are idempotent: the virtual environment is reused while pyproject.toml is unchanged.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
UI_STAMP := server/static/vendor/yasgui/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# test processes: one per core, at most 4 (each builds its own session fixtures)
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ $$n -gt 4 ] && n=4; echo $$n)

.PHONY: setup run build serve test lint bench bench-quick soak clean protege

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

# Yasgui (the SPARQL editor of the UI) comes from the npm registry and is served by the app itself.
$(UI_STAMP): ui/package.json ui/package-lock.json
	bash scripts/install-ui.sh
	touch $(UI_STAMP)

setup: $(STAMP) $(UI_STAMP)

build: setup
	$(BIN)/entente build

serve: setup
	$(BIN)/entente serve --host $(HOST) --port $(PORT)

## The main job: set up, build the graph, serve it (prints the URL).
run: setup
	$(BIN)/entente build
	$(BIN)/entente serve --host $(HOST) --port $(PORT)

## The whole test suite (what .ci/run runs).
test: setup
	bash scripts/install-test-deps.sh
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist worksteal

lint: setup
	$(BIN)/ruff check .

## The reference entities as an OWL file beside the ontology and its XML catalog, for Protégé
## offline (ontology/entities.owl; docs/ontology.md, "Opening it in Protégé").
protege: setup
	$(BIN)/python scripts/write-entities-owl.py

## The benchmark's peers and load tool (Virtuoso, wrk) come from Debian's packages where missing.
bench: setup
	bash scripts/install-debian.sh bench virtuoso-t:virtuoso-opensource wrk:wrk
	$(BIN)/entente bench

bench-quick: setup
	$(BIN)/entente bench --quick

## Sustained load, runaway queries and build faults on loopback (figures: docs/reliability.md).
soak: setup
	test -e var/store || $(BIN)/entente build --no-reason --quiet
	$(BIN)/entente soak --duration 60 --clients 32 --runaway 20 --out var/soak.json
	$(BIN)/python bench/soak.py --trials 40 --out var/soak-faults.json

clean:
	rm -rf var build *.egg-info
