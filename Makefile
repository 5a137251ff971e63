# The README's two commands: `make html` builds the site, `make test` runs every check.
# Both create the project virtualenv (.venv) from the pinned requirements.lock on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NODE_TOOLS := node_modules/.installed
BUILDDIR := _build
# -j auto: pages are read, hence executed, in parallel, one process per core.
SPHINXOPTS ?= -n -W --keep-going -j auto
DOCTREES := $(BUILDDIR)/doctrees
SITE_STAMP := $(BUILDDIR)/html/.built
SITE_SOURCES := Makefile conf.py $(shell find docs seminar -name __pycache__ -prune -o -print)
SPHINX := $(BIN)/sphinx-build $(SPHINXOPTS) -c . docs
PORT ?= 8000

BOOK := seminar-05-solutions
PDF := $(BUILDDIR)/pdf/$(BOOK).pdf
# The book's dates are the last commit's, so the same sources give the same PDF.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH
TEX_ENV := FORCE_SOURCE_DATE=1 max_print_line=100000 error_line=254 half_error_line=238

.PHONY: help venv node-tools html pdf doctest lint format test serve assignment dist bench bench-pages screenshots system-deps system-deps-tex lock clean distclean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

venv: $(INSTALLED)  ## create .venv with the pinned packages

$(INSTALLED): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python >= 3.11 is needed, found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

node-tools: $(NODE_TOOLS)  ## install MathJax, axe-core and Lighthouse from package-lock.json into node_modules

$(NODE_TOOLS): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

html: $(SITE_STAMP)  ## execute every page and build the site into _build/html (math typeset by MathJax in Node.js)
	@echo "Site built: $(abspath $(BUILDDIR))/html/index.html"

# Sphinx needs about 4 s to find that nothing changed (mostly importing extensions), so
# make looks first: at every file the site is built from and every folder holding them (a
# file added or removed changes its folder). The stamp carries the time the build started:
# a file saved during the build is newer, and the next `make html` builds again.
$(SITE_STAMP): $(INSTALLED) $(NODE_TOOLS) $(SITE_SOURCES)
	@mkdir -p $(@D) && touch $@.started
	$(SPHINX) -d $(DOCTREES) -b html $(@D)
	@mv $@.started $@

# Like the doctest builder, the LaTeX builder starts from a copy of the html build's
# doctrees: after `make html` it executes no page again.
pdf: $(INSTALLED)  ## the PDF edition: LaTeX builder, then xelatex via latexmk, into _build/pdf
	rm -rf $(BUILDDIR)/pdf && mkdir -p $(BUILDDIR)/pdf
	if [ -d $(DOCTREES) ]; then cp -R $(DOCTREES) $(BUILDDIR)/pdf/doctrees; fi
	$(SPHINX) -d $(BUILDDIR)/pdf/doctrees -b latex $(BUILDDIR)/pdf/tex
	cd $(BUILDDIR)/pdf/tex && $(TEX_ENV) latexmk -xelatex -interaction=nonstopmode -halt-on-error \
	  $(BOOK).tex > latexmk.out 2>&1 || { tail -20 latexmk.out; \
	  $(abspath $(BIN))/python $(abspath tools/check_tex_log.py) $(BOOK).log; exit 1; }
	$(BIN)/python tools/check_tex_log.py $(BUILDDIR)/pdf/tex/$(BOOK).log
	cp $(BUILDDIR)/pdf/tex/$(BOOK).pdf $(PDF)
	if [ -d $(BUILDDIR)/html ]; then cp $(PDF) $(BUILDDIR)/html/; fi
	@echo "PDF built: $(abspath $(PDF))"

# The doctest builder starts from a copy of the html build's doctrees, so after `make html`
# it executes no page again; what it does re-read never reaches the html build's record.
doctest: $(INSTALLED)  ## run the {doctest} blocks of the pages (Sphinx doctest builder)
	rm -rf $(BUILDDIR)/doctest && mkdir -p $(BUILDDIR)/doctest
	if [ -d $(DOCTREES) ]; then cp -R $(DOCTREES) $(BUILDDIR)/doctest/doctrees; fi
	$(SPHINX) -d $(BUILDDIR)/doctest/doctrees -b doctest $(BUILDDIR)/doctest

