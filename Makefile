# Two commands set everything up: `make run` and `make test`.
VENV    ?= .venv
PYTHON  ?= python3
PORT    ?= 5000
PY      := $(VENV)/bin/python
FLASK   := $(VENV)/bin/flask --app wsgi
PYBABEL := $(VENV)/bin/pybabel
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install install-test fonts test-system-deps translations \
        extract-messages update-messages lint bench clean

## run: install, migrate, load demo data and serve on http://127.0.0.1:$(PORT)
run: install fonts translations
	@PORTAL_ENV=$${PORTAL_ENV:-development} $(FLASK) db upgrade
	@PORTAL_ENV=$${PORTAL_ENV:-development} $(FLASK) demo-data
	@echo "Serving on http://127.0.0.1:$(PORT)  (mail goes to instance/data/outbox, read it at /dev/mail)"
	@PORTAL_ENV=$${PORTAL_ENV:-development} $(FLASK) run --host 127.0.0.1 --port $(PORT)

## test: install what the tests need and run the whole suite
test: install-test fonts test-system-deps translations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(PY) -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q -e ".[test]"
	@touch $@

# Japanese fonts for PDF notices (IPAex; Noto CJK adds rare kanji such as 𠮷).
fonts:
	@if fc-list 2>/dev/null | grep -qiE "IPAexMincho|Noto Serif CJK JP"; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-ipaexfont fonts-noto-cjk >/dev/null; \
	else \
	  echo "!! No Japanese fonts: PDF notices will show boxes. Install them with:"; \
	  echo "!!   $(SUDO) apt-get install fonts-ipaexfont fonts-noto-cjk"; \
	fi

# Chromium for the browser tests, poppler for checking PDFs as documents.
test-system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "!! Tests need:$$missing  ->  $(SUDO) apt-get install$$missing"; exit 1; fi; \
	fi

# Every language's messages, and easy Japanese (やさしい日本語): the "easy" domain of ja.
CATALOGS := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po \
                                            translations/ja/LC_MESSAGES/easy.po))
translations: install $(CATALOGS)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po
	@$(PYBABEL) compile -d translations -l $* >/dev/null

translations/ja/LC_MESSAGES/easy.mo: translations/ja/LC_MESSAGES/easy.po
	@$(PYBABEL) compile -D easy -d translations -l ja >/dev/null

extract-messages: install
	$(PYBABEL) extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  --project Madoguchi -o translations/messages.pot .

update-messages: extract-messages
	$(PYBABEL) update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(PYBABEL) update -D easy -l ja -i translations/messages.pot -d translations \
	  --no-fuzzy-matching --ignore-obsolete
	$(PY) tools/fill_english.py

lint: install-test
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports && $(VENV)/bin/mypy

bench: install
	$(PY) bench/validate.py
	$(PY) bench/page_weight.py
	$(PY) bench/notices.py

clean:
	rm -rf $(VENV) instance
