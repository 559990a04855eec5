# Two commands do everything: `make run` and `make test`; `make serve` is production's `run`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run serve test install init demo lint format bench clean translations messages

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed translations  ## Create .venv and install the project with its dev tools.

# Compiled catalogs are committed so a plain `flask run` works; rebuild them when a .po changes.
CATALOGS := $(wildcard directory/translations/*/LC_MESSAGES/messages.po)
translations: $(CATALOGS:.po=.mo)  ## Compile the translations (.po -> .mo).

%/LC_MESSAGES/messages.mo: %/LC_MESSAGES/messages.po $(BIN)/.installed
	$(BIN)/pybabel compile -d directory/translations --statistics

messages: install  ## Collect new page strings into the catalogs, to translate them.
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project "Peer Support Directory" -o directory/translations/messages.pot .
	$(BIN)/pybabel update -i directory/translations/messages.pot -d directory/translations \
		--ignore-obsolete --no-fuzzy-matching -w 100

init: install  ## Create or upgrade the database and load the taxonomy.
	$(FLASK) directory init

demo: init  ## Load the demo directory unless listings exist already.
	$(FLASK) directory demo --if-empty

run: demo  ## Install, migrate, load the demo directory, build the search index and serve.
	$(FLASK) directory reindex --if-stale
	$(FLASK) run --host $(HOST) --port $(PORT)

# No demo data here: production starts from its own listings (`make demo serve` to try it).
serve: init  ## Install, migrate, build the search index and serve under gunicorn.
	$(FLASK) directory reindex --if-stale
	exec $(BIN)/gunicorn -c python:directory.gunicorn_conf --bind $(HOST):$(PORT) app:app

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