lint: $(INSTALLED)  ## ruff (lint and format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(INSTALLED)  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# pytest runs on every core, a test file per worker: the browser tests of a file share one
# Chromium and open each page once, and the files with builds and the browser one then
# run side by side. Files go out in the order of tests/conftest.py, slow ones first.
test: lint html doctest $(NODE_TOOLS)  ## lint, strict build, page doctests, the PDF (with TeX), then pytest
	@if command -v latexmk >/dev/null; then $(MAKE) --no-print-directory pdf; \
	  else echo "No TeX (latexmk): the PDF is not built and its tests are skipped (make system-deps)"; fi
	$(BIN)/python -m pytest --numprocesses auto --dist loadfile --no-loadscope-reorder

# sphinx-autobuild runs the same incremental build on every save (a page, the library,
# an extension) and reloads the pages open in the browser.
serve: $(INSTALLED) $(NODE_TOOLS)  ## live preview on http://127.0.0.1:$(PORT): rebuilds on save, reloads the browser
	$(BIN)/sphinx-autobuild $(SPHINXOPTS) -c . -d $(DOCTREES) --watch seminar \
	  --host 127.0.0.1 --port $(PORT) docs $(BUILDDIR)/html

assignment: $(INSTALLED)  ## start assignment NAME (e.g. NAME=lr-warmup TITLE="Learning-rate warm-up"): page, module, test
	$(BIN)/python tools/new_assignment.py "$(NAME)" "$(TITLE)"

dist: html pdf  ## zip the site, the PDF in it, for offline reading into _build/seminar-05-site.zip
	$(BIN)/python tools/dist.py $(BUILDDIR)/html $(BUILDDIR)/seminar-05-site.zip

bench: $(INSTALLED) $(NODE_TOOLS)  ## time clean, no-op and incremental builds against their floor
	SPHINXOPTS="$(SPHINXOPTS)" $(BIN)/python benchmarks/build_time.py

bench-pages: html $(NODE_TOOLS)  ## Lighthouse (mobile) on every page, served with gzip: median of 3 runs
	$(BIN)/python benchmarks/page_speed.py

screenshots: html  ## screenshots of every page (desktop, phone, dark) into _build/screenshots
	$(BIN)/python tests/browser.py $(BUILDDIR)/html $(BUILDDIR)/screenshots

# Chromium for the browser tests; TeX Live (xelatex, latexmk), its fonts and poppler's
# pdftotext/pdffonts for the PDF edition and its tests.
TEX_PACKAGES := latexmk texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended \
  texlive-xetex fonts-freefont-otf poppler-utils
APT_INSTALL := apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

system-deps:  ## install Chromium and TeX Live (Debian/Ubuntu, needs root)
	$(APT_INSTALL) chromium $(TEX_PACKAGES)

system-deps-tex:  ## install TeX Live alone, for `make pdf` (Debian/Ubuntu, needs root)
	$(APT_INSTALL) $(TEX_PACKAGES)

lock:  ## re-resolve the newest versions into requirements.lock
	rm -rf $(BUILDDIR)/lockenv && $(PYTHON) -m venv $(BUILDDIR)/lockenv
	$(BUILDDIR)/lockenv/bin/pip install --quiet --disable-pip-version-check --upgrade setuptools ".[docs,test]"
	{ echo "# Exact versions for .venv; regenerate with \`make lock\`."; \
	  $(BUILDDIR)/lockenv/bin/pip freeze --all --exclude-editable | grep -v -e '^pip==' -e '^seminar'; } > requirements.lock
	rm -rf $(BUILDDIR)/lockenv build

clean:  ## remove the site and the execution cache (keeps .venv)
	rm -rf $(BUILDDIR)

distclean: clean  ## also remove .venv and node_modules
	rm -rf $(VENV) node_modules
