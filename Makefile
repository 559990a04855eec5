# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install init demo lint format bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed  ## Create .venv and install the project with its dev tools.

init: install  ## Create or upgrade the database and load the taxonomy.
	$(FLASK) directory init

demo: init  ## Load the demo directory unless listings exist already.
	$(FLASK) directory demo --if-empty

run: demo  ## Install, migrate, load the demo directory and serve the site.
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: install  ## Check style with ruff.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install  ## Fix style with ruff.
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install lint  ## Run the linters and the whole test suite.
	$(BIN)/pytest

bench: install  ## Run the benchmarks; they print figures and never fail the build.
	$(BIN)/python -m bench

clean:  ## Remove the virtualenv and caches (keeps instance/).
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
