"""Sphinx configuration of the Seminar 5 worked-solutions site.

Sources live in docs/, this file at the root: `make html` runs
`sphinx-build -n -W --keep-going -c . docs _build/html`.
"""

import hashlib
import os
import sys
from pathlib import Path

# Paths below are absolute, so the test fixtures in tests/roots can reuse this file.
ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

project = "Deep Learning Seminar 5: worked solutions"
author = "Seminar 5 authors"
copyright = "2023-2026, the Seminar 5 authors"
release = "SS2023"
language = "en"

extensions = [
    "myst_nb",  # MyST markdown pages executed as notebooks
    "sphinx.ext.autodoc",  # the API page, from the library's docstrings
    "sphinx.ext.napoleon",  # numpydoc-style docstrings
    "sphinx.ext.doctest",  # `make doctest` runs the {doctest} blocks of the pages
    "sphinx_exercise",  # exercise and (collapsed) solution blocks
    "sphinx_proof",  # theorem, proof, definition
    "sphinx_togglebutton",  # dropdown hints
    "sphinx_copybutton",
    "sphinx_design",  # cards and grids on the landing page
    "sphinxcontrib.bibtex",
    "prerender_math",  # docs/_ext: math typeset at build time (SVG), no MathJax script
    "library_imports",  # docs/_ext: re-execute a page when a module it imports changes
    "parallel_proof",  # docs/_ext: sphinx_proof in parallel builds (-j)
    "stream_outputs",  # docs/_ext: printed output independent of the kernel's chunking
    "notebook_download",  # docs/_ext: executed notebooks in the download button
    "accessible_toggles",  # docs/_ext: code toggles named by their visible text
    "lean_pages",  # docs/_ext: deferred scripts, lazy images, no unused scripts
    "bundled_styles",  # docs/_ext: one stylesheet, unused rules and icons dropped
    "search_index_entries",  # docs/_ext: incremental builds keep every page's index entries
    "pdf_edition",  # docs/_ext: the book leaves out collapsed code; the site links the book
]

# Sphinx does not watch the code of extensions. The digest of docs/_ext is a config value
# (see setup below), so after an edit there Sphinx reads, hence executes, every page again,
# as from scratch: no page keeps what the old code made of it.
EXTENSION_FILES = sorted(p for p in (ROOT / "docs" / "_ext").iterdir() if p.is_file())
extensions_digest = hashlib.sha256(b"".join(p.read_bytes() for p in EXTENSION_FILES)).hexdigest()

exclude_patterns = ["_ext", "_templates"]
nitpicky = True
# Figures, tables, equations and theorems numbered per assignment: page N holds Fig. N.k
# and (N.k); the assignments are the numbered toctree of docs/index.md.
numfig = True
numfig_secnum_depth = 1
math_numfig = True
# No intersphinx (the build is offline), so references into numpy stay plain text.
nitpick_ignore_regex = [("py:class", r"(numpy|npt|np)\..*"), ("py:class", r"ArrayLike")]

# --- MyST and notebook execution -------------------------------------------
myst_enable_extensions = ["amsmath", "dollarmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
# A page executes whenever Sphinx reads it, and Sphinx reads only what changed since the
# last build (the doctrees in _build/doctrees are the cache): the page itself, or a module
# of `library_packages` that its code imports, directly or not (docs/_ext/library_imports.py).
nb_execution_mode = "force"
library_packages = [str(ROOT / "seminar")]
# A failing cell is a warning naming the page, with the cell's traceback; -W makes it fail
# the build. (Raising instead would hide the traceback and make Sphinx forget every page.)
nb_execution_raise_on_error = False
nb_execution_show_tb = True
nb_execution_timeout = 300
# The pages' matrices are small: one BLAS thread is faster on 2 cores and keeps the
# floating-point summation order, hence every printed digit, the same from build to build.
os.environ.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
nb_merge_streams = True
nb_render_markdown_format = "myst"  # Markdown outputs may hold tables and math

# --- HTML --------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Seminar 5: worked solutions"
html_static_path = [str(ROOT / "docs" / "_static")]
templates_path = [str(ROOT / "docs" / "_templates")]  # one theme component, see its comment
html_css_files = ["site.css"]
html_favicon = str(ROOT / "docs" / "_static" / "favicon.svg")
# Light or dark as the reader's system prefers (left unset, the theme logs a console error).
html_context = {"default_mode": "auto"}
html_math_renderer = "prerender"  # docs/_ext/prerender_math.py: MathJax markup, SVG at build time
html_last_updated_fmt = None  # no build timestamps: two builds give identical files
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": True,
    "use_fullscreen_button": False,
}

# --- PDF edition (make pdf: Sphinx's LaTeX builder, then xelatex through latexmk) ---------
latex_engine = "xelatex"  # Unicode text and math symbols
latex_documents = [("index", "seminar-05-solutions.tex", project, author, "manual")]
# The landing page is the preface and the assignments are chapters; index.md starts the
# appendix before the Reference toctree (the API; LaTeX prints the bibliography last).
latex_elements = {
    "papersize": "a4paper",
    "figure_align": "H",  # figures stay where the text cites them, inside solution boxes too
    "printindex": "",  # no general index: the book has its table of contents
    "fvset": r"\fvset{fontsize=\small}",  # code lines of up to 90 characters fit
    "sphinxsetup": "hmargin={0.9in,0.9in}",
    "preamble": r"""\addto\captionsenglish{\renewcommand{\contentsname}{Contents}}
% A footnote cited again on a later page: "3 (p. 12)", not Sphinx's "Page 12, 3".
\renewcommand\sphinxthefootnotemark[2]{#1\,(p.\,#2)}""",
}
latex_use_xindy = False
latex_domain_indices = False

# --- Library documentation and doctests --------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_type_aliases = {"FloatArray": "numpy.ndarray", "ArrayLike": "ArrayLike"}
napoleon_google_docstring = False
napoleon_use_rtype = False
doctest_global_setup = "import numpy as np\nimport seminar"
doctest_test_doctest_blocks = ""  # docstrings on the API page run under pytest instead

# --- References ------------------------------------------------------------
bibtex_bibfiles = [str(ROOT / "docs" / "references.bib")]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"


def setup(app):
    app.add_config_value("extensions_digest", "", "env")
