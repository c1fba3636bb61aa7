# hsmobility: `make run` (the main job) and `make test` set everything up on first use.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint bench benchmark clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/find-python.sh
	@py=$$(sh scripts/find-python.sh) || exit 1; \
	echo "setting up $(VENV) with $$py"; \
	rm -rf $(VENV) && "$$py" -m venv $(VENV) && \
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip && \
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

run: setup
	$(BIN)/hsmobility run scenarios/tuvalu-2025.toml --out results/tuvalu-2025
	$(BIN)/hsmobility compare tuvalu --regimes status-quo,free-movement,integrated-human-security \
		--replicates 20 --out results/compare-tuvalu

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

# the monthly step's speed and memory by size, and the per-agent reference (a minute or two)
bench: setup
	$(BIN)/hsmobility bench

# bench, then the experiments layer (worker speed-up, compare time, memory while storing runs)
benchmark: bench
	$(BIN)/python benchmarks/experiment_speed.py

clean:
	rm -rf $(VENV) results .pytest_cache
