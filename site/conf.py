"""Sphinx configuration of the course website (built by ``scripts/build_site.sh``, never by hand).

The script copies this folder into a build source folder, adds the notebooks (stored outputs, live views
made runnable by ``convlib.book.export.LiveViewPreprocessor``, alt text added) and a vendored MathJax 3
in ``_static/mathjax``. Nothing on the site is fetched from elsewhere: no CDN, no web fonts.
"""

import convlib

project = "convlib: convolution, taught"
author = "convlib developers"
copyright = "convlib developers; code MIT, notebook text and figures CC BY 4.0"
release = version = convlib.__version__

extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.mathjax"]

# The stored notebooks as they are: their outputs are checked by nbval, never recomputed here.
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
exclude_patterns = ["_build", ".doctrees", "**.ipynb_checkpoints"]
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header"]

# The API reference: numpydoc docstrings through napoleon, in source order.
napoleon_google_docstring = False
napoleon_numpy_docstring = True
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_typehints = "description"

# MathJax 3, vendored by the build script (npm package "mathjax") into _static/mathjax.
mathjax_path = "mathjax/tex-chtml.js"

html_theme = "sphinx_book_theme"
html_title = "convlib: convolution, taught"
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_js_files = ["site.js"]
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = True  # the notebooks can be downloaded from their pages
# Light by default (the figures have white backgrounds); an empty mode is logged as a console error.
html_context = {"default_mode": "light"}
html_theme_options = {
    # Nothing that would reach another site: no launch buttons (Binder, Colab), no repository or
    # issue buttons, no version switcher, no analytics.
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "use_issues_button": False,
    "use_edit_page_button": False,
    "launch_buttons": {},
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "home_page_in_toc": True,
}
