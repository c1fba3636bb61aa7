# hsmobility: `make run` (the main job) and `make test` set everything up on first use.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# the app's JavaScript and fonts, packed from npm once, served from the project (works offline)
ASSETS := .solara-cdn
ASSETS_STAMP := $(ASSETS)/.complete

.PHONY: setup run test lint bench benchmark clean app app-assets browser

setup: $(STAMP) $(ASSETS_STAMP)

$(STAMP): pyproject.toml scripts/find-python.sh
	@py=$$(sh scripts/find-python.sh) || exit 1; \
	echo "setting up $(VENV) with $$py"; \
	rm -rf $(VENV) && "$$py" -m venv $(VENV) && \
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip && \
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,app]'
	@touch $(STAMP)

$(ASSETS_STAMP): scripts/fetch-app-assets.sh
	@sh scripts/fetch-app-assets.sh $(ASSETS)

app-assets: $(ASSETS_STAMP)

# Debian's chromium for the browser tests (tests/browser): installed when missing and root (CI),
# else one line saying what to run (the browser tests then skip)
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "browser tests skipped: chromium missing; run: sudo apt-get install -y chromium"; fi

app: setup
	$(BIN)/hsmobility app

# the comparison starts afresh (--restart): a results folder refuses to resume runs stored by
# another version of the model, and the main job should always show this version's results
run: setup
	$(BIN)/hsmobility run scenarios/tuvalu-2025.toml --out results/tuvalu-2025
	$(BIN)/hsmobility compare tuvalu --regimes status-quo,free-movement,integrated-human-security \
		--replicates 20 --restart --out results/compare-tuvalu

# the model's tests on both cores; then the browser tests alone, so that their one-second
# responsiveness checks measure the app, not the other tests competing for the two cores
test: setup browser
	$(BIN)/python -m pytest -n 2 --ignore=tests/browser
	$(BIN)/python -m pytest tests/browser

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

# the monthly step's speed and memory by size, and the per-agent reference (a minute or two)
bench: setup
	$(BIN)/hsmobility bench

# bench, then the experiments layer (worker speed-up, compare time, memory while storing runs)
benchmark: bench
	$(BIN)/python benchmarks/experiment_speed.py

clean:
	rm -rf $(VENV) results .pytest_cache $(ASSETS) tests/artifacts
