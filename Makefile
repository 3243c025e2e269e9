# Oversight: `make demo` and `make test` each do their own set-up from a fresh clone.
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.stamp
STATIC := src/oversight/core/static
APT_PACKAGES := chromium postgresql libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext

.PHONY: setup assets demo test lint check test-sqlite test-postgres test-fast test-container clean messages

SOURCE_MAPS := $(STATIC)/vendor/accessible-autocomplete.min.js.map $(STATIC)/vendor/accessible-autocomplete.min.css.map

setup: $(STAMP) assets

# The front end alone (the container image builds it with this target).
assets: $(STATIC)/oversight/oversight.css $(SOURCE_MAPS)

# System packages are installed only when missing (CI machines start without Chromium).
.system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	@touch $@

$(STAMP): pyproject.toml .system-packages
	python3.11 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	@touch $@

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STATIC)/oversight/oversight.css: node_modules/.stamp assets/oversight.scss
	mkdir -p $(STATIC)/oversight $(STATIC)/govuk $(STATIC)/vendor
	npx sass --quiet --load-path=node_modules --no-source-map assets/oversight.scss $@
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(STATIC)/govuk/
	cp -r node_modules/govuk-frontend/dist/govuk/assets $(STATIC)/govuk/
	cp node_modules/htmx.org/dist/htmx.min.js $(STATIC)/vendor/
	cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js $(STATIC)/vendor/
	cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.css $(STATIC)/vendor/

# The minified files name their source maps, and collectstatic's hashing follows those names: without the
# maps, the production static files cannot be collected. (A target of its own, so trees built before
# the maps were needed get them too.)
$(STATIC)/vendor/%.map: node_modules/.stamp
	mkdir -p $(STATIC)/vendor
	cp node_modules/accessible-autocomplete/dist/$*.map $@

# The Welsh catalogue (docs/welsh.md): gather the marked strings into django.po, translate the new ones,
# then compile it. The compiled django.mo is committed, so installs need no gettext; a test checks it
# matches django.po.
MESSAGES := cd src/oversight && ../../$(VENV)/bin/oversight
messages: setup
	$(MESSAGES) makemessages -l cy --add-location file --no-obsolete --ignore 'tests/*' --ignore 'testing/*' --ignore 'static/*'
	$(MESSAGES) compilemessages -l cy

demo: setup
	$(VENV)/bin/oversight demo --port $(PORT)

lint: setup
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/oversight makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

# Two test processes (pytest-xdist): the suite takes about half as long on the two cores CI gives it.
test-sqlite: setup
	$(VENV)/bin/pytest -q -n 2

# The same suite (browser tests aside) against a throwaway PostgreSQL server the tests start.
test-postgres: setup
	$(VENV)/bin/pytest -q -n 2 -m "not browser" --postgres

test: lint test-sqlite test-postgres

# Not part of `make test`: builds the container image from Debian's packages (mmdebstrap, podman) and
# smoke-tests it against a throwaway PostgreSQL (scripts/test-container; docs/operations.md).
CONTAINER_PACKAGES := podman mmdebstrap runc
test-container: setup
	@missing=""; for p in $(CONTAINER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	$(PY) scripts/test-container

clean:
	rm -rf $(VENV) node_modules .system-packages $(STATIC)/govuk $(STATIC)/vendor $(STATIC)/oversight/oversight.css var
